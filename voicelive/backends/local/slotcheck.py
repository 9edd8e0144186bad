"""Checking the values a transcript put in a request's slots against the audio itself.

A small recogniser, biased toward the tools' vocabulary, can turn a word it did not catch
into another known value: "swap the rice for quinoa" heard as "... for tilapia", "how many
calories are in an avocado" as "... in raisins". The transcript still fits a template, so the
intent matcher alone cannot tell. What can tell is the recogniser read the other way round,
without the biasing prompt: given the audio, how likely is each reading?

The decision is plain synchronous code over a :class:`SlotScorer` (the Whisper model in
production, a table in tests):

1. The matched text is scored token by token. A slot whose value the audio supports well
   (``confident``) stands; nothing more is spent on it.
2. For a doubtful slot, the distribution of the next token after the words before the slot
   ranks the slot's known values by their first token ("quinoa" by " qu").
3. The values whose first token is nearly as likely as the best one are scored in full, each
   followed by the rest of the text; one that beats the heard value by ``margin`` replaces it.

A heard value that is not a known one and that the domain finds implausible (``plausible``:
"moments" is no food) is always doubtful, and the likeliest known value replaces it unless
it is far (``allowance``) less likely: tiny.en hears Piper's "some almonds" as "some moments"
with near certainty, and a failed food lookup helps nobody.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["SlotScorer", "SlotSpan", "recheck_slots"]


class SlotScorer(Protocol):
    """Scores readings of one utterance (see :class:`~voicelive.backends.local.stt.HeardScorer`)."""

    def token_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` as it follows other words."""
        ...

    def token_logprobs(self, token_lists: Sequence[Sequence[int]]) -> list[list[float]] | None:
        """Log-probability of each token of each reading, or ``None`` if it cannot tell."""
        ...

    def next_token_logprobs(
        self, prefixes: Sequence[Sequence[int]]
    ) -> Sequence[npt.NDArray[np.float32] | None]:
        """Log-probability of every token coming next after each token prefix."""
        ...


@dataclass(frozen=True, slots=True)
class SlotSpan:
    """Where a slot's value sits in a matched text.

    Attributes:
        slot: Slot (parameter) name.
        start: Offset of the value's first character.
        end: Offset just past its last character.
    """

    slot: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Reading:
    """Token runs of a text: before a slot's value, the value, and after it."""

    before: list[int]
    value: list[int]
    after: list[int]

    @property
    def tokens(self) -> list[int]:
        return [*self.before, *self.value, *self.after]


def recheck_slots(
    text: str,
    spans: Sequence[SlotSpan],
    known: Mapping[str, Sequence[str]],
    scorer: SlotScorer,
    *,
    plausible: Callable[[str, str], bool] | None = None,
    confident: float = -1.5,
    spread: float = 2.0,
    shortlist: int = 4,
    margin: float = 1.0,
    allowance: float = 10.0,
) -> dict[str, str]:
    """Find slot values the audio supports better than the transcript's.

    Args:
        text: The text the template matched.
        spans: The slots to check and where their values are in ``text`` (not overlapping).
        known: Known values per slot; a slot with fewer than two is not checked.
        scorer: Scores readings of the utterance ``text`` was heard from.
        plausible: ``plausible(slot, value)`` says whether a heard value that is not a known
            one could still be meant (a food in a food database); an implausible value is
            always checked and gives way to a known value up to ``allowance`` less likely.
        confident: A heard value whose tokens have at least this total log-probability
            (natural log) stands without further checks.
        spread: A value whose first token is at most this much less likely than the best
            value's is a candidate.
        shortlist: At most this many candidates per slot besides the heard value.
        margin: How much likelier (natural log) a candidate must be than the heard value,
            counting the words after it, to replace it.
        allowance: How much less likely a known value may be than an implausible heard one
            and still replace it.

    Returns:
        The new value of each slot that changes (empty when the transcript stands).
    """
    checked = sorted((s for s in spans if len(known.get(s.slot, ())) > 1 and 0 <= s.start < s.end),
                     key=lambda s: s.start)
    if not checked or any(a.end > b.start for a, b in itertools.pairwise(checked)):
        return {}
    # Tokenise the text once, cut at every slot, so one scoring call covers all the slots.
    runs: list[list[int]] = []
    at = 0
    for span in checked:
        runs.append(scorer.token_ids(text[at: span.start]))
        runs.append(scorer.token_ids(text[span.start: span.end]))
        at = span.end
    runs.append(scorer.token_ids(text[at:]))
    heard = [_Reading(_join(runs[: 2 * k + 1]), runs[2 * k + 1], _join(runs[2 * k + 2:]))
             for k in range(len(checked))]
    found = scorer.token_logprobs([heard[0].tokens])
    if found is None or len(found[0]) != len(heard[0].tokens):
        return {}
    logprobs = found[0]
    said = [text[span.start:span.end].strip() for span in checked]
    doubtful: list[int] = []
    heard_scores: list[float] = []
    needed: list[float] = []
    for k, reading in enumerate(heard):
        first = len(reading.before)
        heard_scores.append(float(sum(logprobs[first:])))
        slot = checked[k].slot
        strange = plausible is not None and said[k].lower() not in {
            v.lower() for v in known[slot]} and not plausible(slot, said[k])
        needed.append(-allowance if strange else margin)
        if strange or sum(logprobs[first: first + len(reading.value)]) < confident:
            doubtful.append(k)
    if not doubtful:
        return {}
    dists = scorer.next_token_logprobs([heard[k].before for k in doubtful])
    trials: list[tuple[int, str, _Reading]] = []
    for k, dist in zip(doubtful, dists, strict=True):
        if dist is None:
            continue
        for value in _shortlist(said[k], known[checked[k].slot], scorer, dist, spread,
                                shortlist):
            trials.append((k, value, _Reading(heard[k].before, scorer.token_ids(value),
                                              heard[k].after)))
    if not trials:
        return {}
    scored = scorer.token_logprobs([r.tokens for _, _, r in trials])
    if scored is None:
        return {}
    best: dict[int, tuple[float, str]] = {}
    for (k, value, reading), values in zip(trials, scored, strict=True):
        if len(values) != len(reading.tokens):
            continue
        score = float(sum(values[len(reading.before):]))
        if score > heard_scores[k] + needed[k] and score > best.get(k, (-np.inf, ""))[0]:
            best[k] = (score, value)
    return {checked[k].slot: value for k, (_, value) in best.items()}


def _join(runs: Sequence[list[int]]) -> list[int]:
    return [token for run in runs for token in run]


def _shortlist(
    heard: str,
    values: Sequence[str],
    scorer: SlotScorer,
    dist: npt.NDArray[np.float32],
    spread: float,
    size: int,
) -> list[str]:
    """The known values (other than the heard one) whose first token the audio favours."""
    ranked: list[tuple[float, str]] = []
    for value in dict.fromkeys(v for v in values if v.lower() != heard.lower()):
        ids = scorer.token_ids(value)
        if ids and 0 <= ids[0] < dist.shape[0]:
            ranked.append((float(dist[ids[0]]), value))
    if not ranked:
        return []
    ranked.sort(key=lambda r: -r[0])
    top = ranked[0][0]
    return [v for lp, v in ranked if lp >= top - spread][:size]
