"""Whether a food of the table really is the food that was said: the rule for writes.

A look-up may answer about the nearest food it has, as long as it says which; a write (logging
food, working out a swap) must not log "a nanaimo bar" as a milk-and-cereal bar. So a write takes
the search's candidates (:meth:`~voicelive.nutrition.foods.FoodDatabase.ranked`) and keeps only
those that *are* the food said:

* **Every word said is accounted for.** Each content word of the request (after plurals, "a",
  "some", amounts, measures such as "a bowl of" and sizes such as "big") must be a word of the
  food's description, spelled alike or within the search's typo distance. "Jollof rice" is no
  plain rice; "avocado toast" is no avocado.
* **The food is of the kind said.** A USDA description leads with its kind ("Milk, chocolate"
  is a milk, "Candies, milk chocolate" a sweet). Either every word of the leading name was said
  and the request's head noun (its last word) is that kind, or a part of it ("chicken breast":
  breast of chicken); or the leading name is a group ("Fish", "Candies", "Fast foods", a brand)
  or a food the head noun is not ("Cabbage, kimchi"), and the head noun names the next part of
  the description ("Fish, salmon": salmon; "Beverages, carbonated, cola": cola; at most one
  unsaid kind in between, "Beverages, coffee, brewed, espresso", and none under a brand). A
  word that leads foods of its own ("apple" leads "Apples, raw") is never taken as the second
  part of another food: "apple" is not "Pie, apple". An oil, a soup or a sauce is one food
  whose second part says which, not a group ("olives" are no "Oil, olive"); a maker's name
  accounts for no word ("a mars bar" is no "Formulated bar, MARS SNACKFOOD US, ..."); a dry
  mix, powder or concentrate is taken only when said.
* **A close second is a question.** When the two best foods that pass are of different kinds,
  their scores are close and their energy differs, the write asks which one was meant.

Foods pinned by :data:`~voicelive.nutrition.preferred.PREFERRED` (and the other names of
``REGIONAL``) are curated and always pass: "a flat white" is logged as reduced-fat milk, and the
reply names that entry. The rule is plain, synchronous and fast (a few dozen candidates, each a
few set operations), so it runs per request.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache

from voicelive.nutrition.foods import FoodDatabase
from voicelive.nutrition.models import FoodMatch
from voicelive.nutrition.preferred import PREFERRED
from voicelive.nutrition.text import tokens

__all__ = [
    "CANDIDATES", "CLOSE_SCORE", "WriteMatch", "is_brand", "is_group", "is_qualifier",
    "match_for_write",
]

CANDIDATES = 40
"""How many search results the rule examines."""

CLOSE_SCORE = 1.0
"""Two foods of different kinds within this score of each other make the request ambiguous."""

_CLOSE_ENERGY = 0.2  # ... when their energy per 100 g differs by more than this share

# Words a request may carry that name no food: sizes, fillers, counts.
_OPTIONAL = frozenset(tokens("""
    a an the of some my and or plain bit big large small little medium huge giant massive tiny
    mini whole half quarter couple few lot like about around roughly just only cheeky quick
    homemade fresh leftover nice lovely good extra one two three four five six seven eight
    nine ten dozen
"""))

# A measure is no part of the food only when "of" follows: "a bowl of porridge", but "a burrito
# bowl" or "a pot noodle" is a food of its own.
_MEASURE_OF = re.compile(
    r"\b(?:bowl|plate|cup|mug|glass|pint|slice|piece|portion|serving|handful|packet|pack|bag|"
    r"box|can|tin|bottle|jar|tub|pot|scoop|spoon|tablespoon|teaspoon|punnet|shot|bit|lot)"
    r"(?:s|es|ful|fuls)?\s+of\b", re.IGNORECASE)

# Words of a description that qualify a food without naming it: not required to be said.
_QUALIFIERS = frozenset(tokens("""
    raw cooked fresh frozen canned dried prepared commercially commercial home homemade regular
    plain enriched unenriched fortified style type product variety varieties all ready to eat
    serve heat heated made recipe form includes include brand original classic traditional
    carbonated boiled drained solids liquids and or in from with without salt added unsalted
    salted chinese mexican italian japanese thai indian french family restaurant fluid whole
    sweetened unsweetened generic assorted mixed miniature mini brewed
