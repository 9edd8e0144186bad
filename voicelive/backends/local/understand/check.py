"""Checking the text values of an understood call against the audio it was heard from.

The decision itself is :func:`~voicelive.backends.local.slotcheck.recheck_slots`; this module
applies it to an :class:`~.result.Understanding`: to its single call, or to the tentative call
of a question ("I snacked on some moments" may be "almonds" in the audio).
"""

from __future__ import annotations

from dataclasses import replace

from voicelive.exceptions import ToolError

from ..slotcheck import SlotScorer, recheck_slots
from .catalog import ToolInfo
from .result import Understanding
from .state import PreviousCall

__all__ = ["recheck"]


def recheck(info: ToolInfo, result: Understanding, scorer: SlotScorer) -> Understanding | None:
    """The result with text values the audio supports better, or ``None`` when it stands.

    Args:
        info: The tool of the call being checked.
        result: A result with exactly one call, or a question with a tentative call.
        scorer: Scores readings of the utterance.
    """
    call = result.calls[0] if len(result.calls) == 1 else result.tentative
    if call is None or not call.spans or (result.calls and result.tentative):
        return None
    known = {p.name: list(p.vocabulary.values) for p in info.params
             if p.vocabulary is not None and p.kind == "string"}
    plausible = {p.name: p.vocabulary.plausible for p in info.params
                 if p.vocabulary is not None and p.vocabulary.plausible is not None}

    def check(slot: str, value: str) -> bool:
        test = plausible.get(slot)
        return True if test is None else test(value)

    spans = [s for s in call.spans if s.slot in known]
    changes = recheck_slots(call.text, spans, known, scorer, plausible=check)
    if not changes:
        return None
    args = dict(call.args)
    args.update(changes)
    text = call.text
    for span in sorted((s for s in spans if s.slot in changes), key=lambda s: -s.start):
        text = text[:span.start] + changes[span.slot] + text[span.end:]
    try:
        valid = info.tool.validate(args)
    except (ToolError, ValueError, TypeError):
        return None
    if result.tentative is call and not all(check(s, v) for s, v in changes.items()):
        return None
    new = replace(call, args=valid, text=text)
    state = replace(result.state, last=(PreviousCall(new.tool, new.args),), pending=None)
    return replace(result, calls=(new,), text=text, state=state, kind="calls", reply="",
                   tentative=None, complete=True)
