"""Nutrition toolkit on the bundled USDA SR28 food database and the 2011 Compendium.

::

    from voicelive.nutrition import search_foods, toolkit

    search_foods("banana")[0].name          # 'Bananas, raw'
    registry = toolkit()                    # lookup_food, missed_meal, unplanned_food, ...
    await registry.call("missed_meal", {"meal": "breakfast"},
                        context=ToolContext(session_id="s1", user_id="ana"))

Importing this package reads no data: the tables load on the first search or tool call. See
``docs/nutrition.md`` for the data, the formulas and the tools.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from voicelive.nutrition.foods import FoodDatabase, default_database
from voicelive.nutrition.matching import WriteMatch, match_for_write
from voicelive.nutrition.models import (
    ActivityResult,
    AmountResult,
    DailySummary,
    FoodLookup,
    FoodMatch,
    FoodNotLogged,
    LogEntry,
    Macros,
    MealPlan,
    MealResult,
    MissedMealResult,
    SubstitutionResult,
    TargetsResult,
    UnplannedFoodResult,
)
from voicelive.nutrition.phrases import Phrasing
from voicelive.nutrition.plan import DEFAULT_TARGETS, MEALS, DayState
from voicelive.nutrition.service import NutritionService
from voicelive.nutrition.slots import SLOT_VALUES
from voicelive.nutrition.store import DayStore, default_db_path

if TYPE_CHECKING:
    from pathlib import Path

    from voicelive.store import Store
    from voicelive.tools import ToolRegistry

__all__ = [
    "DEFAULT_TARGETS",
    "MEALS",
    "SLOT_VALUES",
    "ActivityResult",
    "AmountResult",
    "DailySummary",
    "DayState",
    "DayStore",
    "FoodDatabase",
    "FoodLookup",
    "FoodMatch",
    "FoodNotLogged",
    "LogEntry",
    "Macros",
    "MealPlan",
    "MealResult",
    "MissedMealResult",
    "NutritionService",
    "Phrasing",
    "SubstitutionResult",
    "TargetsResult",
    "UnplannedFoodResult",
    "WriteMatch",
    "default_db_path",
    "match_for_write",
    "plausible_value",
    "search_foods",
    "toolkit",
]


def search_foods(query: str, limit: int = 10) -> list[FoodMatch]:
    """Search the bundled food database (what ``voicelive foods QUERY`` prints).

    Args:
        query: Food name as a person would say it; plurals and small typos are fine.
        limit: At most this many results.

    Returns:
        Matches with name, category and kcal/protein/carbs/fat per 100 g, best first.
    """
    return default_database().search(query, limit)


_FOOD_SLOTS = frozenset({"food", "original", "replacement"})


def plausible_value(slot: str, value: str) -> bool:
    """Whether ``value`` could be what a user meant in a nutrition template slot.

    The offline backend asks this about a slot value the recogniser heard that is not one of
    :data:`SLOT_VALUES`: a food slot's value must be found by the food search ("kimchi" is,
    "moments" is not); any other slot's value is taken as plausible.

    Args:
        slot: Template slot name (``food``, ``original``, ``replacement``, ...).
        value: The heard value.

    Returns:
        ``False`` only for a food slot whose value names no food in the database.
    """
    if slot not in _FOOD_SLOTS:
        return True
    return bool(value.strip()) and bool(search_foods(value, limit=1))


def toolkit(
    db_path: Path | str | Store | None = None,
    *,
    vary_wording: bool = False,
    seed: int | None = 0,
) -> ToolRegistry:
    """The nutrition tools as a :class:`~voicelive.tools.ToolRegistry`.

    Tools are called with a :class:`~voicelive.tools.ToolContext` whose ``user_id`` selects the
    person's day.

    Args:
        db_path: SQLite file of the day states (``nutrition.sqlite3`` in the user's data
            directory when ``None``), a ``postgresql://`` URL, or an open store.
        vary_wording: Vary the wording of spoken summaries (seeded; numbers never change).
        seed: Seed for the wording variation.

    Returns:
        The registry of nutrition tools.
    """
    from voicelive.nutrition.tools import toolkit as make

    return make(db_path, vary_wording=vary_wording, seed=seed)
