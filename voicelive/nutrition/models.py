"""The values the nutrition toolkit passes around and returns.

One :class:`Macros` value (energy plus the three macronutrients) is used for targets, meal plans,
foods, what was eaten and what was burned. Tool results are pydantic models whose ``summary`` is a
short sentence meant to be spoken; every number in them is also available as a field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "MACRO_FIELDS",
    "ActivityResult",
    "AmountResult",
    "DailySummary",
    "FoodLookup",
    "FoodMatch",
    "FoodNotLogged",
    "LogEntry",
    "Macros",
    "MealPlan",
    "MealResult",
    "MealStatus",
    "MissedMealResult",
    "SubstitutionResult",
    "TargetsResult",
    "UnplannedFoodResult",
]

MACRO_FIELDS: tuple[str, ...] = ("kcal", "protein_g", "carbs_g", "fat_g")
"""The four components of :class:`Macros`, in display order."""

MealStatus = Literal["planned", "eaten", "missed"]


class Macros(BaseModel):
    """Energy and macronutrients of a food, a meal, a target or an activity.

    Values may be negative only where a difference is meant (``remaining`` when over target).

    Attributes:
        kcal: Energy in kilocalories.
        protein_g: Protein in grams.
        carbs_g: Carbohydrate (by difference) in grams.
        fat_g: Total fat in grams.
    """

    model_config = ConfigDict(frozen=True)

    kcal: float = 0.0
    protein_g: float = 0.0
    carbs_g: float = 0.0
    fat_g: float = 0.0

    def get(self, field: str) -> float:
        """Return one component by name (one of :data:`MACRO_FIELDS`)."""
        value: float = getattr(self, field)
        return value

    def replace(self, **values: float) -> Macros:
        """Return a copy with some components replaced."""
        return self.model_copy(update=values)

    def __add__(self, other: Macros) -> Macros:
        return Macros(**{f: self.get(f) + other.get(f) for f in MACRO_FIELDS})

    def __sub__(self, other: Macros) -> Macros:
        return Macros(**{f: self.get(f) - other.get(f) for f in MACRO_FIELDS})

    def scaled(self, factor: float) -> Macros:
        """Every component multiplied by ``factor``."""
        return Macros(**{f: self.get(f) * factor for f in MACRO_FIELDS})

    def rounded(self, digits: int = 1) -> Macros:
        """Every component rounded to ``digits`` decimals (for display)."""
        return Macros(**{f: round(self.get(f), digits) + 0.0 for f in MACRO_FIELDS})

    def clamped(self) -> Macros:
        """Negative components raised to zero."""
        return Macros(**{f: max(0.0, self.get(f)) for f in MACRO_FIELDS})

    @staticmethod
    def total(values: list[Macros]) -> Macros:
        """Sum of a list of values (zero for an empty list)."""
        out = Macros()
        for value in values:
            out = out + value
        return out


class FoodMatch(BaseModel):
    """One food from the database, with its nutrients per 100 g.

    Attributes:
        ndb_no: USDA NDB number (text, keeps leading zeros).
        name: The USDA description, e.g. ``"Bananas, raw"``.
        category: The USDA food group.
        kcal: Energy per 100 g.
        protein_g: Protein per 100 g.
        carbs_g: Carbohydrate per 100 g.
        fat_g: Fat per 100 g.
    """

    model_config = ConfigDict(frozen=True)

    ndb_no: str
    name: str
    category: str
    kcal: float
    protein_g: float
    carbs_g: float
    fat_g: float

    @property
    def per_100g(self) -> Macros:
        """The nutrients per 100 g as :class:`Macros`."""
        return Macros(kcal=self.kcal, protein_g=self.protein_g, carbs_g=self.carbs_g,
                      fat_g=self.fat_g)


class AmountResult(BaseModel):
    """An amount of food said in words, resolved to grams.

    Attributes:
        grams: The weight the amount stands for.
        quantity: The number that was said (``0.5`` for "half a").
        unit: The unit or portion used, e.g. ``"g"``, ``"cup"``, ``"large"``.
        portion: The portion from the table that was used, if any, e.g. ``"1 large = 50 g"``.
        assumption: What had to be assumed, or ``None`` when the amount was exact.
    """

    model_config = ConfigDict(frozen=True)

    grams: float = Field(gt=0)
    quantity: float = Field(gt=0)
    unit: str
    portion: str | None = None
    assumption: str | None = None


class MealPlan(BaseModel):
    """One meal of the day plan.

    Attributes:
        name: ``breakfast``, ``lunch``, ``dinner`` or ``snacks``.
        status: ``planned`` (still to come), ``eaten`` or ``missed``.
        planned: What the meal is planned to bring now (after any adjustment).
        base: What the meal was planned to bring when the day started (caps refer to it).
    """

    name: str
    status: MealStatus = "planned"
    planned: Macros
    base: Macros


class LogEntry(BaseModel):
    """One line of the day's log.

    Attributes:
        kind: ``eaten`` (a planned meal), ``missed``, ``added`` (unplanned food) or ``burned``.
        label: What it was: the meal, the food or the activity.
        macros: Its energy and macros (for ``burned``, only ``kcal`` is set).
        detail: A short note (the amount or the duration).
    """

    kind: Literal["eaten", "missed", "added", "burned"]
    label: str
    macros: Macros
    detail: str = ""


class _Spoken(BaseModel):
    summary: str


class FoodLookup(_Spoken):
    """The result of ``lookup_food``: one food at one amount.

    Attributes:
        food: The food that was matched.
        amount: How the amount was resolved.
        macros: Energy and macros of that amount.
        summary: A sentence to speak.
    """

    food: FoodMatch
    amount: AmountResult
    macros: Macros


class MissedMealResult(_Spoken):
    """The result of ``missed_meal``.

    Attributes:
        meal: The meal that was missed.
        moved: The macros that were moved away from it.
        meals: The day's meals after redistribution.
        unallocated: Macros that would have pushed a meal past its cap; kept as a buffer.
        summary: A sentence to speak.
        repeated: The meal was already missed; nothing changed and ``moved`` is what was
            moved the first time.
    """

    meal: str
    moved: Macros
    meals: list[MealPlan]
    unallocated: Macros
    repeated: bool = False


class MealResult(_Spoken):
    """The result of ``ate_meal``: a planned meal marked as eaten.

    Attributes:
        meal: The meal.
        macros: What it brought.
        remaining: What is left for the day afterwards.
        summary: A sentence to speak.
        repeated: The meal was already eaten; nothing changed.
    """

    meal: str
    macros: Macros
    remaining: Macros
    repeated: bool = False


class UnplannedFoodResult(_Spoken):
    """The result of ``unplanned_food``.

    Attributes:
        food: The food that was logged.
        amount: How the amount was resolved.
        macros: What the food brought.
        meals: The day's meals after compensation.
        over: What the day could not absorb (zero when everything fitted).
        summary: A sentence to speak.
    """

    food: FoodMatch
    amount: AmountResult
    macros: Macros
    meals: list[MealPlan]
    over: Macros


class FoodNotLogged(_Spoken):
    """The answer of a write that logged nothing because no food of the table is the one said.

    ``unplanned_food`` and ``substitute_food`` return it instead of guessing: when no entry is
    the food ("a nanaimo bar"), ``candidates`` is empty and the summary says so and asks what
    is in it or its calories; when two entries of different kinds fit about equally, the two are
    in ``candidates`` and the summary asks which one. Nothing was changed.

    Attributes:
        food: The food as said, without its amount.
        candidates: The two foods to choose between (empty when none fits).
        logged: Always ``False``: nothing was written.
        summary: A sentence to speak.
    """

    food: str
    candidates: list[FoodMatch] = Field(default_factory=list)
    logged: Literal[False] = False


class SubstitutionResult(_Spoken):
    """The result of ``substitute_food``.

    Attributes:
        original: The food being replaced.
        original_amount: Its amount.
        original_macros: What the original amount brings.
        replacement: The food replacing it.
        replacement_grams: Grams of the replacement that match the target component.
        replacement_macros: What those grams bring.
        matched_on: The component matched (``protein_g``, ``carbs_g``, ``fat_g`` or ``kcal``).
        difference: ``replacement_macros - original_macros``.
        meal: The meal the swap is for, if one was named.
        summary: A sentence to speak.
    """

    original: FoodMatch
    original_amount: AmountResult
    original_macros: Macros
    replacement: FoodMatch
    replacement_grams: float
    replacement_macros: Macros
    matched_on: str
    difference: Macros
    meal: str | None = None


class ActivityResult(_Spoken):
    """The result of ``log_activity``.

    Attributes:
        activity: The Compendium description that was matched.
        code: The Compendium code.
        met: Its MET value.
        minutes: Duration.
        weight_kg: Body mass used.
        kcal: Energy burned, MET x kg x hours.
        buffer_kcal: The day's buffer after adding the burn.
        assumption: What had to be assumed (e.g. the body mass), if anything.
        summary: A sentence to speak.
    """

    activity: str
    code: str
    met: float
    minutes: float
    weight_kg: float
    kcal: float
    buffer_kcal: float
    assumption: str | None = None


class TargetsResult(_Spoken):
    """The result of ``set_targets``.

    Attributes:
        targets: The new daily targets.
        meals: The meals, re-planned to the new targets.
        summary: A sentence to speak.
    """

    targets: Macros
    meals: list[MealPlan]


class DailySummary(_Spoken):
    """The result of ``daily_summary``.

    Attributes:
        day: The ISO date of the day.
        targets: The day's targets.
        meals: Every meal with its status and planned macros.
        consumed: Eaten meals plus added foods.
        burned: Energy burned by logged activities (``kcal`` only).
        remaining: ``targets + burned - consumed`` (negative when over).
        log: The day's log, oldest first.
        summary: A sentence to speak.
    """

    day: str
    targets: Macros
    meals: list[MealPlan]
    consumed: Macros
    burned: Macros
    remaining: Macros
    log: list[LogEntry]
