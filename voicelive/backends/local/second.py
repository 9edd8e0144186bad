"""A second opinion: a bigger recogniser hears the utterance again when the first was unsure.

Whisper tiny.en is fast enough for the turn's latency targets but mishears unfamiliar voices
("a tin of tuna" as "a dinner"); Whisper base hears them better and takes about 2.3 times as
long. Running base on every turn would make every turn slower, so it runs only on the turns
where tiny.en's reading gives a cheap sign of trouble (:func:`needs_second_opinion`), on the
audio already captured, and its reading replaces tiny.en's only when it is the better one by
plain rules (:func:`choose`):

* **Why ask.** The decoder itself was unsure of tiny.en's transcript (mean log-probability per
  token below :data:`DEFAULT_MIN_CONFIDENCE`) and the reading yields no call (nothing fits, a
  question about a value it did not catch) or calls. A near miss ("I thought about skipping
  lunch") or a cancelled request is an answer, not a doubt, and is not asked about; nor is a
  transcript heard with confidence (base would only add its own mishearings).
* **What to take.** Base's reading when it makes calls and tiny.en's made none (a write only
  when base's values were all found exactly, :attr:`Understanding.complete`, from a transcript
  base was sure of, :data:`DEFAULT_MIN_WRITE_CONFIDENCE`); tiny.en's when
  the two agree or base makes no call; when both make calls and they differ, base's if
  neither writes; if either writes, one question asks which was said ("Sorry, did you say
  cooking or cookie?", answered as the write check's questions are), since a wrong write is
  worse than a question. Measured, two ways of settling it without asking wrote more wrong
  items: scoring the two whole readings (a total log-probability favours the shorter one: it
  wrote "a hand" for "a ham sarnie"), and the write check with base's transcripts among its
  rival hypotheses (+6 right, +5 wrong writes on the held-out set).
* **A question the write check would ask** ("did you say 14 or 40?") is put to the second
  recogniser first: when its reading supports one of the two and not the other, that one is
  acted on and nothing is asked (:func:`resolve_doubt`).

Plain synchronous code over hearings and understandings; the backend runs the model and
counts the outcomes (``LocalConnection.second_opinions``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from .doubt import rivals, writes_of
from .understand import Understanding

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_MIN_WRITE_CONFIDENCE",
    "Choice",
    "Reason",
    "choose",
    "needs_second_opinion",
    "outcome_counts",
    "resolve_doubt",
]

DEFAULT_MIN_CONFIDENCE = -0.3
"""Mean log-probability per token below which tiny.en's transcript is taken as unsure.

See docs/benchmarks.md ("A second opinion"): measured on the held-out voices and blind set 5.
"""

DEFAULT_MIN_WRITE_CONFIDENCE = -0.5
"""The least confidence of a second transcript whose write the first reading did not make.