"""))

# Forms of a food that are not what is eaten: "dry" alone as a part ("dry heat" is cooked).
_UNPREPARED = frozenset(tokens("dry mix powder unprepared concentrate dehydrated undiluted"))

# Leading names of the table that are groups of foods, not one food ("Oil, olive" or "Soup,
# tomato" is one food, an oil or a soup, whose second part says which).
_GROUPS = frozenset(
    " ".join(tokens(name)) for name in (
        "Beverages", "Alcoholic beverage", "Cereals ready-to-eat", "Cereals", "Babyfood", "Fish",
        "Snacks", "Candies", "Fast foods", "Fast food", "Infant formula", "Nuts", "Cheese",
        "Cookies", "Game meat", "Salad dressing", "Restaurant", "Crackers", "Puddings", "Seeds",
        "Spices", "Mollusks", "Crustaceans", "Frozen novelties", "School Lunch",
        "USDA Commodity", "Formulated bar",
        "Sweeteners", "Toppings", "Desserts", "Frostings", "Tomato products", "Ice creams",
    )
)

_BRAND_WORD = re.compile(r"[A-Za-z'&.]+")
_WITH = re.compile(r"\b(?:with|without|in|on)\b.*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class WriteMatch:
    """What a write may log for a food said.

    Attributes:
        said: The food as said, without its amount ("nanaimo bar").
        food: The food to log; ``None`` when no entry is that food or the request is ambiguous.
        candidates: The two foods to choose between when ambiguous, else empty.
        pinned: Whether ``food`` came from the table of everyday words (a curated match).
        stand_in: Whether ``food`` is a pinned stand-in rather than the food itself (a latte is
            logged as milk): a reply should name the entry.
    """

    said: str
    food: FoodMatch | None
    candidates: tuple[FoodMatch, ...] = ()
    pinned: bool = False
    stand_in: bool = False

    @property
    def ambiguous(self) -> bool:
        """Whether two foods fit and the person should choose."""
        return len(self.candidates) >= 2


@dataclass(frozen=True, slots=True)
class _Shape:
    """A description cut into its parts: folded words per part, and which parts are brands."""

    parts: tuple[tuple[str, ...], ...]
    brand: tuple[bool, ...]
    capitals: tuple[frozenset[str], ...]
    """Per part, the last word written in capitals: the product's name ("SNICKERS Bar")."""
    words: frozenset[str]
    part_words: tuple[frozenset[str], ...]
    unprepared: frozenset[str]

    @property
    def leading(self) -> frozenset[str]:
        """Content words of the leading name."""
        return frozenset(self.parts[0]) - _QUALIFIERS if self.parts else frozenset()


def is_brand(text: str) -> bool:
    """Whether a part of a description is a maker's or product's name ("McDONALD'S", "KELLOGG").

    Args:
        text: A part of a description, as written in the table.

    Returns:
        ``True`` when every word is written mostly in capitals.
    """
    words = [w for w in _BRAND_WORD.findall(text) if any(c.isalpha() for c in w)]
    if not words:
        return False
    for word in words:
        letters = [c for c in word if c.isalpha()]
        upper = sum(1 for c in letters if c.isupper())
        if upper < 2 or upper < 0.6 * len(letters):
            return False
    return True


