"""Word handling shared by the food and activity search: tokens, plural folding, typo matching.

Everything here is pure and deterministic. Words are lower-cased, split on anything that is not a
letter or digit, and folded to a singular-ish stem ("berries" -> "berry", "tomatoes" -> "tomato",
"eggs" -> "egg") so that a query and a description meet on the same spelling. Small misspellings
are caught with a deletion index (the SymSpell idea): every vocabulary word is stored under the
strings obtained by deleting one or two of its letters, so a query word finds its neighbours with
a handful of dictionary lookups instead of a scan of the vocabulary.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache

__all__ = ["TypoIndex", "damerau_distance", "stem", "tokens"]

_WORD = re.compile(r"[a-z0-9]+")

# Words whose trailing "s" is not a plural, or whose plural is irregular.
_KEEP = frozenset(
    {
        "asparagus", "citrus", "couscous", "grits", "hummus", "molasses", "octopus", "swiss",
        "brussels", "this", "plus", "gas", "series", "species", "analysis", "yes",
    }
)
_IRREGULAR = {
    "leaves": "leaf", "loaves": "loaf", "halves": "half", "knives": "knife", "children": "child",
    "geese": "goose", "feet": "foot", "teeth": "tooth", "mice": "mouse", "men": "man",
    "women": "woman", "potatoes": "potato", "tomatoes": "tomato", "mangoes": "mango",
    "avocados": "avocado", "cookies": "cookie", "brownies": "brownie", "pies": "pie",
    "fries": "fry", "dishes": "dish", "sandwiches": "sandwich", "peaches": "peach",
    "radishes": "radish", "squashes": "squash", "boxes": "box",
    "anchovies": "anchovy", "berries": "berry", "cherries": "cherry",
}


@lru_cache(maxsize=1 << 16)  # the food table's 70,000 words are 6,000 distinct ones
def stem(word: str) -> str:
    """Fold a lower-case word to the singular form used for matching.

    Args:
        word: One lower-case word without punctuation.

    Returns:
        The folded word; words of three letters or fewer are returned unchanged.
    """
    if len(word) <= 3 or word in _KEEP or word.isdigit():
        return word
    irregular = _IRREGULAR.get(word)
    if irregular is not None:
        return irregular
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("oes"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Split text into folded word tokens.

    Args:
        text: Any text, in any case.

    Returns:
        The folded tokens in order of appearance.
    """
    return [stem(w) for w in _WORD.findall(text.lower())]


def damerau_distance(a: str, b: str, limit: int = 2) -> int:
    """Edit distance counting insertions, deletions, substitutions and adjacent swaps.

    Args:
        a: First word.
        b: Second word.
        limit: Distances above this are reported as ``limit + 1`` (lets the loop stop early).

    Returns:
        The optimal-string-alignment distance, capped at ``limit + 1``.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        best = cur[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, prev2[j - 2] + 1)
            cur[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[len(b)], limit + 1)


def _allowed_edits(word: str) -> int:
    """How many typos a word of this length may carry and still be recognised."""
    if len(word) <= 3:
        return 0
    if len(word) <= 6:
        return 1
    return 2


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        nxt: set[str] = set()
        for w in frontier:
            for i in range(len(w)):
                nxt.add(w[:i] + w[i + 1 :])
        out |= nxt
        frontier = nxt
    return out


class TypoIndex:
    """Finds vocabulary words within a small edit distance of a query word.

    Args:
        vocabulary: The known words (already folded with :func:`stem`), each with a weight such
            as how many descriptions use it; among equally close words the heavier comes first.
    """

    def __init__(self, vocabulary: Mapping[str, int]) -> None:
        self._weight = dict(vocabulary)
        self._words = frozenset(vocabulary)
        self._by_delete: dict[str, list[str]] = defaultdict(list)
        for word in self._words:
            for variant in _deletes(word, _allowed_edits(word)):
                self._by_delete[variant].append(word)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def near(self, word: str) -> list[tuple[str, int]]:
        """Vocabulary words close to ``word``, with their distances, closest first.

        Args:
            word: A folded query word.

        Returns:
            ``(vocabulary_word, distance)`` pairs; the word itself comes first at distance 0
            when it is in the vocabulary. Empty when nothing is close enough.
        """
        if word in self._words:
            return [(word, 0)]
        limit = _allowed_edits(word)
        if limit == 0:
            return []
        seen: dict[str, int] = {}
        for variant in _deletes(word, limit):
            for candidate in self._by_delete.get(variant, ()):
                if candidate in seen:
                    continue
                dist = damerau_distance(word, candidate, limit)
                if dist <= min(limit, _allowed_edits(candidate)):
                    seen[candidate] = dist
        return sorted(seen.items(), key=lambda item: (item[1], -self._weight[item[0]], item[0]))