Measured: the writes only Whisper base heard that were wrong came from its own garbles
("Make net 2 rice in", -0.93; "I drum a cookie right to 0", -0.56), the right ones mostly
from clear transcripts (-0.02 to -0.49).
"""

Reason = Literal["no_call", "unsure", "doubt"]
Decision = Literal["first", "second", "ask"]

_NO_CALL_KINDS = frozenset({"question", "either", "nothing", "empty"})


def needs_second_opinion(result: Understanding, confidence: float | None, *,
                         min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Reason | None:
    """Why the first reading of a turn should be heard again, or ``None`` when it stands.

    Args:
        result: What the understanding made of the first recogniser's hypotheses.
        confidence: The first transcript's mean log-probability per token
            (:attr:`~voicelive.backends.local.stt.Hearing.confidence`); ``None`` when nothing
            was heard.
        min_confidence: Below this, the transcript is unsure; at or above it, the reading
            stands whatever it is.

    Returns:
        For an unsure transcript: ``no_call`` (the reading yields no call: nothing fits, or a
        question about a value) or ``unsure`` (it makes calls); otherwise ``None``.
    """
    if confidence is None or not result.text.strip():
        return None  # nothing heard: noise, not a request to hear again
    if confidence >= min_confidence:
        # heard with confidence: a request no tool covers is heard right, base would only
        # add its own mishearings ("I didn't go running today" as a missed meal)
        return None
    if not result.calls:
        return "no_call" if result.kind in _NO_CALL_KINDS else None
    return "unsure"


@dataclass(frozen=True, slots=True)
class Choice:
    """What :func:`choose` decided between two readings of one utterance.

    Attributes:
        decision: ``first`` (keep the first recogniser's reading), ``second`` (take the
            second's) or ``ask`` (they write different things: ask which was said; from
            :func:`resolve_doubt`: the write check's question stands).
        result: The reading chosen (for ``ask``, the first one).
        rival: For ``ask``, the other reading.
        why: A short word on the rule that decided (for logs and benches).
    """

    decision: Decision
    result: Understanding
    rival: Understanding | None = None
    why: str = ""


def _calls(result: Understanding) -> frozenset[tuple[str, tuple[tuple[str, str], ...]]]:
    """Every call of ``result`` (lookups too) as :func:`~.doubt.writes_of` compares writes."""
    return writes_of(replace(result, calls=tuple(replace(c, writes=True) for c in result.calls)))


def choose(first: Understanding, second: Understanding, second_confidence: float | None = None,
           *, min_write_confidence: float = DEFAULT_MIN_WRITE_CONFIDENCE) -> Choice:
    """Choose between the first recogniser's reading and the second's.

    Args:
        first: The reading of the first (fast) recogniser's hypotheses.
        second: The reading of the second recogniser's hypotheses, understood from the same
            dialogue state.
        second_confidence: The second transcript's mean log-probability per token (``None``:
            not known, not checked).
        min_write_confidence: A write only the second reading makes is taken only from a
            transcript at least this sure.

    Returns:
        The choice (see :class:`Choice`).
    """
    if not second.calls:
        return Choice("first", first, why="second has no call")
    if not first.calls:
        if any(c.writes for c in second.calls) and (not second.complete or (
                second_confidence is not None and second_confidence < min_write_confidence)):
            return Choice("first", first, why="second's write is not sure")
        return Choice("second", second, why="only second has a call")
    if _calls(first) == _calls(second):
        return Choice("first", first, why="agree")
    if not any(c.writes for c in (*first.calls, *second.calls)):
        return Choice("second", second, why="lookups differ")
    if not rivals(first, [second]) and writes_of(first):
        # the second writes the same, less, or adds a value the first left out
        return Choice("first", first, why="no rival write")
    return Choice("ask", first, rival=second, why="writes differ")


def _supports(reading: Understanding, second: Understanding) -> bool:
    """Whether ``second`` writes, and nothing against what ``reading`` writes."""
    return bool(writes_of(second)) and (_calls(reading) == _calls(second)
                                        or not rivals(reading, [second]))


def resolve_doubt(heard: Understanding, rival: Understanding,
                  second: Understanding) -> Choice:
    """Answer the write check's question ("did you say 14 or 40?") from a second hearing.

    Args:
        heard: The reading the first recogniser's hypotheses gave (the write check's
            ``heard``).
        rival: The rival reading the write check found nearly as likely.
        second: The second recogniser's reading of the same audio.

    Returns:
        ``first`` (the heard reading) when the second hearing supports it and not the rival,
        ``second`` with the rival as :attr:`Choice.result` when it supports the rival and not
        the heard one, otherwise ``ask`` (the question stays).
    """
    for_heard, for_rival = _supports(heard, second), _supports(rival, second)
    if for_heard and not for_rival:
        return Choice("first", heard, why="second supports the heard reading")
    if for_rival and not for_heard:
        return Choice("second", rival, why="second supports the rival")
    return Choice("ask", heard, rival=rival, why="second settles nothing")


def outcome_counts() -> dict[str, int]:
    """A fresh tally of second opinions, as a connection keeps it.

    ``asked`` counts the turns heard again, by reason: :func:`needs_second_opinion`'s
    ``no_call`` and ``unsure``, and ``doubt`` (a question of the write check that the second
    hearing may answer, :func:`resolve_doubt`). Of those, ``taken`` counts the ones where the
    second reading was acted on (for ``doubt``: the rival), ``kept`` where the first stood,
    ``questions`` where a question was asked (the two wrote different things, or the write
    check's question stood), and ``failed`` the second hearings
    that could not be made (an error in the model; the first reading stood).
    """
    return dict.fromkeys(("asked", "no_call", "unsure", "doubt", "taken", "kept", "questions",
                          "failed"), 0)