@lru_cache(maxsize=8192)
def _shape(name: str) -> _Shape:
    raw = [p.strip() for p in re.split(r"[,;]", name) if p.strip()]
    parts: list[tuple[str, ...]] = []
    brand: list[bool] = []
    capitals: list[frozenset[str]] = []
    for part in raw:
        kind = _WITH.sub("", part) or part  # "taco with beef": the kind is "taco"
        parts.append(tuple(tokens(kind)))
        brand.append(is_brand(part))
        names = [word for word in _BRAND_WORD.findall(part) if is_brand(word)]
        capitals.append(frozenset(tokens(names[-1])) if names else frozenset())
    words = frozenset(w for part in raw for w in tokens(part))
    unprepared = frozenset(
        w for part in raw for w in tokens(part)
        if w in _UNPREPARED and (w != "dry" or set(tokens(part)) <= _UNPREPARED)
    ) if "prepared" not in words else frozenset()  # "dry mix, prepared with water" is made up
    return _Shape(parts=tuple(parts), brand=tuple(brand), capitals=tuple(capitals), words=words,
                  part_words=tuple(frozenset(tokens(part)) for part in raw),
                  unprepared=unprepared)


def is_group(text: str) -> bool:
    """Whether the leading name of a description names a group of foods or a brand.

    Args:
        text: The leading name as written in the table ("Fish", "Candies", "McDONALD'S").

    Returns:
        ``True`` for a group ("Fish, salmon") or a brand; ``False`` for a food ("Milk").
    """
    return is_brand(text) or " ".join(tokens(text)) in _GROUPS


def is_qualifier(text: str) -> bool:
    """Whether a part of a description only qualifies the food ("raw", "carbonated")."""
    return all(w in _QUALIFIERS for w in tokens(text))


def _leaders(database: FoodDatabase) -> frozenset[str]:
    """Foods named by one word that lead descriptions of their own ("apple": "Apples, raw")."""
    cached = _LEADERS.get(database)
    if cached is None:
        heads = set()
        for food in database.all_foods():
            leading = food.name.split(",", 1)[0].split(";", 1)[0]
            content = [w for w in tokens(_WITH.sub("", leading)) if w not in _QUALIFIERS]
            if len(content) == 1 and not is_brand(leading):
                heads.add(content[0])
        cached = frozenset(heads)
        _LEADERS[database] = cached
    return cached


_LEADERS: weakref.WeakKeyDictionary[FoodDatabase, frozenset[str]] = weakref.WeakKeyDictionary()


def _alike(said: str, variants: dict[str, int], word: str) -> bool:
    return word == said or word in variants


class _Request:
    """The words of a request, with the table's spellings of each."""

    def __init__(self, database: FoodDatabase, food: str) -> None:
        said, words = database.query_words(_MEASURE_OF.sub(" ", food))
        self.said = said
        self.words = words
        self.required = [w for w in words if w not in _OPTIONAL]
        self.optional = [w for w in words if w in _OPTIONAL]
        self.variants: dict[str, dict[str, int]] = {
            w: dict(database.near(w)[:6]) for w in self.required}
        self.unknown = [w for w in self.required if not self.variants[w]]
        self.head = self.required[-1] if self.required else ""

    def matches(self, word: str, entry_word: str) -> bool:
        return _alike(word, self.variants.get(word, {}), entry_word)

    def said_in(self, part: tuple[str, ...]) -> set[str]:
        """Words of a part of a description that the request said."""
        return {e for e in part for w in self.words if e == w or self.matches(w, e)}


def _kind(shape: _Shape, request: _Request, leaders: frozenset[str]) -> int | None:
    """Which part of the description the request names as its kind, or ``None`` if none."""
    if not shape.parts:
        return None
    head = request.head
    leading = shape.leading
    said = request.said_in(shape.parts[0])
    if leading and leading <= said:
        if any(request.matches(head, w) for w in leading):
            return 0
        # "chicken breast": the head is a part of the leading food, no food of its own
        if head not in leaders and any(request.matches(head, w) for w in shape.words):
            return 0
        return None
    group = shape.brand[0] or " ".join(shape.parts[0]) in _GROUPS or not leading
    if not group and (head in leaders or len(leading) > 1):
        return None  # "apple" is not "Pie, apple": the table has apples of their own
    skipped = False
    for index in range(1, len(shape.parts)):
        part = shape.parts[index]
        content = [w for w in part if w not in _QUALIFIERS]
        if any(request.matches(head, w) for w in part):
            content = [w for w in content if w not in shape.parts[0]]  # "Nuts, pistachio nuts"
            last = content[-1] if content else ""
            if not group and not set(content) <= request.said_in(part):
                return None  # "Cabbage, kimchi" is kimchi; "Pizza, tikka masala" no masala
            if request.matches(head, last) or any(request.matches(head, w)
                                                   for w in shape.capitals[index]):
                return index  # "Cheese, cheddar"; "SNICKERS Bar": the product's own name
            return None
        if content and not shape.brand[index] and not request.said_in(part) and (
                not group or head in leaders or shape.brand[0] or skipped):
            return None  # a part that says what kind, and the request does not say it
        if content and not shape.brand[index]:
            skipped = True  # one unsaid kind before the head at most: "coffee" of espresso
    return None


