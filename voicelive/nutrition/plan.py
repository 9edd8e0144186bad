"""The day plan and the arithmetic behind the tools, as pure functions on pydantic values.

A day holds targets, four meals with planned macros, a *buffer* and a log. The buffer is extra
room for the day: energy burned by activities, plus whatever a missed meal could not move onto
the remaining meals without breaking their cap. Nothing here touches storage or the clock.

Redistribution (a missed meal) and compensation (unplanned food) work per component (kcal,
protein, carbs, fat) with the same water-filling step: share an amount over the meals in
proportion to their planned size, limit each meal to its room, and share what a full meal could
not take over the others. What nobody can take is returned as leftover.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pydantic import BaseModel, Field

from voicelive.exceptions import NutritionError
from voicelive.nutrition.models import MACRO_FIELDS, FoodMatch, LogEntry, Macros, MealPlan

__all__ = [
    "CAP_FACTOR",
    "DEFAULT_SHARES",
    "DEFAULT_TARGETS",
    "MEALS",
    "SWAP_MIN_SHARE",
    "DayState",
    "compensate",
    "consumed",
    "energy_shares",
    "find_meal",
    "main_component",
    "match_grams",
    "new_day",
    "plan_meals",
    "redistribute",
    "remaining",
    "round_grams",
    "share",
]

MEALS: tuple[str, ...] = ("breakfast", "lunch", "dinner", "snacks")
"""The meals of a day, in order."""

DEFAULT_TARGETS = Macros(kcal=2000.0, protein_g=100.0, carbs_g=250.0, fat_g=67.0)
"""2,000 kcal with 20 % of energy from protein, 50 % from carbohydrate and 30 % from fat."""

DEFAULT_SHARES: dict[str, float] = {"breakfast": 0.25, "lunch": 0.35, "dinner": 0.30,
                                    "snacks": 0.10}
"""How the day's targets are split over the meals."""

CAP_FACTOR = 1.5
"""After redistribution a meal brings at most this multiple of its original plan."""

_ALIASES = {"snack": "snacks", "supper": "dinner", "tea": "dinner", "evening meal": "dinner",
            "morning": "breakfast", "midday": "lunch", "lunchtime": "lunch"}
_EPS = 1e-9


class DayState(BaseModel):
    """One person's day.

    Attributes:
        user_id: Whose day it is.
        day: ISO date.
        targets: Daily targets.
        meals: The meals in order, with status and planned macros.
        buffer: Extra room: activity burns plus what a missed meal could not move.
        burned: Total energy burned by logged activities (``kcal`` only).
        log: What happened, oldest first.
    """

    user_id: str
    day: str
    targets: Macros
    meals: list[MealPlan]
    buffer: Macros = Field(default_factory=Macros)
    burned: Macros = Field(default_factory=Macros)
    log: list[LogEntry] = Field(default_factory=list)


def plan_meals(targets: Macros, shares: dict[str, float] | None = None) -> list[MealPlan]:
    """Split daily targets over the meals.

    Args:
        targets: The day's targets.
        shares: Fraction of the day for each meal; :data:`DEFAULT_SHARES` when ``None``.

    Returns:
        One planned meal per entry of :data:`MEALS`.
    """
    shares = shares or DEFAULT_SHARES
    meals = []
    for name in MEALS:
        planned = targets.scaled(shares[name])
        meals.append(MealPlan(name=name, planned=planned, base=planned))
    return meals


def new_day(user_id: str, day: str, targets: Macros = DEFAULT_TARGETS) -> DayState:
    """A fresh day with the default meal split."""
    return DayState(user_id=user_id, day=day, targets=targets, meals=plan_meals(targets))


def find_meal(state: DayState, said: str) -> MealPlan:
    """The meal a person named ("snack" and "supper" are understood).

    Raises:
        NutritionError: The name is not a meal of the day.
    """
    name = " ".join(said.lower().replace("my ", " ").split())
    name = _ALIASES.get(name, name)
    for meal in state.meals:
        if meal.name == name:
            return meal
    raise NutritionError(
        f"{said.strip()!r} is not one of the day's meals ({', '.join(MEALS)})"
    )


def share(
    amount: float, weights: Sequence[float], room: Sequence[float]
) -> tuple[list[float], float]:
    """Share ``amount`` in proportion to ``weights`` without giving any slot more than its room.

    Slots that would overflow are filled to their room and the rest is shared again over the
    others (water filling). When every weight is zero, slots with room share equally.

    Args:
        amount: What to share (not negative).
        weights: Relative size of each slot (not negative).
        room: The most each slot can take (not negative).

    Returns:
        ``(parts, leftover)``: what each slot takes, and what none could take.
    """
    parts = [0.0] * len(weights)
    active = [i for i, r in enumerate(room) if r > _EPS]
    left = amount
    while left > _EPS and active:
        total = sum(weights[i] for i in active)
        use = {i: (weights[i] / total if total > _EPS else 1.0 / len(active)) for i in active}
        full = [i for i in active if left * use[i] >= room[i] - parts[i] - _EPS]
        if not full:
            for i in active:
                parts[i] += left * use[i]
            left = 0.0
            break
        for i in full:
            left -= room[i] - parts[i]
            parts[i] = room[i]
        active = [i for i in active if i not in full]
    return parts, max(left, 0.0)


