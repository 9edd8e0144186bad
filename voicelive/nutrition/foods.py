"""The bundled USDA SR28 food database: lazy loading, portions and ranked name search.

The tables ship gzip-compressed in ``voicelive/nutrition/data``. Nothing is read until the first
search or lookup; after that a search is a few dictionary lookups plus scoring of the foods that
contain every query word (or a near spelling of it).

Ranking puts the plain, generic food first. A food scores higher when its leading name (the text
before the first comma, "Bananas" in "Bananas, raw") is what was asked for, when the asked words
come early, and when the description carries few other words. Baby foods, fast-food and restaurant
items and brand names are pushed down; fruit and vegetables prefer "raw", grains, meat and fish
prefer a cooked form. A short table of everyday words (:data:`PREFERRED`) pins the answer for
the most common requests, which the scoring alone gets only mostly right.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from voicelive.exceptions import NutritionError
from voicelive.nutrition.models import FoodMatch
from voicelive.nutrition.preferred import PREFERRED, REGIONAL
from voicelive.nutrition.text import TypoIndex, stem, tokens

__all__ = ["PREFERRED", "FoodDatabase", "Portion", "default_database"]

_STOP = frozenset({"a", "an", "the", "of", "some", "my", "and", "or", "plain", "piece", "bit"})


_REGIONAL: dict[tuple[str, ...], list[str]] = {
    tuple(tokens(name)): tokens(table_name) for name, table_name in REGIONAL.items()}
_REGIONAL_LONGEST = max(len(key) for key in _REGIONAL)


def _table_names(words: list[str]) -> list[str]:
    """Folded query words with other names of a food replaced by the table's (``REGIONAL``)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_REGIONAL_LONGEST, len(words) - i), 0, -1):
            table_name = _REGIONAL.get(tuple(words[i:i + size]))
            if table_name is not None:
                out += table_name
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


@dataclass(frozen=True, slots=True)
class Portion:
    """One household measure of a food from the USDA weight table.

    Attributes:
        amount: How many measures the weight is for (``1`` in "1 cup").
        measure: The measure as written by USDA, e.g. ``"large"``, ``"cup, sliced"``.
        grams: Weight of ``amount`` x ``measure``.
    """

    amount: float
    measure: str
    grams: float

    @property
    def grams_each(self) -> float:
        """Weight of one measure."""
        return self.grams / self.amount

    def describe(self) -> str:
        """The portion as a short phrase, e.g. ``"1 large = 50 g"``."""
        return f"{self.amount:g} {self.measure} = {self.grams:g} g"


@dataclass(frozen=True, slots=True)
class _Entry:
    food: FoodMatch
    words: frozenset[str]
    head: frozenset[str]
    first_token: str
    segment_of: dict[str, int]
    base: float


_BRAND = re.compile(r"\b[A-Z][A-Z'&.-]{2,}\b")
_PENALTY = {
    "Baby Foods": 8.0,
    "American Indian/Alaska Native Foods": 4.0,
    "Fast Foods": 3.0,
    "Restaurant Foods": 3.0,
    "Meals, Entrees, and Side Dishes": 1.5,
}
_RAW_FIRST = frozenset(
    {"Fruits and Fruit Juices", "Vegetables and Vegetable Products", "Nut and Seed Products"}
)
_COOKED_FIRST = frozenset(
    {
        "Cereal Grains and Pasta", "Poultry Products", "Beef Products", "Pork Products",
        "Lamb, Veal, and Game Products", "Finfish and Shellfish Products",
        "Legumes and Legume Products",
    }
)
_PROCESSED = frozenset(
    {
        "dry", "mix", "dried", "powder", "sprouted", "concentrate", "unprepared", "dehydrated",
        "meatless", "imitation", "substitute", "babyfood", "dressing", "spread", "flavored",
        "topping", "entree", "frozen", "dough", "refrigerated",
    }
)
_COOKED = frozenset({"cooked", "roasted", "boiled", "baked", "grilled", "broiled", "heat"})
_UNCOOKED = frozenset({"raw", "dry", "uncooked", "unprepared", "frozen", "canned", "mix"})


def _score_base(description: str, category: str, words: frozenset[str]) -> float:
    score = -_PENALTY.get(category, 0.0)
    if _BRAND.search(description):
        score -= 3.0
    if category in _RAW_FIRST and "raw" in words:
        score += 1.0
    if category in _COOKED_FIRST:
        if words & _COOKED:
            score += 1.5
        if words & _UNCOOKED:
            score -= 1.0
    return score - 0.25 * len(words)


def _read_csv(name: str, data_dir: Path | None) -> list[dict[str, str]]:
    if data_dir is not None:
        raw = (data_dir / name).read_bytes()
    else:
        raw = resources.files("voicelive.nutrition").joinpath("data").joinpath(name).read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if name.endswith(".gz") else raw.decode("utf-8")
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    return [dict(zip(header, row, strict=False)) for row in rows]  # as DictReader, cheaper


