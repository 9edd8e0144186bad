"""Amounts of food as people say them, turned into grams.

An amount is a quantity ("two", "1 1/2", "half a", "a couple of") and an optional unit. Units are
weights (g, kg, oz, lb), volumes (ml, cup, tbsp, tsp, fl oz, glass ...) or household measures and
sizes that the USDA portion table knows for the food ("slice", "can", "large", "fillet" ...).

Resolution order, and the assumption reported when the answer is not exact:

* a weight converts directly;
* a volume uses the food's own cup/spoon/fl oz portion for its density, else 1 g per ml;
* a measure or size uses the food's portion with that word, else the typical weight of that
  measure among foods with the same leading name ("a slice of pizza"), else a default serving;
* a bare count ("two eggs") uses the food's standard unit (medium size, or the size USDA lists
  first, or a unit named in the description such as "breast");
* no amount at all uses the default serving: the USDA "NLEA serving" if there is one, else 100 g.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from statistics import median

from voicelive.exceptions import NutritionError
from voicelive.nutrition.foods import FoodDatabase, Portion
from voicelive.nutrition.models import AmountResult, FoodMatch
from voicelive.nutrition.text import tokens

__all__ = ["MAX_GRAMS", "parse_quantity", "resolve_amount", "split_amount"]

MAX_GRAMS = 3000.0
"""Amounts above this (3 kg of one food in one go) are refused as implausible."""

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "couple": 2, "few": 3, "dozen": 12, "half": 0.5,
    "quarter": 0.25, "third": 1 / 3,
}
_FRACTION_WORDS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3}
_MASS = {
    "g": 1.0, "gram": 1.0, "gr": 1.0, "gm": 1.0, "kg": 1000.0, "kilo": 1000.0,
    "kilogram": 1000.0, "mg": 0.001, "oz": 28.349523125, "ounce": 28.349523125,
    "lb": 453.59237, "lbs": 453.59237, "pound": 453.59237,
}
_VOLUME_ML = {
    "ml": 1.0, "milliliter": 1.0, "millilitre": 1.0, "l": 1000.0, "liter": 1000.0,
    "litre": 1000.0, "cup": 236.5882365, "tbsp": 14.78676478, "tablespoon": 14.78676478,
    "tbs": 14.78676478, "tsp": 4.92892159, "teaspoon": 4.92892159, "floz": 29.5735295625,
    "pint": 473.176473, "quart": 946.352946, "glass": 236.5882365, "mug": 236.5882365,
    "bowl": 354.88235475,
}
_VOLUME_ALIASES = {"tablespoon": "tbsp", "tbs": "tbsp", "teaspoon": "tsp", "glass": "cup",
                   "mug": "cup", "bowl": "cup", "milliliter": "ml", "millilitre": "ml",
                   "litre": "liter", "l": "liter"}
_SIZES = ("extra large", "extra small", "jumbo", "large", "medium", "small")
_MEASURES = frozenset(
    {
        "slice", "can", "bottle", "piece", "bar", "cookie", "fillet", "steak", "link", "patty",
        "container", "scoop", "serving", "stick", "leaf", "packet", "package", "pouch", "jar",
        "roll", "sandwich", "strip", "wedge", "stalk", "spear", "clove", "head", "carton", "cube",
        "breast", "thigh", "drumstick", "wing", "chop", "muffin", "bagel", "tortilla", "pancake",
        "waffle", "egg", "fruit", "item", "each", "whole", "pat", "sprig", "square", "biscuit",
        "cake", "pie", "pizza", "burger", "taco", "burrito", "envelope", "box", "handful",
    }
)
_FOOD_MEASURES = frozenset(
    {
        "egg", "cookie", "muffin", "bagel", "tortilla", "pancake", "waffle", "cake", "pie",
        "pizza", "burger", "taco", "burrito", "biscuit", "sandwich", "roll", "breast", "thigh",
        "drumstick", "wing", "chop", "steak", "fillet", "fruit", "cube", "stick",
    }
)
"""Measures that are foods too: a measure only when "of" follows ("an egg roll" is a food)."""
_HANDFUL_G = 30.0
_SKIP = frozenset({"of", "a", "an", "the", "my", "some"})
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$|^\d+/\d+$|^\.\d+$")
_SPLIT_NUMBER = re.compile(r"(\d)([a-z])")


def _words(text: str) -> list[str]:
    text = _SPLIT_NUMBER.sub(r"\1 \2", text.lower().replace("fl oz", "floz"))
    text = text.replace("fluid ounce", "floz").replace("½", " 1/2").replace("-", " ")
    return [w for w in re.split(r"[\s,]+", text) if w]


def _as_number(word: str) -> float | None:
    if _NUMBER.match(word):
        return float(Fraction(word))
    value = _NUMBERS.get(word)
    return None if value is None else float(value)


def parse_quantity(words: list[str]) -> tuple[float | None, int]:
    """Read a spoken quantity from the start of a word list.

    Args:
        words: Lower-case words, e.g. ``["one", "and", "a", "half", "cups"]``.

    Returns:
        ``(quantity, words_used)``; quantity is ``None`` when the words start with no quantity.
    """
    qty: float | None = None
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("a", "an") and i + 1 < len(words) and words[i + 1] in _NUMBERS:
            i += 1
            continue
        if word in ("a", "an"):
            qty = (qty or 1.0) if qty is None else qty
            i += 1
            break
        value = _as_number(word)
        if value is None:
            break
        if word == "dozen" and qty is not None:
            qty *= 12
        elif word in _FRACTION_WORDS and qty is not None and qty >= 1:
            qty *= value  # "two thirds" style is rare; treat "1 half" as 0.5
        elif qty is not None and value < 1 <= qty:
            qty += value  # "1 1/2"
        elif qty is not None and word == "hundred":
            qty *= 100
        elif qty is not None and value < 10 <= qty:
            qty += value  # "twenty five"
        else:
            qty = value
        i += 1
        if i + 2 < len(words) and words[i] == "and" and words[i + 1] in ("a", "an"):
            extra = _FRACTION_WORDS.get(words[i + 2])
            if extra is not None:
                qty += extra
                i += 3
        while i < len(words) and words[i] in ("a", "an", "of") and qty is not None and qty < 1:
            i += 1  # "half a banana", "a quarter of a cup"
    return qty, i


def _unit_at(words: list[str], i: int) -> tuple[str | None, int]:
    if i >= len(words):
        return None, i
    pair = " ".join(words[i : i + 2])
    if pair in _SIZES:
        return pair, i + 2
    word = tokens(words[i])[0] if tokens(words[i]) else words[i]
    if words[i] in _MASS or words[i] in _VOLUME_ML:
        return words[i], i + 1
    if word in _MASS or word in _VOLUME_ML or word in _SIZES or word in _MEASURES:
        return word, i + 1
    return None, i


def split_amount(phrase: str) -> tuple[str, str]:
    """Split "two eggs" or "a can of cola" into its amount and its food.

    Args:
        phrase: What was said.

    Returns:
        ``(amount, food)``; ``amount`` is empty when the phrase starts with no amount.
    """
    words = _words(phrase)
    qty, i = parse_quantity(words)
    unit, j = _unit_at(words, i)
    if (unit in _SIZES or unit in _MEASURES) and j >= len(words):
        # "a large egg" is a size; but "egg" alone after "two" is the food, not a unit.
        unit, j = None, i
    elif unit in _FOOD_MEASURES and words[j] != "of":
        unit, j = None, i  # "an egg roll", "a pizza bagel": the measure is part of the name
    while j < len(words) and words[j] in _SKIP:
        j += 1
    if qty is None and unit is None:
        return "", phrase.strip()
    return " ".join(words[:j]), " ".join(words[j:])


def _measure_words(portion: Portion) -> list[str]:
    return tokens(portion.measure.replace("fl oz", "floz"))


def _volume_density(portions: list[Portion]) -> tuple[float, Portion] | None:
    for wanted in ("cup", "tbsp", "tsp", "floz", "ml"):
        for portion in portions:
            words = _measure_words(portion)
            if words and words[0] == wanted:
                return portion.grams_each / _VOLUME_ML[wanted], portion
    return None


def _find_measure(portions: list[Portion], word: str) -> Portion | None:
    parts = word.split()
    for portion in portions:
        if _measure_words(portion)[: len(parts)] == parts:
            return portion
    for portion in portions:
        words = _measure_words(portion)
        if word in words and not (word in ("large", "small") and "extra" in words):
            return portion
    return None


def _is_countable(portion: Portion) -> bool:
    words = _measure_words(portion)
    if not words:
        return False
    first = words[0]
    return not (
        first in _MASS or first in _VOLUME_ML or first in ("unit", "serving", "nlea", "package",
                                                            "portion", "cubic", "yield")
    )


def _count_portion(food: FoodMatch, portions: list[Portion]) -> Portion | None:
    container = next((p for p in portions if _measure_words(p)[:1] in (["can"], ["bottle"])),
                     None)
    if container is not None:
        return container
    sized = [p for p in portions if any(s in _measure_words(p) for s in ("medium", "large",
                                                                           "small", "jumbo"))]
    if sized:
        first = _measure_words(portions[0])
        if first and first[0] in ("large", "medium", "small"):
            return portions[0]
        medium = _find_measure(sized, "medium")
        if medium is not None:
            return medium
        return sorted(sized, key=lambda p: p.grams_each)[len(sized) // 2]
    name_words = set(tokens(food.name))
    for portion in portions:
        words = _measure_words(portion)
        if _is_countable(portion) and words[0] in name_words:
            return portion
    for portion in portions:
        if _is_countable(portion):
            return portion
    return None


def _default_serving(food: FoodMatch, portions: list[Portion]) -> tuple[float, str]:
    """One typical serving of a food, and how to say it.

    In order: the USDA "NLEA serving"; a "serving" measure; for energy-dense foods (fats, nut
    butters: 450 kcal per 100 g or more) a spoon measure; a spoon measure given for several
    spoons ("2 tbsp"); one unit of the food (a medium banana, a slice of bread); an ounce measure
    as USDA states it ("3 oz" of fish, "1 oz" of nuts); a cup; else 100 g.
    """
    def first(test: Callable[[list[str], Portion], bool]) -> Portion | None:
        return next((p for p in portions if test(_measure_words(p), p)), None)

    def spoon(words: list[str], _: Portion) -> bool:
        return bool(words) and words[0] in ("tbsp", "tablespoon")

    choices: list[Portion | None] = [
        first(lambda w, _: w[:2] == ["nlea", "serving"]),
        first(lambda w, _: w[:1] == ["serving"]),
        first(spoon) if food.kcal >= 450 else None,
        first(lambda w, p: spoon(w, p) and p.amount >= 2),
        first(lambda w, _: w[:1] == ["oz"]),
        _count_portion(food, portions),
        first(lambda w, _: w[:1] == ["cup"]),
    ]
    for portion in choices:
        if portion is not None:
            label = "serving" if portion.measure.lower().startswith("nlea") else portion.measure
            label = label.split("(")[0].split(",")[0].strip()
            if label.split()[0] in ("serving", "cup"):
                label = label.split()[0]
            return portion.grams, f"{portion.amount:g} {label} ({portion.grams:g} g)"
    return 100.0, "a standard 100 g serving"


def resolve_amount(amount: str, food: FoodMatch, database: FoodDatabase) -> AmountResult:
    """Turn a spoken amount of one food into grams.

    Args:
        amount: The amount alone ("2", "a large", "1 cup", "150 g", "half a") or empty.
        food: The food the amount is of.
        database: Where the food's portions come from.

    Returns:
        The grams, with the portion used and any assumption made.

    Raises:
        NutritionError: The amount is zero, negative or implausibly large.
    """
    words = _words(amount)
    if re.match(r"\s*(-|minus\b|negative\b)", amount.lower()):
        raise NutritionError(f"the amount {amount!r} is negative")
    qty, i = parse_quantity(words)
    unit, j = _unit_at(words, i)
    while j < len(words) and words[j] in _SKIP:
        j += 1
    leftover = words[j:]
    if qty is not None and qty <= 0:
        raise NutritionError(f"the amount {amount!r} is not a positive quantity")
    portions = database.portions(food.ndb_no)
    result = _resolve(qty, unit, food, portions, database)
    if leftover and qty is None and unit is None:
        result = result.model_copy(
            update={"assumption": f"I did not understand {amount!r}, so I assumed "
                    + (result.assumption or f"{result.grams:g} g")}
        )
    if result.grams > MAX_GRAMS:
        raise NutritionError(
            f"{result.grams:.0f} g of {food.name} is more than I can log at once "
            f"(the limit is {MAX_GRAMS:.0f} g)"
        )
    return result


def _resolve(
    qty: float | None,
    unit: str | None,
    food: FoodMatch,
    portions: list[Portion],
    database: FoodDatabase,
) -> AmountResult:
    count = 1.0 if qty is None else qty
    if unit is None and qty is None:
        grams, said = _default_serving(food, portions)
        return AmountResult(grams=grams, quantity=1, unit="serving",
                            assumption=f"no amount was given, so I assumed {said}")
    if unit in _MASS:
        return AmountResult(grams=count * _MASS[unit], quantity=count, unit=unit)
    if unit in _VOLUME_ML:
        name = _VOLUME_ALIASES.get(unit, unit)
        exact = _find_measure(portions, name) if name in ("cup", "tbsp", "tsp", "floz") else None
        if exact is not None and unit == name:
            return AmountResult(grams=count * exact.grams_each, quantity=count, unit=unit,
                                portion=exact.describe())
        ml = count * _VOLUME_ML[unit]
        note = None if unit == name else f"a {unit} taken as {_VOLUME_ML[unit]:.0f} ml"
        density = _volume_density(portions)
        if density is None:
            extra = "no volume measure is listed, so 1 g per ml was assumed"
            note = f"{note}; {extra}" if note else extra
            return AmountResult(grams=ml, quantity=count, unit=unit, assumption=note)
        per_ml, portion = density
        return AmountResult(grams=ml * per_ml, quantity=count, unit=unit,
                            portion=portion.describe(), assumption=note)
    if unit == "handful":
        return AmountResult(grams=count * _HANDFUL_G, quantity=count, unit=unit,
                            assumption=f"a handful taken as {_HANDFUL_G:g} g")
    if unit is not None:
        own = _find_measure(portions, unit)
        if own is not None:
            return AmountResult(grams=count * own.grams_each, quantity=count, unit=unit,
                                portion=own.describe())
        similar = [p.grams_each for p in database.portions_like(food)
                   if _find_measure([p], unit) is not None]
        if similar:
            typical = median(similar)
            return AmountResult(
                grams=count * typical, quantity=count, unit=unit,
                assumption=f"a {unit} taken as {typical:g} g, typical for similar foods",
            )
    counted = _count_portion(food, portions)
    if counted is not None and (unit is None or unit in _SIZES):
        what = "" if unit is None else f"no {unit} size is listed, so "
        return AmountResult(
            grams=count * counted.grams_each, quantity=count, unit=counted.measure,
            portion=counted.describe(),
            assumption=f"{what}one means {counted.measure} ({counted.grams_each:g} g)",
        )
    grams, said = _default_serving(food, portions)
    reason = f"I don't know a {unit} of it" if unit else "I don't know its unit size"
    return AmountResult(grams=count * grams, quantity=count, unit="serving",
                        assumption=f"{reason}, so each was taken as {said}")
