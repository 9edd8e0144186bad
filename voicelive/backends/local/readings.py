"""The rival readings of a heard write, and their scores against the audio.

The write check (:mod:`~voicelive.backends.local.doubt`) weighs the reading a write came from
against other readings of the same audio. This module makes those readings and scores them:

* :func:`splices` - the heard text with one run of words from another hypothesis of the beam
  ("I had a shark at lunch" and "... a snack and lunch" give "I had a snack at lunch");
* :func:`number_twins` - the heard text with a teen or ten swapped for its near-homophone
  ("14" and "40", "fifteen" and "fifty"), which tiny.en confuses on unfamiliar voices;
* :func:`score_readings` - each text's total log-probability as a reading of the audio, in
  one :func:`canonical` form so case and punctuation do not count;
* :func:`whole_first` - the order of the beam's transcripts with one that the recogniser cut
  short (it stopped after the first sentence of a long utterance) put after the whole one.

Plain synchronous code over texts and a :class:`~.slotcheck.SlotScorer`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from .slotcheck import SlotScorer
from .understand.language import ENGLISH

__all__ = [
    "MAX_SPLICES",
    "canonical",
    "number_twins",
    "rival_texts",
    "score_readings",
    "splices",
    "whole_first",
]

_TEEN_OF_TEN = {30: 13, 40: 14, 50: 15, 60: 16, 70: 17, 80: 18, 90: 19}
_TEN_OF_TEEN = {v: k for k, v in _TEEN_OF_TEN.items()}
_SPOKEN = {**ENGLISH.number_units, **ENGLISH.number_tens}  # the language's number words
_WORDS: dict[int, str] = {}
for _word, _n in _SPOKEN.items():  # the first spelling of each twin ("forty", not "fourty")
    if _n in _TEEN_OF_TEN or _n in _TEN_OF_TEEN:
        _WORDS.setdefault(_n, _word)
_BY_WORD = {w: n for n, w in _WORDS.items()}
_UNITS = frozenset(w for w, n in ENGLISH.number_units.items() if 1 <= n <= 9)
_NUMBER = re.compile(r"(?<![\w.,])(\d+|[A-Za-z]+)(?![\w]|[.,]\d)")
_WORD = re.compile(r"[A-Za-z0-9']+(?:[.,-][A-Za-z0-9']+)*")


def number_twins(text: str) -> list[str]:
    """``text`` once per number with a near-homophone, that number swapped for it.

    "a 14 minute walk" gives "a 40 minute walk"; "fifty grams" gives "fifteen grams". A tens
    word followed by a unit ("forty five") is one number and has no twin.
    """
    out: list[str] = []
    for m in _NUMBER.finditer(text):
        word = m.group(1)
        if word.isdigit():
            n = int(word)
            twin = _TEN_OF_TEEN.get(n) or _TEEN_OF_TEN.get(n)
            swapped = str(twin) if twin is not None else None
        else:
            n = _BY_WORD.get(word.lower(), 0)
            twin = _TEN_OF_TEEN.get(n) or _TEEN_OF_TEN.get(n)
            following = text[m.end():].split(maxsplit=1)
            if n in _TEEN_OF_TEN and following and following[0].lower().strip(
                    "-,.") in _UNITS:
                twin = None
            swapped = None if twin is None else _cased(_WORDS[twin], word)
        if swapped is not None:
            out.append(text[:m.start()] + swapped + text[m.end():])
    return out


MAX_SPLICES = 6
"""Most readings made from the other hypotheses per turn (see :func:`splices`)."""


def splices(heard: str, hypotheses: Sequence[str], limit: int = MAX_SPLICES) -> list[str]:
    """The heard text with one run of words taken from another hypothesis, once per run.

    "I had a shark at lunch" and a hypothesis "I had a snack and lunch" give "I had a snack
    at lunch" and "I had a shark and lunch": each reading differs from the heard one in one
    place, so scoring the two against the audio weighs that place alone (a whole hypothesis
    also differs where nothing is written, and a garbled end would outweigh the value).
    """
    spans = [(m.start(), m.end()) for m in _WORD.finditer(heard)]
    mine = [heard[a:b].lower() for a, b in spans]
    out: list[str] = []
    for other in hypotheses:
        theirs = _WORD.findall(other)
        matcher = difflib.SequenceMatcher(a=mine, b=[w.lower() for w in theirs], autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            words = " ".join(theirs[j1:j2])
            if i1 < i2:
                start, end = spans[i1][0], spans[i2 - 1][1]
            else:  # an insertion: after the word before it (or before the first)
                start = end = spans[i1 - 1][1] if i1 else 0
                words = (" " + words) if i1 else (words + " ")
            text = " ".join((heard[:start] + words + heard[end:]).split())
            if text.lower() != heard.lower() and text not in out:
                out.append(text)
            if len(out) >= limit:
                return out
    return out


def rival_texts(hypotheses: Sequence[str], heard: str) -> tuple[list[str], list[str]]:
    """The texts to understand as rival readings of a turn whose result was ``heard``.

    Returns:
        The heard text spliced with the recogniser's other hypotheses (:func:`splices`), and
        its number twins (:func:`number_twins`).
    """
    mine = heard.strip().lower()
    others = [t.strip() for t in hypotheses if t.strip() and t.strip().lower() != mine]
    return splices(heard, others), number_twins(heard)


def _cased(word: str, like: str) -> str:
    return word.capitalize() if like[:1].isupper() else word


def canonical(text: str) -> str:
    """A reading written one way for scoring.

    Lower case but "I" and the first letter, no punctuation but a final full stop
    (transcripts and understood texts differ in both).
    """
    plain = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text.lower())  # "1,750" is 1750
    words = re.findall(r"[A-Za-z0-9']+(?:[.-][A-Za-z0-9']+)*", plain)
    if not words:
        return ""
    line = " ".join("I" if w == "i" else w for w in words)
    return line[0].upper() + line[1:] + "."


def score_readings(texts: Sequence[str], scorer: SlotScorer) -> list[float] | None:
    """Total log-probability of each text as a reading of the audio (``None``: cannot tell).

    Every text is scored in its :func:`canonical` form, so case and punctuation do not count.
    """
    tokens = [scorer.token_ids(canonical(t)) for t in texts]
    if not all(tokens):
        return None
    found = scorer.token_logprobs(tokens)
    if found is None or any(len(f) != len(t) for f, t in zip(found, tokens, strict=True)):
        return None
    return [float(sum(f)) for f in found]


CUT_SHORT_RATE = 1.5
"""Words a second below which a transcript of a long utterance has left speech out."""
WHOLE_RATE = 4.5
"""Words a second above which a longer transcript says more than the audio can hold."""
LONG_UTTERANCE_S = 4.0
"""Utterances shorter than this are never taken to be cut short (a "yes" and its silence)."""


def whole_first(texts: Sequence[str], seconds: float) -> list[int]:
    """The order in which to take the beam's transcripts, a cut-short first one moved back.

    Whisper sometimes ends its likeliest transcript after the first sentence of a long
    utterance: 6.6 s of "I went for a swim for thirty minutes, I weigh seventy-four kilos, and
    after that I had a protein bar" heard as "I went for a swim for 30 minutes." (8 words, 1.2
    a second), while another hypothesis of the same beam goes on through the rest. When the
    first transcript is that slow for a long utterance and a later one starts with its words,
    adds at least three and keeps a speaking pace, the later one is taken first.

    Args:
        texts: The transcripts, most likely first.
        seconds: Length of the utterance's audio.

    Returns:
        Indexes into ``texts``, in the order to take them (``range(len(texts))`` when nothing
        was cut short).
    """
    order = list(range(len(texts)))
    if len(texts) < 2 or seconds < LONG_UTTERANCE_S:
        return order
    words = [re.findall(r"[a-z0-9']+", text.lower().replace(",", "")) for text in texts]
    first = words[0]
    if not first or len(first) / seconds >= CUT_SHORT_RATE:
        return order
    longer = [k for k in order[1:] if words[k][:len(first)] == first
              and len(words[k]) >= len(first) + 3 and len(words[k]) / seconds <= WHOLE_RATE]
    if not longer:
        return order
    best = max(longer, key=lambda k: len(words[k]))
    return [best, *[k for k in order if k != best]]
