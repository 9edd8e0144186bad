"""Typed values anywhere in an utterance: vocabulary phrases, numbers, amounts with units.

Values are found before any tool is chosen, over the whole clause; which parameter takes which
value is decided per tool later (:mod:`.assign`). Hits may overlap ("2" inside "2 slices of");
a tool's assignment uses non-overlapping ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from voicelive.tools.hints import Vocabulary

from .language import Language
from .text import Lexicon, Token

__all__ = ["HIGH", "LOW", "MEDIUM", "Hit", "ValueIndex", "verb_at"]

HIGH = 3
"""A known value, an exact number: enough for a tool that writes."""
MEDIUM = 2
"""A value the vocabulary's plausibility check accepts, or free text where no list exists."""
LOW = 1
"""A guess: never enough for a write."""

_MAX_PHRASE = 6


@dataclass(frozen=True, slots=True)
class Hit:
    """A value found in the clause.

    Attributes:
        start: First token index.
        end: Token index just past the value.
        kind: ``vocab`` (a phrase of a vocabulary), ``number`` or ``text`` (free text).
        value: The value to pass (canonical phrase, or the number).
        unit: For numbers, the unit said after it (``min``, ``ml`` ...), else ``None``.
        vocab: For vocabulary phrases, which vocabulary (its position in the index).
        confidence: :data:`HIGH`, :data:`MEDIUM` or :data:`LOW`.
    """

    start: int
    end: int
    kind: str
    value: str | float
    unit: str | None = None
    vocab: int = -1
    confidence: int = HIGH

    def overlaps(self, other: Hit) -> bool:
        """Whether the two values share a token."""
        return self.start < other.end and other.start < self.end


def _key(words: Iterable[str]) -> tuple[str, ...]:
    return tuple("#" if w[0].isdigit() else w for w in words)