def _number(text: str) -> float:
    return float(text) if text else 0.0


class FoodDatabase:
    """The food table with its portions and a name index, loaded on first use.

    Args:
        data_dir: A folder holding ``foods.csv.gz`` and ``portions.csv.gz``; the bundled data
            when ``None``.
    """

    def __init__(self, data_dir: Path | None = None) -> None:
        self._data_dir = data_dir
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._portions: dict[str, list[Portion]] = {}
        self._postings: dict[str, list[str]] = {}
        self._typos: TypoIndex | None = None

    @property
    def loaded(self) -> bool:
        """Whether the tables have been read."""
        return self._typos is not None

    def load(self) -> None:
        """Read the tables and build the index (does nothing when already loaded)."""
        with self._lock:
            if self._typos is not None:
                return
            postings: dict[str, list[str]] = defaultdict(list)
            for row in _read_csv("foods.csv.gz", self._data_dir):
                food = FoodMatch(
                    ndb_no=row["ndb_no"], name=row["description"], category=row["category"],
                    kcal=_number(row["kcal"]), protein_g=_number(row["protein_g"]),
                    carbs_g=_number(row["carbs_g"]), fat_g=_number(row["fat_g"]),
                )
                segments = [tokens(part) for part in food.name.split(",")]
                segment_of: dict[str, int] = {}
                for index, part in enumerate(segments):
                    for word in part:
                        segment_of.setdefault(word, index)
                words = frozenset(segment_of)
                head = segments[0] if segments and segments[0] else [""]
                self._entries[food.ndb_no] = _Entry(
                    food=food, words=words, head=frozenset(head), first_token=head[0],
                    segment_of=segment_of, base=_score_base(food.name, food.category, words),
                )
                for word in words:
                    postings[word].append(food.ndb_no)
            portions: dict[str, list[Portion]] = defaultdict(list)
            for row in _read_csv("portions.csv.gz", self._data_dir):
                amount, grams = _number(row["amount"]), _number(row["gram_weight"])
                if amount > 0 and grams > 0:
                    portions[row["ndb_no"]].append(Portion(amount, row["measure"], grams))
            self._portions = dict(portions)
            self._postings = dict(postings)
            self._typos = TypoIndex({w: len(ids) for w, ids in self._postings.items()})

    def __len__(self) -> int:
        self.load()
        return len(self._entries)

    def knows(self, word: str) -> bool:
        """Whether a folded word appears in some food description (spelled exactly)."""
        self.load()
        return word in self._postings

    def all_foods(self) -> list[FoodMatch]:
        """Every food of the table, in table order."""
        self.load()
        return [entry.food for entry in self._entries.values()]

    def get(self, ndb_no: str) -> FoodMatch:
        """Return the food with this NDB number.

        Raises:
            NutritionError: No food has that number.
        """
        self.load()
        entry = self._entries.get(ndb_no)
        if entry is None:
            raise NutritionError(f"no food with NDB number {ndb_no!r}")
        return entry.food

    def portions(self, ndb_no: str) -> list[Portion]:
        """The household measures of a food, in USDA order (may be empty)."""
        self.load()
        return list(self._portions.get(ndb_no, ()))

    def portions_like(self, food: FoodMatch) -> list[Portion]:
        """Portions of foods sharing this food's leading word (fallback for a missing measure).

        "Pizza, cheese topping, regular crust, frozen, cooked" has no "slice" measure, but other
        pizzas do; their slices give a typical weight.
        """
        self.load()
        first = self._entries[food.ndb_no].first_token
        out: list[Portion] = []
        for ndb_no in self._postings.get(first, ()):
            if self._entries[ndb_no].first_token == first and ndb_no != food.ndb_no:
                out.extend(self._portions.get(ndb_no, ()))
        return out

    def search(self, query: str, limit: int = 10) -> list[FoodMatch]:
        """Foods whose description matches ``query``, most likely first.

        Args:
            query: What a person would say ("banana", "chicken breasts", "brocoli").
            limit: At most this many results.

        Returns:
            The matching foods; empty when nothing matches.
        """
        return [food for food, _ in self.ranked(query, limit)]

    def ranked(self, query: str, limit: int = 10) -> list[tuple[FoodMatch, float]]:
        """Like :meth:`search`, with each food's score (higher is likelier).

        A food pinned by :data:`PREFERRED` comes first with an infinite score. The scores of
        one query can be compared with each other, not with another query's.

        Args:
            query: What a person would say.
            limit: At most this many results.

        Returns:
            ``(food, score)`` pairs, best first; empty when nothing matches.
        """
        self.load()
        assert self._typos is not None
        said, words = self.query_words(query)
        if not words or limit <= 0:
            return []
        distances: list[dict[str, int]] = []
        for word in words:
            near = dict(self._typos.near(word)[:6])
            if near:
                distances.append(near)
        pinned = (
            PREFERRED.get(" ".join(said))
            or PREFERRED.get(" ".join(words))
            or PREFERRED.get(" ".join(next(iter(near)) for near in distances))
        )
        top = float("inf")
        if not distances:
            return [(self._entries[pinned].food, top)] if pinned in self._entries else []
        hits: dict[str, list[int]] = {}
        for index, near in enumerate(distances):
            for variant, dist in near.items():
                for ndb_no in self._postings[variant]:
                    slots = hits.setdefault(ndb_no, [-1] * len(distances))
                    if slots[index] < 0 or dist < slots[index]:
                        slots[index] = dist
        best_count = max(sum(1 for d in slots if d >= 0) for slots in hits.values())
        wanted = [key for near in distances for key, dist in near.items() if dist == 0]
        scored: list[tuple[float, int, str]] = []
        for ndb_no, slots in hits.items():
            if sum(1 for d in slots if d >= 0) < best_count:
                continue
            entry = self._entries[ndb_no]
            score = self._score(entry, distances, slots, wanted)
            scored.append((-score, len(entry.food.name), ndb_no))
        scored.sort()
        ranked = [(ndb, -neg) for neg, _, ndb in scored]
        if pinned in self._entries:
            ranked = [(pinned, top), *[(n, s) for n, s in ranked if n != pinned]]
        return [(self._entries[n].food, s) for n, s in ranked[:limit]]

    def query_words(self, query: str) -> tuple[list[str], list[str]]:
        """The words a search looks for, as said and as the table writes them.

        Args:
            query: What a person would say.

        Returns:
            ``(said, words)``: the folded words without stop words, other names replaced by
            the table's (``REGIONAL``); and the same with word pairs the table writes as one
            word joined ("brazil nuts" -> "brazilnut").
        """
        self.load()
        said = _table_names([w for w in tokens(query) if w not in _STOP])
        return said, self._join_compounds(self._split_compounds(said))

    def near(self, word: str) -> list[tuple[str, int]]:
        """Words of the food descriptions within a small edit distance of a folded word.

        Args:
            word: One folded word.

        Returns:
            ``(word, distance)`` pairs, closest and commonest first; the word itself at distance
            0 when the table uses it; empty when no description has a word close to it.
        """
        self.load()
        assert self._typos is not None
        return self._typos.near(word)

    def _split_compounds(self, words: list[str]) -> list[str]:
        """Split a word the table writes as two ("cornflakes" -> "corn flake").

        Only a word the table does not know, nor anything close to it, is split, and only into
        two words the table knows that follow each other in some description.
        """
        assert self._typos is not None
        out: list[str] = []
        for word in words:
            if len(word) >= 7 and word not in self._typos and not self._typos.near(word):
                out += self._split(word) or [word]
            else:
                out.append(word)
        return out

    def _split(self, word: str) -> list[str]:
        for cut in range(3, len(word) - 2):
            first, second = word[:cut], stem(word[cut:])
            if first in self._postings and second in self._postings:
                together = set(self._postings[first]).intersection(self._postings[second])
                for ndb_no in together:
                    name = tokens(self._entries[ndb_no].food.name)
                    if (first, second) in itertools.pairwise(name):
                        return [first, second]
        return []

    def _join_compounds(self, words: list[str]) -> list[str]:
        """Join word pairs the database writes as one word ("brazil nuts" -> "brazilnut")."""
        assert self._typos is not None
        out: list[str] = []
        for word in words:
            if out and out[-1] + word in self._typos and word not in ("milk", "cream"):
                out[-1] = out[-1] + word
            else:
                out.append(word)
        return out

    @staticmethod
    def _score(
        entry: _Entry, distances: list[dict[str, int]], slots: list[int], wanted: list[str]
    ) -> float:
        score = entry.base - 1.5 * len((entry.words & _PROCESSED).difference(wanted))
        matched: set[str] = set()
        for near, dist in zip(distances, slots, strict=True):
            if dist < 0:
                score -= 4.0
                continue
            score -= 1.5 * dist
            word = next(w for w, d in near.items() if d == dist and w in entry.words)
            matched.add(word)
            score -= 0.5 * min(entry.segment_of[word], 4)
        if matched == entry.head:
            score += 6.0
        elif matched >= entry.head:
            score += 4.0
        elif matched & entry.head:
            score += 1.5
        if wanted and entry.first_token == wanted[0]:
            score += 1.0
        return score + 0.25 * len(matched)

    def best(self, query: str) -> FoodMatch:
        """The top search result for ``query``.

        Raises:
            NutritionError: Nothing in the database matches.
        """
        found = self.search(query, limit=1)
        if not found:
            raise NutritionError(f"I could not find a food called {query.strip()!r}")
        return found[0]


_DEFAULT: FoodDatabase | None = None
_DEFAULT_LOCK = threading.Lock()


def default_database() -> FoodDatabase:
    """The process-wide database over the bundled data (created, not loaded, on first call)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = FoodDatabase()
        return _DEFAULT
