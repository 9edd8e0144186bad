"""Early end of turn: commit at a short pause when what was heard is already a whole request.

The detector ends an utterance after ``VadConfig.silence_ms`` of silence (400 ms by default),
because a shorter pause may only be the speaker drawing breath. Yet the recogniser already runs
at the first short pause (speculative recognition), and when its transcript is a complete,
confident request ("log thirty minutes of running.") there is nothing left to wait for: the
turn may end at ``early_commit_ms`` of silence instead. When the transcript is not one (a
dangling "and", a request without its values, nothing matched), the full silence window is
kept.

Two parts, both plain synchronous code:

* :class:`CompletenessJudge` is the question "is this a complete, confident request?", asked
  of the transcripts and of what the understanding made of them. It is a Protocol so another
  answer can be plugged in; :func:`judge_by_match` is the default, built on
  :attr:`~voicelive.backends.local.understand.Understanding.complete`.
* :func:`commit_early` is the timing rule: given the pause so far and the verdict (``None``
  while the recogniser is still running), whether to end the turn now.

If the user does speak again after an early commit, the reply is cut as at any barge-in. When
the whole pause was shorter than the full silence window (a comma, a breath: without the early
end the turn would not have ended), the new speech continues the turn instead of starting one
(:func:`continues`): the two parts are understood as one utterance, and only the calls the
first part had not made yet are made (:func:`continue_turn`). "I skipped my lunch, [pause]
just drank some water" stays one missed lunch; "aim for 1500 calories a day, [pause] so set
that" sets the target once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, runtime_checkable

from .understand import DialogueState, Understanding

__all__ = [
    "DEFAULT_EARLY_COMMIT_MS",
    "Answered",
    "CompletenessJudge",
    "commit_early",
    "continue_turn",
    "continues",
    "judge_by_match",
    "sounds_finished",
]

DEFAULT_EARLY_COMMIT_MS = 192.0
"""Silence after which a complete, confident request ends the turn (six 32 ms windows)."""

_DANGLING = frozenset({
    "and", "or", "but", "with", "for", "of", "to", "at", "the", "a", "an", "some", "then",
    "plus", "um", "uh", "like", "so", "because",
})
_WORD = re.compile(r"[a-z']+")


@runtime_checkable
class CompletenessJudge(Protocol):
    """Says whether what was heard so far is a complete, confident request."""

    def __call__(self, texts: Sequence[str], match: Understanding | None) -> bool:
        """Judge one utterance.

        Args:
            texts: The recogniser's transcripts, most likely first.
            match: What the understanding made of them (``None``: not understood yet).

        Returns:
            True when the turn may end now without waiting for more speech.
        """
        ...


def sounds_finished(text: str) -> bool:
    """Whether a transcript reads as a finished sentence.

    Whisper punctuates what it hears: a sentence the speaker finished ends in ``.``, ``?`` or
    ``!``, one cut off mid-way usually ends without punctuation, in an ellipsis, or in a word
    that needs a continuation ("and", "with", "some").
    """
    stripped = text.strip()
    if not stripped or stripped.endswith(("...", "\u2026", ",", "-")):
        return False
    if stripped[-1] not in ".?!":
        return False
    words = _WORD.findall(stripped.lower())
    return bool(words) and words[-1] not in _DANGLING


def judge_by_match(texts: Sequence[str], match: Understanding | None) -> bool:
    """The default judge: a complete request in the top transcript, which sounds finished.

    "Complete" is :attr:`~voicelive.backends.local.understand.Understanding.complete`: calls
    whose values were all found exactly (known values and numbers) and nothing left hanging; a
    request understood only from a runner-up transcript is not confident enough to cut the
    silence short.
    """
    if match is None or not match.complete or not match.calls or not texts:
        return False
    return match.text == " ".join(texts[0].split()) and sounds_finished(texts[0])


def commit_early(
    *, paused: bool, silence_ms: float, early_ms: float, verdict: bool | None
) -> bool:
    """Whether the turn ends now, before the full silence window.

    Args:
        paused: The detector is in a pause after speech (no speech since the transcript was
            taken).
        silence_ms: Silence heard so far in this pause.
        early_ms: Silence needed for an early end; ``0`` or less switches early ends off.
        verdict: The judge's answer for the transcript taken at this pause, ``None`` while
            the recogniser has not finished.

    Returns:
        True to end the turn now.
    """
    return early_ms > 0 and paused and verdict is True and silence_ms >= early_ms


def continues(*, ended_early: bool, pause_ms: float | None, silence_ms: float) -> bool:
    """Whether speech that resumed continues the turn before it.

    Args:
        ended_early: The turn before ended early (see :func:`commit_early`).
        pause_ms: Silence between its last speech and the new speech (``None``: unknown).
        silence_ms: The full silence window (``VadConfig.silence_ms``).

    Returns:
        True when the pause was too short to end the turn without the early end.
    """
    return ended_early and pause_ms is not None and pause_ms < silence_ms


@dataclass(frozen=True, slots=True)
class Answered:
    """What a turn heard and did, for a continuation of it (see :func:`continue_turn`).

    Attributes:
        before: The dialogue state the turn started from.
        text: What it understood (the hypothesis its calls came from).
        made: The calls it made, as ``(tool, args)``.
        reply: What it said (or began to say).
    """

    before: DialogueState
    text: str
    made: tuple[tuple[str, dict[str, Any]], ...] = ()
    reply: str = ""


def continue_turn(
    understand: Callable[[list[str], DialogueState], Understanding],
    turn: Answered,
    hypotheses: Sequence[str],
) -> Understanding:
    """Understand a continuation together with the turn it continues.

    Each hypothesis of the continuation is joined to the turn's text and the whole is
    understood from the state the turn started from; the calls the turn already made are then
    left out (each once), so what remains is what the continuation adds. Its reply is the
    turn's, when it adds nothing and asks nothing (the first reply was cut by the new speech).

    Args:
        understand: The understanding (``Understander.understand``).
        turn: The turn continued.
        hypotheses: The continuation's transcripts, most likely first.

    Returns:
        What the whole asks for beyond what was done; ``text`` is the whole.
    """
    lead = turn.text.strip()
    texts = [f"{lead} {h.strip()}".strip() for h in hypotheses if h.strip()]
    whole = understand(texts, turn.before) if texts else understand([lead], turn.before)
    left = list(turn.made)
    calls = []
    for call in whole.calls:
        done = next((m for m in left if m[0] == call.tool and m[1] == dict(call.args)), None)
        if done is not None:
            left.remove(done)
        else:
            calls.append(call)
    reply = whole.reply
    if not calls and not reply and turn.made:
        reply = turn.reply
    return replace(whole, calls=tuple(calls), reply=reply)