def redistribute(
    meals: list[MealPlan], missed: str, cap_factor: float = CAP_FACTOR
) -> tuple[list[MealPlan], Macros, Macros]:
    """Move a missed meal's macros onto the meals still to come.

    Each component is shared in proportion to the remaining meals' planned amounts of it; no meal
    ends above ``cap_factor`` times its original plan. The day's total is kept: what moved plus
    the leftover equals what the missed meal held.

    Args:
        meals: The day's meals; the missed one must be ``planned``.
        missed: Name of the missed meal.
        cap_factor: Cap on a meal, as a multiple of its original plan.

    Returns:
        ``(meals, moved, leftover)``: the new meals (missed one at zero), the macros the missed
        meal held, and the part no meal could take.
    """
    source = next(m for m in meals if m.name == missed)
    upcoming = [i for i, m in enumerate(meals) if m.status == "planned" and m.name != missed]
    moved = source.planned
    new_planned = {i: dict(meals[i].planned) for i in upcoming}
    leftover: dict[str, float] = {}
    for field in MACRO_FIELDS:
        weights = [meals[i].planned.get(field) for i in upcoming]
        room = [max(0.0, cap_factor * meals[i].base.get(field) - meals[i].planned.get(field))
                for i in upcoming]
        parts, left = share(moved.get(field), weights, room)
        for i, part in zip(upcoming, parts, strict=True):
            new_planned[i][field] += part
        leftover[field] = left
    out = []
    for i, meal in enumerate(meals):
        if i in new_planned:
            out.append(meal.model_copy(update={"planned": Macros(**new_planned[i])}))
        elif meal.name == missed:
            out.append(meal.model_copy(update={"status": "missed", "planned": Macros()}))
        else:
            out.append(meal)
    return out, moved, Macros(**leftover)


def compensate(
    meals: list[MealPlan], buffer: Macros, extra: Macros
) -> tuple[list[MealPlan], Macros, Macros]:
    """Make room for food that was not planned.

    Each component is taken first from the buffer, then from the meals still to come in
    proportion to their planned amounts; no meal goes below zero.

    Args:
        meals: The day's meals.
        buffer: The day's buffer.
        extra: What the unplanned food brought.

    Returns:
        ``(meals, buffer, over)``: the new meals and buffer, and what could not be absorbed.
    """
    upcoming = [i for i, m in enumerate(meals) if m.status == "planned"]
    new_planned = {i: dict(meals[i].planned) for i in upcoming}
    new_buffer: dict[str, float] = {}
    over: dict[str, float] = {}
    for field in MACRO_FIELDS:
        need = max(0.0, extra.get(field))
        from_buffer = min(need, max(0.0, buffer.get(field)))
        new_buffer[field] = buffer.get(field) - from_buffer
        need -= from_buffer
        room = [max(0.0, meals[i].planned.get(field)) for i in upcoming]
        parts, left = share(need, room, room)
        for i, part in zip(upcoming, parts, strict=True):
            new_planned[i][field] = max(0.0, new_planned[i][field] - part)
        over[field] = left
    out = [
        m.model_copy(update={"planned": Macros(**new_planned[i])}) if i in new_planned else m
        for i, m in enumerate(meals)
    ]
    return out, Macros(**new_buffer), Macros(**over)


def consumed(state: DayState) -> Macros:
    """Eaten meals plus added foods."""
    return Macros.total([e.macros for e in state.log if e.kind in ("eaten", "added")])


def remaining(state: DayState) -> Macros:
    """``targets + burned - consumed`` (negative components mean over target)."""
    return state.targets + state.burned - consumed(state)


def energy_shares(food: FoodMatch) -> dict[str, float]:
    """Share of the food's macronutrient energy (4/4/9 kcal per g) from each macronutrient."""
    energy = {"protein_g": 4 * food.protein_g, "carbs_g": 4 * food.carbs_g, "fat_g": 9 * food.fat_g}
    total = sum(energy.values())
    return {f: (e / total if total > 0 else 0.0) for f, e in energy.items()}


def main_component(food: FoodMatch) -> str:
    """The macronutrient that brings most of a food's energy (4/4/9 kcal per g).

    Returns ``"kcal"`` when the food has no protein, carbohydrate or fat.
    """
    shares = energy_shares(food)
    best = max(shares, key=lambda f: (shares[f], f))
    return best if shares[best] > 0 else "kcal"


SWAP_MIN_SHARE = 0.25
"""A swap matches the original's main macronutrient only when the replacement gets at least this
share of its energy from it; otherwise it matches energy (a banana cannot stand in for the fat
of a yogurt)."""


def match_grams(original: FoodMatch, grams: float, replacement: FoodMatch) -> tuple[float, str]:
    """Grams of ``replacement`` that bring as much of the original's main component.

    The component is the original's main macronutrient when the replacement is also a real
    source of it (at least :data:`SWAP_MIN_SHARE` of its energy), else energy (kcal)::

        replacement_grams = grams x original_per_100g[c] / replacement_per_100g[c]

    Args:
        original: The food being replaced.
        grams: How much of it.
        replacement: The food replacing it.

    Returns:
        ``(replacement_grams, component)``.

    Raises:
        NutritionError: The replacement cannot stand in (it has none of the component, nor any
            energy).
    """
    component = main_component(original)
    if component != "kcal" and energy_shares(replacement)[component] < SWAP_MIN_SHARE:
        component = "kcal"
    target = original.per_100g.get(component)
    have = replacement.per_100g.get(component)
    if target <= 0 or have <= 0:
        raise NutritionError(
            f"{replacement.name} cannot replace {original.name}: "
            "one of them has no energy to match"
        )
    return grams * target / have, component


def round_grams(grams: float) -> float:
    """Round a weight to four significant digits (keeps a swap within 0.05 % of its target)."""
    if grams <= 0:
        return 0.0
    return round(grams, max(1, 3 - math.floor(math.log10(grams))))
