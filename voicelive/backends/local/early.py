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
  of the transcripts and the understanding's match. It is a Protocol so the understanding can
  supply its own answer; :func:`judge_by_match` is the default built on
  :class:`~voicelive.backends.local.intent.IntentMatch`.
* :func:`commit_early` is the timing rule: given the pause so far and the verdict (``None``
  while the recogniser is still running), whether to end the turn now.

If the user does speak again after an early commit, that is a barge-in like any other: the
reply is cut and the new speech is a new turn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from .intent import IntentMatch

__all__ = [
    "DEFAULT_EARLY_COMMIT_MS",
    "CompletenessJudge",
    "commit_early",
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

    def __call__(self, texts: Sequence[str], match: IntentMatch | None) -> bool:
        """Judge one utterance.

        Args:
            texts: The recogniser's transcripts, most likely first.
            match: What the understanding made of them (``None``: no tool fits).

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


def judge_by_match(texts: Sequence[str], match: IntentMatch | None) -> bool:
    """The default judge: an exact match of the top transcript, which sounds finished.

    "Exact" means every slot took a known value or a number, with no fuzzy correction (see
    :class:`~voicelive.backends.local.intent.IntentMatch`); a match found only in a runner-up
    transcript is not confident enough to cut the silence short.
    """
    if match is None or not match.exact or match.corrected or not texts:
        return False
    return sounds_finished(texts[0])


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
