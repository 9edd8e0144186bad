"""Fuzzy template matching: the last resort for text a small recogniser got slightly wrong.

hassil matches templates exactly. Transcripts of robotic or accented speech are often one or two
words off ("I have two slices of pizza" for "had", "and 15 minutes of jogging" for "add"). Here
each template is expanded into skeletons (every alternative and optional spelled out, lists
left as slots), and a transcript is aligned to each skeleton by dynamic programming: a literal
word costs nothing when equal, a little when it sounds alike (spelling similarity), one when it
is missing or extra; a slot takes one to four words, cheaply when they are a known value. The
cheapest alignment under a length-relative budget wins.

It is plain synchronous code over word lists; :class:`~voicelive.backends.local.intent.
IntentMatcher` calls it when the exact passes found nothing, or found a match only through a
wildcard holding an unknown value (then another tool's near-exact template is preferred).
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Skeleton", "SlotKind", "align"]

_MAX_SPAN = 4
_INF = float("inf")


@dataclass(frozen=True, slots=True)
class SlotKind:
    """How a slot's words are judged.

    Attributes:
        numeric: The slot takes one number written in digits.
        closed: The slot's values are a closed set (a looser spelling match is accepted).
        values: Known values, lower-case; a fuzzy match must (nearly) hit one.
    """

    numeric: bool = False
    closed: bool = False
    values: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Skeleton:
    """One expansion of a template: literal words, and slot names in braces (``{meal}``)."""

    tool: str
    tokens: tuple[str, ...]

    @property
    def literals(self) -> int:
        """Number of literal words."""
        return sum(not t.startswith("{") for t in self.tokens)


@functools.lru_cache(maxsize=65536)
def similarity(a: str, b: str) -> float:
    """Spelling similarity of two words (1.0 when equal)."""
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _word_cost(heard: str, literal: str) -> float:
    sim = similarity(heard, literal)
    return 0.0 if sim == 1.0 else (1.0 - sim if sim >= 0.5 else 1.0)


_ARTICLES = frozenset({"a", "an", "the", "some", "my"})


def _slot_cost(kind: SlotKind, words: Sequence[str]) -> tuple[float, str]:
    if len(words) > 1 and words[0] in _ARTICLES and kind.values and not kind.numeric:
        # "some almonds": the article is not part of the value; a small cost keeps the
        # alignment that gives the article to a template word preferred.
        bare, value = _slot_cost(kind, words[1:])
        whole, whole_value = _slot_cost_words(kind, words)
        return (bare + 0.1, value) if bare + 0.1 < whole else (whole, whole_value)
    return _slot_cost_words(kind, words)


def _slot_cost_words(kind: SlotKind, words: Sequence[str]) -> tuple[float, str]:
    text = " ".join(words)
    if kind.numeric:
        try:
            float(text)
        except ValueError:
            return _INF, text
        return 0.0, text
    if text in kind.values:
        return 0.0, text
    if kind.values:
        # Known values: in a fuzzy match the slot must be one of them, nearly, so that a
        # misheard sentence is not taken as a request about some unknown thing.
        best = max(kind.values, key=lambda v: similarity(text, v))
        sim = similarity(text, best)
        floor = 0.7 if kind.closed else 0.8
        return ((1.0 - sim) * 2.0, best) if sim >= floor else (_INF, text)
    return 0.3 + 0.2 * (len(words) - 1), text


def align(
    words: Sequence[str], skeleton: Skeleton, kinds: Callable[[str], SlotKind]
) -> tuple[float, dict[str, str]]:
    """Cheapest alignment of ``words`` to ``skeleton``.

    Args:
        words: The transcript, normalised and split.
        skeleton: The expanded template.
        kinds: Slot name -> how to judge its words.

    Returns:
        ``(cost, slots)``; the cost is infinite when no alignment exists.
    """
    n, m = len(words), len(skeleton.tokens)
    cost = [[_INF] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == _INF:
                continue
            if i < n and here + 1.0 < cost[i + 1][j]:  # an extra word in the transcript
                cost[i + 1][j] = here + 1.0
                back[i + 1][j] = (i, j, "", "")
            if j == m:
                continue
            token = skeleton.tokens[j]
            if token.startswith("{"):
                name = token[1:-1]
                for k in range(1, min(_MAX_SPAN, n - i) + 1):
                    c, value = _slot_cost(kinds(name), words[i:i + k])
                    if here + c < cost[i + k][j + 1]:
                        cost[i + k][j + 1] = here + c
                        back[i + k][j + 1] = (i, j, name, value)
                continue
            if here + 1.0 < cost[i][j + 1]:  # a template word that was not heard
                cost[i][j + 1] = here + 1.0
                back[i][j + 1] = (i, j, "", "")
            if i < n:
                c = here + _word_cost(words[i], token)
                if c < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1] = c
                    back[i + 1][j + 1] = (i, j, "", "")
    slots: dict[str, str] = {}
    i, j = n, m
    while (i, j) != (0, 0) and back[i][j] is not None:
        step = back[i][j]
        assert step is not None
        pi, pj, name, value = step
        if name:
            slots[name] = value
        i, j = pi, pj
    return cost[n][m], slots


def best_match(
    words: Sequence[str],
    skeletons: Sequence[Skeleton],
    kinds: Callable[[str], SlotKind],
    *,
    budget: float = 0.25,
) -> list[tuple[float, Skeleton, dict[str, str]]]:
    """Alignments within budget, cheapest first.

    An alignment is accepted when its cost is at most ``max(1, budget * literal words)`` and
    at least half of the skeleton's literal words were heard exactly.
    """
    found: list[tuple[float, Skeleton, dict[str, str]]] = []
    heard = set(words)
    for skeleton in skeletons:
        literals = [t for t in skeleton.tokens if not t.startswith("{")]
        if not literals or sum(t in heard for t in literals) * 2 < len(literals):
            continue
        c, slots = align(words, skeleton, kinds)
        if c <= max(1.0, budget * len(literals)):
            found.append((c, skeleton, slots))
    found.sort(key=lambda f: (f[0], -f[1].literals))
    return found


def kinds_from(
    numeric: set[str], closed: Mapping[str, Sequence[str]], open_: Mapping[str, Sequence[str]]
) -> Callable[[str], SlotKind]:
    """Build the slot-kind lookup used by :func:`align`."""
    table: dict[str, SlotKind] = {}
    for name in numeric:
        table[name] = SlotKind(numeric=True)
    for name, values in closed.items():
        table[name] = SlotKind(closed=True, values=frozenset(v.lower() for v in values))
    for name, values in open_.items():
        table.setdefault(name, SlotKind(values=frozenset(v.lower() for v in values)))
    default = SlotKind()
    return lambda name: table.get(name, default)