def _passes(food: FoodMatch, request: _Request, leaders: frozenset[str]) -> tuple[str, ...] | None:
    """The kind part of a food that is the food requested, or ``None`` when it is not."""
    shape = _shape(food.name)
    for word in request.required:
        if not any(request.matches(word, e) for e in shape.words):
            return None
    if shape.unprepared - set(request.words):
        return None  # "Cake, carrot, dry mix" is no carrot cake, unless a mix was said
    index = _kind(shape, request, leaders)
    if index is None:
        return None
    # a maker's name between the group and the kind accounts for nothing: "a mars bar" is no
    # "Formulated bar, MARS SNACKFOOD US, COCOAVIA ... Bar"
    makers = [i for i in range(1, index) if shape.brand[i]]
    if makers:
        rest = frozenset().union(*(p for i, p in enumerate(shape.part_words) if i not in makers))
        if not all(any(request.matches(w, e) for e in rest) for w in request.required):
            return None
    return shape.parts[index]


def match_for_write(database: FoodDatabase, food: str) -> WriteMatch:
    """The food a write should log for ``food``, or why there is none.

    Args:
        database: The food table.
        food: The food as said, without its amount ("nanaimo bar", "two weetabix" is fine too:
            counts and measures are ignored).

    Returns:
        A :class:`WriteMatch`: ``food`` set when exactly one kind of food fits, two
        ``candidates`` when two fit about equally, neither when no entry is that food.
    """
    said = " ".join(food.lower().split())
    request = _Request(database, food)
    pinned = PREFERRED.get(" ".join(request.said)) or PREFERRED.get(" ".join(request.words))
    if pinned is not None:  # an everyday name the table writes otherwise: "porridge"
        found = database.get(pinned)
        return WriteMatch(said=said, food=found, pinned=True, stand_in=_passes(
            found, request, _leaders(database)) is None)
    if request.unknown:  # a word no description has (nor anything like it): "nanaimo"
        return WriteMatch(said=said, food=None)
    ranked = database.ranked(_MEASURE_OF.sub(" ", food), CANDIDATES)
    if ranked and ranked[0][1] == float("inf"):  # pinned after a typo: "bananna"
        return WriteMatch(said=said, food=ranked[0][0], pinned=True, stand_in=_passes(
            ranked[0][0], request, _leaders(database)) is None)
    if not request.required or not ranked:
        return WriteMatch(said=said, food=None)
    leaders = _leaders(database)
    fits: list[tuple[FoodMatch, float, tuple[str, ...]]] = []
    for match, score in ranked:
        kind = _passes(match, request, leaders)
        if kind is not None:
            fits.append((match, score, kind))
    if not fits:
        return WriteMatch(said=said, food=None)
    best, best_score, best_kind = fits[0]
    for other, score, kind in fits[1:]:
        if best_score - score > CLOSE_SCORE:
            break
        if kind != best_kind and _energy_differs(best, other):
            return WriteMatch(said=said, food=None, candidates=(best, other))
    return WriteMatch(said=said, food=best)


def _energy_differs(first: FoodMatch, second: FoodMatch) -> bool:
    high = max(first.kcal, second.kcal)
    return high > 0 and abs(first.kcal - second.kcal) > _CLOSE_ENERGY * high
