"""Words of an utterance: normalised tokens with their stems and concepts, and phrase finding.

Everything here is driven by a :class:`~.language.Language`; the code knows no words itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .language import Language
from .numbers import normalize_numbers

__all__ = ["Lexicon", "Token", "find_phrases", "tokenize"]

_TOKEN = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)*|'[a-z]+|[.?!,;%]")
_SENTENCE_END = frozenset(".?!;")


@dataclass(frozen=True, slots=True)
class Token:
    """One word (or punctuation mark) of normalised text.

    Attributes:
        word: The word as normalised (lower case, numbers as digits).
        start: Offset of its first character in the normalised text.
        end: Offset just past it.
    """

    word: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        """Whether the token is a number written in digits."""
        return self.word[0].isdigit()

    @property
    def is_punct(self) -> bool:
        """Whether the token is a punctuation mark."""
        return not self.word[0].isalnum() and self.word[0] != "'"

    @property
    def ends_sentence(self) -> bool:
        """Whether the token is a sentence end (``.``, ``?``, ``!`` or ``;``)."""
        return self.word in _SENTENCE_END


def tokenize(text: str, language: Language) -> tuple[str, list[Token]]:
    """Normalise ``text`` (lower case, spoken numbers as digits) and split it into tokens.

    Returns:
        ``(normalised text, tokens)``; token offsets index the normalised text.
    """
    norm = normalize_numbers(text.replace("\u2019", "'"), language)
    norm = re.sub(r"(\d)([a-z])", r"\1 \2", norm)  # "20minute" -> "20 minute"
    return norm, _without_restarts([Token(m.group(0), m.start(), m.end())
                                    for m in _TOKEN.finditer(norm)])


_MAX_RESTART = 3


def _without_restarts(tokens: list[Token]) -> list[Token]:
    """Tokens with a restarted run of words said once.

    "could i, could i swap" is "could i swap", "i i had" is "i had": a run of up to three
    words said again at once (a comma may sit between) is a speaker's restart, not two
    requests; the later copy is kept.
    """
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        for size in range(1, _MAX_RESTART + 1):
            comma = len(out) > 2 * size and out[-size - 1].word == ","
            first = len(out) - 2 * size - (1 if comma else 0)
            if first < 0:
                continue
            earlier, later = out[first:first + size], out[-size:]
            if (all(t.word[0].isalpha() for t in later)
                    and [t.word for t in earlier] == [t.word for t in later]):
                del out[first:len(out) - size]
                break
    return out


def _clitic(word: str) -> bool:
    """Whether a word ends in the "'s" of "is" ("dinner's off")."""
    return len(word) > 3 and word.endswith("'s") and word[0].isalpha()


class Lexicon:
    """Stems and concepts of words, and phrase search, for one language."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._concepts = {self._stem(w): c for w, c in language.concepts.items()}
        self._concepts.update(language.concepts)
        self.filler_words = frozenset(f for f in language.fillers if " " not in f)
        self.opposed: frozenset[str] = frozenset()
        """Concepts whose opposite (with a prefix of the language) some tool also knows."""
        self._absence_stems = tuple(sorted({" ".join(self.stem(w) for w in p.split())
                                            for p in language.absence}))

    def stem(self, word: str) -> str:
        """A crude stem: irregular forms from the language, then common endings removed."""
        return _cached_stem(self, word)

    def _stem(self, word: str) -> str:
        irregular = self.language.irregular.get(word)
        if irregular is not None:
            return irregular
        w = word
        if w.endswith("n't"):
            return w
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) > 4 and w.endswith("ies"):
            return w[:-3] + "y"
        for suffix in ("ing", "ed"):
            if len(w) > len(suffix) + 2 and w.endswith(suffix):
                w = w[: -len(suffix)]
                if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz":
                    w = w[:-1]
                return w
        if len(w) > 4 and w.endswith(("ches", "shes", "xes", "sses")):
            return w[:-2]
        if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            return w[:-1]
        return w

    def absences(self, words: Sequence[str]) -> list[tuple[int, int]]:
        """Where absence phrases occur in ``words``, as said or in another form of the verb.

        "had to pass on lunch", "passing on dinner", "gave up on breakfast": the phrases are
        matched on the words as said (with "zero" read as "no") and on their stems; the
        ranges do not overlap, the form as said first.
        """
        lang = self.language
        # "I didn't actually eat": an adverb inside the phrase changes nothing
        kept = [i for i, w in enumerate(words) if w not in lang.inserts or i == 0]
        # "dinner's off": the "'s" is the "is" of "is off", the meal is no part of the phrase
        plain = ["no" if words[i] in lang.as_no else "is" if _clitic(words[i]) else words[i]
                 for i in kept]
        said = [(kept[s] + (1 if _clitic(words[kept[s]]) else 0), kept[e - 1] + 1)
                for s, e in find_phrases(plain, lang.absence) if e - s > 1 or not _clitic(
                    words[kept[s]])]
        stemmed = find_phrases([self.stem(w) for w in words], self._absence_stems)
        out = list(said)
        for s, e in stemmed:
            if not any(a < e and s < b for a, b in out):
                out.append((s, e))
        return sorted(out)

    def fold(self, word: str) -> str:
        """A word without a plural or possessive ending (for matching vocabulary phrases)."""
        if word.endswith("'s") and len(word) > 3:
            word = word[:-2]  # "dinner's done", "grandma's pie"
        if len(word) > 4 and word.endswith("ies"):
            return word[:-3] + "y"
        if len(word) > 4 and word.endswith(("ches", "shes", "xes", "oes")):
            return word[:-2]
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            return word[:-1]
        return word

    def concept(self, word: str) -> str:
        """The concept a word stands for (its stem when it belongs to none)."""
        if word in self._concepts:
            return self._concepts[word]
        stem = self.stem(word)
        return self._concepts.get(stem, stem)

    def is_content(self, word: str) -> bool:
        """Whether ``word`` can be evidence (not a stop word, number or punctuation)."""
        return (word[0].isalpha() and word not in self.language.stop
                and word not in self.filler_words)


@lru_cache(maxsize=16384)
def _cached_stem(lexicon: Lexicon, word: str) -> str:
    return lexicon._stem(word)


def find_phrases(words: Sequence[str], phrases: Sequence[str]) -> list[tuple[int, int]]:
    """Where any of ``phrases`` occurs in ``words``.

    Returns ``(start, end)`` token ranges, the longest phrase at each position, not overlapping.
    """
    firsts, full = _phrase_table(tuple(phrases))
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        best = 0
        for length in firsts.get(words[i], ()):
            if i + length <= len(words) and tuple(words[i:i + length]) in full:
                best = length
                break
        if best:
            out.append((i, i + best))
            i += best
        else:
            i += 1
    return out


@lru_cache(maxsize=64)
def _phrase_table(
    phrases: tuple[str, ...],
) -> tuple[dict[str, tuple[int, ...]], frozenset[tuple[str, ...]]]:
    firsts: dict[str, set[int]] = {}
    full: set[tuple[str, ...]] = set()
    for phrase in phrases:
        words = tuple(phrase.split())
        if words:
            full.add(words)
            firsts.setdefault(words[0], set()).add(len(words))
    return ({k: tuple(sorted(v, reverse=True)) for k, v in firsts.items()}, frozenset(full))