class ValueIndex:
    """Every vocabulary of every tool, indexed by phrase for one pass over a clause."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self.lexicon = lexicon
        self.vocabularies: list[Vocabulary] = []
        self._ids: dict[int, int] = {}
        self.users: dict[int, int] = {}
        """How many tools use each vocabulary."""
        self.unit_users: dict[str, int] = {}
        """How many tools have a required parameter in each unit."""
        self._exact: dict[tuple[str, ...], list[tuple[int, str]]] = {}
        self._stemmed: dict[tuple[str, ...], list[tuple[int, str]]] = {}
        lang = lexicon.language
        self._verbs = frozenset(
            w for w in (*lang.request_verbs, *lang.setting_verbs,
                        *(p for p in (*lang.marks_new, *lang.marks_old) if " " not in p)))
        """Verbs of requests and swaps: never a word of a value grown from a known one."""

    def plausible(self, text: str, *, besides: Vocabulary | None = None) -> bool:
        """Whether an open vocabulary (other than ``besides``) finds ``text`` plausible.

        "chapati": no list holds the word, but the food list's check knows it.
        """
        return any(v is not besides and not v.closed and v.plausible is not None
                   and v.plausible(text) for v in self.vocabularies)

    def add(self, vocabulary: Vocabulary) -> int:
        """Index a vocabulary (once per object); returns its id."""
        found = self._ids.get(id(vocabulary))
        if found is not None:
            self.users[found] += 1
            return found
        vid = len(self.vocabularies)
        self.vocabularies.append(vocabulary)
        self._ids[id(vocabulary)] = vid
        self.users[vid] = 1
        entries = [(v, v) for v in vocabulary.values] + list(vocabulary.aliases.items())
        for phrase, canonical in entries:
            words = phrase.split()
            if not words or len(words) > _MAX_PHRASE:
                continue
            key = _key(words)
            self._exact.setdefault(key, []).append((vid, canonical))
            stemmed = tuple(self._lexicon.fold(w) for w in key)
            self._stemmed.setdefault(stemmed, []).append((vid, canonical))
        return vid

    def id_of(self, vocabulary: Vocabulary | None) -> int:
        """The id of an indexed vocabulary (-1 for ``None``)."""
        return -1 if vocabulary is None else self._ids.get(id(vocabulary), -1)

    def find(self, tokens: Sequence[Token]) -> list[Hit]:
        """All vocabulary phrases and numbers in ``tokens`` (longest per start and vocabulary)."""
        words = [t.word for t in tokens]
        hits: list[Hit] = []
        stems = [self._lexicon.fold(w) for w in _key(words)]
        # "brownies", "cookies": the plural of a word in "-ie", not of one in "-y"
        ies = [w[:-1] if w.endswith("ies") else f for w, f in zip(_key(words), stems,
                                                                   strict=True)]
        for i in range(len(words)):
            if tokens[i].is_punct:
                continue
            seen: set[int] = set()
            for length in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
                key = _key(words[i:i + length])
                found = (self._exact.get(key) or self._stemmed.get(tuple(stems[i:i + length]))
                         or self._stemmed.get(tuple(ies[i:i + length])))
                for vid, canonical in found or ():
                    if vid in seen:
                        continue
                    seen.add(vid)
                    said = " ".join(words[i:i + length])
                    aliased = self.vocabularies[vid].aliases.get(" ".join(key))
                    value = aliased or (said if "#" in key or canonical == " ".join(key)
                                        else canonical)
                    hits.append(Hit(i, i + length, "vocab", value, vocab=vid))
        hits += self._extended(words, hits)
        hits += self._numbers(tokens)
        # a number that only frames another ("from 1500 to 1800") is no value of any kind
        return [h for h in hits if not (h.end - h.start == 1 and tokens[h.start].is_number
                                        and _no_value(tokens, h.start))]

    def _extended(self, words: Sequence[str], hits: Sequence[Hit]) -> list[Hit]:
        """Known phrases grown by plain words said next to them.

        A longer phrase is taken when the vocabulary finds it plausible ("kimchi pancake",
        "mango smoothie", where one word is known).
        """
        out: list[Hit] = []
        for hit in hits:
            vocab = self.vocabularies[hit.vocab]
            if vocab.closed or vocab.plausible is None:
                continue
            for start, end in self._growths(words, hits, hit):
                phrase = " ".join(words[start:end])
                if vocab.plausible(phrase):
                    out.append(Hit(start, end, "vocab", phrase, vocab=hit.vocab,
                                   confidence=MEDIUM))
                    break
        return out

    def _growths(self, words: Sequence[str], hits: Sequence[Hit],
                 hit: Hit) -> list[tuple[int, int]]:
        """Spans around ``hit`` grown by up to two plain words on either side, longest first."""
        def plain(i: int) -> bool:
            if not 0 <= i < len(words):
                return False
            word = words[i]
            if any(h.start <= i < h.end for h in hits if h.vocab == hit.vocab):
                return True
            lexicon, lang = self._lexicon, self._lexicon.language
            return (lexicon.is_content(word) and word not in lang.irregular
                    and word not in self._verbs  # "use couscous" is no dish
                    and word not in lang.not_values  # nor "another coffee"
                    and word not in lang.questions  # nor "does broccoli"
                    and lexicon.concept(word) == lexicon.stem(word)
                    and word not in lang.negations and word not in lang.units
                    and word not in lang.context_heads  # nor "after tea"
                    # "I baked cookies", "meal prepping chicken": a verb; "a fried egg" a dish
                    and (word not in lang.handling or not verb_at(words, i, lang))
                    and not any(h.start <= i < h.end for h in hits))

        left = 0
        while left < 2 and plain(hit.start - left - 1):
            left += 1
        right = 0
        while right < 2 and plain(hit.end + right):
            right += 1
        spans = [(hit.start - a, hit.end + b) for a in range(left + 1) for b in range(right + 1)
                 if a or b]
        return sorted(spans, key=lambda s: s[0] - s[1])

    def _numbers(self, tokens: Sequence[Token]) -> list[Hit]:
        units = self._lexicon.language.units
        hits: list[Hit] = []
        i = 0
        while i < len(tokens):
            # "a litre of water": 1 litre; not "a second bowl", where the unit word counts
            one = (tokens[i].word in ("a", "an") and i + 1 < len(tokens)
                   and tokens[i + 1].word in units
                   and not (i + 2 < len(tokens) and self._lexicon.is_content(tokens[i + 2].word)))
            if not tokens[i].is_number and not one:
                i += 1
                continue
            value = 1.0 if one else float(tokens[i].word)
            unit = None
            end = i + 1
            if end < len(tokens) and tokens[end].word in units:
                unit, factor = units[tokens[end].word]
                value = value * factor if float(factor).is_integer() else round(value * factor, 2)
                end += 1
                # "60 minutes and 15 minutes", "1 hour 20 minutes": one duration.
                while True:
                    j = end + (1 if end < len(tokens) and tokens[end].word == "and" else 0)
                    if (j + 1 < len(tokens) and tokens[j].is_number
                            and tokens[j + 1].word in units
                            and units[tokens[j + 1].word][0] == unit):
                        value += float(tokens[j].word) * units[tokens[j + 1].word][1]
                        end = j + 2
                    else:
                        break
            hits.append(Hit(i, end, "number", value, unit=unit))
            i = end
        return hits


def _no_value(tokens: Sequence[Token], i: int) -> bool:
    """Whether the number at ``i`` only frames the value said beside it.

    - The bounds of a scale: "on a scale of one to ten, a seven", "a 1 to 10 scale", "seven
      out of ten".
    - What a change starts from: "change my target from 1500 to 1800" sets 1800.
    """
    words = [t.word for t in tokens]
    if words[max(0, i - 2):i] == ["out", "of"]:
        return True
    if i > 0 and words[i - 1] == "from":  # "from 1600 to 1750", "from 1600 up to 1750"
        j = i + 1 + (i + 1 < len(words) and words[i + 1] in ("up", "down"))
        if j + 1 < len(words) and words[j] == "to" and tokens[j + 1].is_number:
            return True
    for a, b in ((i, i + 2), (i - 2, i)):  # this number is the A or the B of "A to B"
        if a >= 0 and b < len(words) and words[a + 1] == "to" and tokens[a].is_number \
                and tokens[b].is_number:
            near = words[max(0, a - 3):a] + words[b + 1:b + 2]
            if "scale" in near:
                return True
    return False


_DETERMINERS = frozenset(("a", "an", "the", "my", "our", "his", "her", "their", "some", "this",
                          "that", "another", "extra", "whole", "of"))


def verb_at(words: Sequence[str], i: int, lang: Language) -> bool:
    """Whether word ``i`` stands where a verb does: first, or after a function word.

    "I just bought", "how long do I roast", "had to buy", "meal prepping"; not "a hard boiled
    egg" or "fried rice", where a word of :attr:`~.language.Language.handling` describes the
    food.
    """
    before = words[i - 1] if i > 0 else ""
    return (not before or not before[0].isalnum() or before in ("meal", "batch")
            or (before in lang.stop and before not in _DETERMINERS))
