"""Choosing among the recogniser's hypotheses by the audio, when they are read differently.

The understanding takes the first hypothesis it understands well (the beam's order, made
with the biasing prompt). On unfamiliar voices the beam often puts the words that were said
second or fourth: "a can of granular sugar" before "a can of regular soda", "a big mat"
before "a Big Mac", "How long do I boil an end" before "... an egg". Each hypothesis,
understood alone, is a reading of the turn; when two readings would do different things,
the audio itself (read again without the prompt, as the write check does) can say which
was said.

Plain synchronous code: :func:`rival_readings` makes the readings worth scoring,
:func:`choose_reading` decides from their scores. The backend supplies the understanding and
the scorer (:func:`~.readings.score_readings` over the Whisper model); a write the choice
lands on is still weighed by :mod:`~.doubt` before it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .understand import DialogueState, Understanding

__all__ = ["DEFAULT_RESCORE_MARGIN", "Rescored", "choose_reading", "rival_readings"]

DEFAULT_RESCORE_MARGIN = 2.0
"""How much likelier (natural log) the audio must find another reading than the chosen one."""

MAX_READINGS = 4
"""At most this many hypotheses are understood again and scored (one batch)."""


def _does(result: Understanding) -> str:
    """What a reading would do: its calls, or its kind when it makes none."""
    if not result.calls:
        return f"({result.kind})"
    return repr([(c.tool, sorted(c.args.items(), key=lambda kv: kv[0])) for c in result.calls])


def rival_readings(
    understand: Callable[[list[str], DialogueState], Understanding],
    hypotheses: Sequence[str],
    before: DialogueState,
    chosen: Understanding,
) -> list[Understanding]:
    """The hypotheses' readings that would do something other than ``chosen`` (one each).

    Args:
        understand: The understanding (``Understander.understand``).
        hypotheses: The recogniser's transcripts, most likely first.
        before: The dialogue state the turn started from.
        chosen: What the understanding made of all the hypotheses together.

    Returns:
        The first reading of each other outcome, in the hypotheses' order.
    """
    seen = {_does(chosen)}
    out: list[Understanding] = []
    for text in hypotheses[:MAX_READINGS]:
        if not text.strip() or text.strip() == chosen.text.strip():
            continue
        reading = understand([text], before)
        key = _does(reading)
        if reading.text and key not in seen:
            seen.add(key)
            out.append(reading)
    return out


@dataclass(frozen=True, slots=True)
class Rescored:
    """The reading a turn acts on after the audio was asked.

    Attributes:
        result: The reading chosen.
        switched: Whether it replaced the understanding's choice.
        margin: How much likelier the best rival was than the chosen reading (``None``:
            nothing was scored).
    """

    result: Understanding
    switched: bool = False
    margin: float | None = None


def choose_reading(
    chosen: Understanding,
    rivals: Sequence[Understanding],
    score: Callable[[Sequence[str]], Sequence[float] | None],
    *,
    margin: float = DEFAULT_RESCORE_MARGIN,
) -> Rescored:
    """Keep ``chosen`` unless the audio favours a rival reading by more than ``margin``.

    Args:
        chosen: The understanding's choice.
        rivals: Readings that would do something else (:func:`rival_readings`).
        score: Total log-probability of each text as a reading of the audio, or ``None``
            when it cannot tell (then nothing changes).
        margin: Natural-log margin a rival must beat ``chosen`` by.

    Returns:
        The reading to act on.
    """
    if not rivals:
        return Rescored(chosen)
    scores = score([chosen.text, *(r.text for r in rivals)])
    if not scores or len(scores) != len(rivals) + 1:
        return Rescored(chosen)
    best = max(range(len(rivals)), key=lambda i: scores[i + 1])
    lead = scores[best + 1] - scores[0]
    if lead > margin:
        return Rescored(rivals[best], True, lead)
    return Rescored(chosen, False, lead)
