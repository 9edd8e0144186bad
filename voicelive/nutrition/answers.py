"""What the food tools say when the table has no entry that is the food said, or two.

Short sentences, meant to be spoken: a write that logs nothing says so and what would let it log
("I don't have nanaimo bar in my food table, so I haven't logged it. Tell me what's in it, or
the calories, and I'll log that."); an ambiguous one asks one question naming both foods; a
look-up that answers about another entry names it. Entries are named as a person would say
them: the part of the USDA description that names the food, brands in ordinary capitals
("Candies, MARS SNACKFOOD US, SNICKERS Bar" is "Snickers Bar").
"""

from __future__ import annotations

import re

from voicelive.nutrition.foods import FoodDatabase
from voicelive.nutrition.matching import is_brand, is_group, is_qualifier
from voicelive.nutrition.models import AmountResult, FoodMatch, Macros
from voicelive.nutrition.phrases import grams, kcal
from voicelive.nutrition.text import tokens

__all__ = [
    "amount_text", "counted_as", "food_phrase", "nearest", "not_known", "same_words",
    "spoken_entry", "spoken_name", "told_food", "which_one",
]

_SHOUTED = re.compile(r"\b[A-Z][A-Z'&.-]+\b")
_BRACKETS = re.compile(r"\s*\([^)]*\)")


def _calm(text: str) -> str:
    """Brand capitals in ordinary case ("BIG MAC" -> "Big Mac"), brackets dropped."""
    text = _BRACKETS.sub("", text)
    return _SHOUTED.sub(lambda m: m.group(0).capitalize() if len(m.group(0)) > 2
                        else m.group(0), text).strip()


def spoken_entry(food: FoodMatch) -> str:
    """A food of the table as a short spoken name.

    Args:
        food: An entry of the table.

    Returns:
        For a group or brand ("Fish, salmon, Atlantic"; "McDONALD'S, BIG MAC") the part that
        names the food ("salmon", "Big Mac"); else the leading name with its first qualifier
        ("milk, reduced fat").
    """
    parts = [p.strip() for p in re.split(r"[,;]", food.name) if p.strip()]
    if not parts:
        return food.name
    if is_group(parts[0]) and len(parts) > 1:
        for part in parts[1:]:
            if not is_qualifier(part) and not (is_brand(part) and part is not parts[-1]
                                               and len(parts) > 2):
                return _calm(part).lower() if not is_brand(part) else _calm(part)
        return _calm(parts[1]).lower()
    head = _calm(parts[0])
    head = head if is_brand(parts[0]) else head.lower()
    if len(parts) > 1 and len(parts[1].split()) <= 3 and not any(c.isdigit() for c in parts[1]):
        return f"{head}, {_calm(parts[1]).lower()}"
    return head


def not_known(said: str, *, calories: bool, swap: bool = False) -> str:
    """The reply of a write when no entry of the table is the food said.

    Args:
        said: The food as said ("nanaimo bar").
        calories: Whether the tool can log a food from its calories (then it asks for them).
        swap: The reply of a swap (nothing would have been logged): says the swap is not done.

    Returns:
        One or two short sentences.
    """
    if swap:
        return (f"I don't have {said} in my food table, so I can't work out that swap. "
                "Can you say it another way?")
    ask = ("Tell me what's in it, or the calories, and I'll log that." if calories
           else "Tell me what's in it and I'll log that.")
    return f"I don't have {said} in my food table, so I haven't logged it. {ask}"


def which_one(first: FoodMatch, second: FoodMatch) -> str:
    """One short question naming the two foods that fit a request about equally."""
    return f"Did you mean {spoken_entry(first)} or {spoken_entry(second)}?"


def told_food(said: str, calories: float) -> tuple[FoodMatch, AmountResult, Macros]:
    """A food the table lacks, logged with the energy the person told (nothing else known).

    The entry has an empty NDB number and the category "Told by the person"; its values are
    for the whole serving, taken as a nominal 100 g (the amount says so).

    Args:
        said: The food as said ("nanaimo bar").
        calories: Its energy in kcal, as told.

    Returns:
        The entry, its amount and its macros (energy only).
    """
    food = FoodMatch(ndb_no="", name=said, category="Told by the person", kcal=calories,
                     protein_g=0.0, carbs_g=0.0, fat_g=0.0)
    amount = AmountResult(grams=100.0, quantity=1, unit="serving",
                          assumption=f"{kcal(calories)} as you told me; its weight, protein, "
                                     "carbs and fat are unknown (100 g is nominal)")
    return food, amount, Macros(kcal=calories)


def counted_as(said: str, food: FoodMatch) -> str:
    """The sentence after an answer about a stand-in: " I counted latte as milk, reduced fat."."""
    return f" I counted {said} as {spoken_entry(food)}."


def nearest(said: str, food: FoodMatch) -> str:
    """The opening of a look-up that answers about another entry than the food said."""
    return f"I don't have {said} as such; the nearest I have is {spoken_entry(food)}."


_SIZES = ("extra large", "extra small", "jumbo", "large", "medium", "small")
_ABBREVIATIONS = frozenset({"g", "kg", "mg", "oz", "lb", "lbs", "ml", "l", "tbsp", "tsp",
                            "floz", "fl oz"})


def amount_text(amount: AmountResult) -> str:
    """The amount alone, for the log: "158 g" or "1 cup (158 g)"."""
    if amount.unit in ("g", "gram", "gr", "gm"):
        return grams(amount.grams)
    return f"{amount.quantity:g} {_unit_label(amount.unit)} ({grams(amount.grams)})"


def _unit_label(unit: str) -> str:
    label = unit.split("(")[0].split(",")[0].strip()
    return label.split()[0] if label.split()[:1] in (["serving"], ["cup"]) else label


def food_phrase(amount: AmountResult, name: str) -> str:
    """Amount and food as one spoken phrase: "2 large eggs (100 g)", "1 cup of rice (158 g)"."""
    weight = grams(amount.grams)
    if amount.unit in ("g", "gram", "gr", "gm"):
        return f"{weight} of {name}"
    qty = amount.quantity
    number = {0.5: "half a", 0.25: "a quarter of a"}.get(qty, f"{qty:g}")
    unit = _unit_label(amount.unit)
    size = next((s for s in _SIZES if unit == s or unit.startswith(s + " ")), None)
    if size is not None:
        return f"{number} {size} {name} ({weight})"
    if unit in tokens(name) or unit in name.split():
        return f"{number} {name} ({weight})"
    if qty > 1 and unit not in _ABBREVIATIONS and not unit.endswith("s"):
        if unit.endswith("y"):
            unit = unit[:-1] + "ies"
        else:
            unit += "es" if unit.endswith(("ch", "sh")) else "s"
    return f"{number} {unit} of {name} ({weight})"


def spoken_name(match: FoodMatch, said: str, foods: FoodDatabase, stand_in: bool = False) -> str:
    """What to call the food aloud.

    The person's own words when they are real food words (not a misspelling) or the food is a
    stand-in ("porridge"), else the leading name of the USDA description.
    """
    words = [w for w in tokens(said) if w not in ("a", "an", "the", "of", "some", "my")]
    if stand_in or (words and all(foods.knows(w) for w in words)):
        return " ".join(said.lower().split())
    head = match.name.split(",")[0].strip()
    return head.lower() if not head.isupper() else head


def same_words(said: str, name: str) -> bool:
    """Whether a spoken entry name is what was said (so no "nearest" opening is needed)."""
    return set(tokens(name)) <= set(tokens(said))
