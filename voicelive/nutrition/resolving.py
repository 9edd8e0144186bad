"""Turning a food said into an entry of the table, an amount and its macros.

Look-ups take the nearest entry and say which one it is when it is not the food said; writes
take only an entry that is the food said (:mod:`voicelive.nutrition.matching`) and otherwise
raise :class:`NotFound` holding the answer to give (:class:`FoodNotLogged`). Plain synchronous
code shared by the operations of :class:`~voicelive.nutrition.service.NutritionService`.
"""

from __future__ import annotations

from typing import NamedTuple

from voicelive.exceptions import NutritionError
from voicelive.nutrition.amounts import resolve_amount, split_amount
from voicelive.nutrition.answers import (
    counted_as,
    nearest,
    not_known,
    same_words,
    spoken_entry,
    spoken_name,
    which_one,
)
from voicelive.nutrition.foods import FoodDatabase
from voicelive.nutrition.matching import WriteMatch, match_for_write
from voicelive.nutrition.models import AmountResult, FoodMatch, FoodNotLogged, Macros

__all__ = ["NotFound", "Resolved", "not_logged", "resolve_for_write", "resolve_nearest",
           "split_food"]


def split_food(food: str, amount: str) -> tuple[str, str]:
    """``(amount, food)``: the amount taken from the food's words when none was given."""
    if not amount.strip():
        amount, food = split_amount(food)
    if not food.strip():
        raise NutritionError("which food do you mean?")
    return amount, food


def not_logged(found: WriteMatch, *, swap: bool = False) -> FoodNotLogged:
    """The answer of a write that found no entry that is the food said, or two.

    Args:
        found: What the write rule found.
        swap: For a swap rather than a log.

    Returns:
        The answer: a question naming two candidates, or a short "I don't have ...".
    """
    if found.ambiguous:
        first, second = found.candidates[:2]
        return FoodNotLogged(food=found.said, candidates=[first, second],
                             summary=which_one(first, second))
    return FoodNotLogged(food=found.said,
                         summary=not_known(found.said, calories=False, swap=swap))


class Resolved(NamedTuple):
    """A food said, resolved: the entry, the amount, its macros and how to say it."""

    food: FoodMatch
    amount: AmountResult
    macros: Macros
    name: str
    opening: str = ""
    """A sentence before the answer, naming the entry a look-up answers about."""
    note: str = ""
    """A sentence after it, naming the entry a stand-in was counted as."""


class NotFound(Exception):
    """No food of the table is the one said (or two fit); carries the answer to give."""

    def __init__(self, answer: FoodNotLogged) -> None:
        super().__init__(answer.summary)
        self.answer = answer


def resolve_nearest(foods: FoodDatabase, food: str, amount: str) -> Resolved:
    """The nearest food of the table (for look-ups), its amount, macros and spoken name.

    Args:
        foods: The food table.
        food: The food as said, with its amount when ``amount`` is empty.
        amount: The amount as said, or empty.

    Returns:
        The entry, with an ``opening`` naming it when it is not the food said (by the rule of
        writes) and a ``note`` when it is a pinned stand-in.

    Raises:
        NutritionError: Nothing in the table matches, or the amount is impossible.
    """
    amount, food = split_food(food, amount)
    match = foods.best(food)
    resolved = resolve_amount(amount, match, foods)
    macros = match.per_100g.scaled(resolved.grams / 100.0)
    strict = match_for_write(foods, food)
    said = " ".join(food.lower().split())
    if strict.food is None or strict.food.ndb_no != match.ndb_no:
        name = spoken_entry(match)  # not the food said: say which entry the answer is about
        opening = "" if same_words(food, name) else nearest(said, match) + " "
        return Resolved(match, resolved, macros, name, opening=opening)
    return Resolved(match, resolved, macros, spoken_name(match, food, foods, strict.stand_in),
                    note=counted_as(said, match) if strict.stand_in else "")


def resolve_for_write(
    foods: FoodDatabase, food: str, amount: str, *, swap: bool = False
) -> Resolved:
    """Like :func:`resolve_nearest`, but only a food that is the one said.

    Args:
        foods: The food table.
        food: The food as said, with its amount when ``amount`` is empty.
        amount: The amount as said, or empty.
        swap: For a swap (the not-found answer then says the swap is not done).

    Returns:
        The entry that is the food said, its amount, macros and spoken name.

    Raises:
        NotFound: No food of the table is the one said, or two fit (holds the answer).
        NutritionError: The amount is impossible.
    """
    amount, food = split_food(food, amount)
    found = match_for_write(foods, food)
    if found.food is None:
        raise NotFound(not_logged(found, swap=swap))
    resolved = resolve_amount(amount, found.food, foods)
    macros = found.food.per_100g.scaled(resolved.grams / 100.0)
    note = counted_as(found.said, found.food) if found.stand_in else ""
    return Resolved(found.food, resolved, macros,
                    spoken_name(found.food, food, foods, found.stand_in), note=note)
