"""The nutrition tools the model (or the offline understanding) calls, with their phrases.

:func:`toolkit` returns a :class:`~voicelive.tools.ToolRegistry` holding one ``@tool`` per
operation of :class:`~voicelive.nutrition.service.NutritionService`. The person whose day is
changed is ``ctx.user_id`` of the :class:`~voicelive.tools.ToolContext` of each call, so two
sessions of two users never touch the same day. Parameters carry their vocabularies
(:mod:`voicelive.nutrition.slots`) and each tool says whether it writes (``@hints``); the hassil
templates, whose slot names are parameter names, are extra evidence for the offline backend.

Bad input (an unknown food, a meal already eaten, an absurd amount) raises
:class:`~voicelive.exceptions.NutritionError` inside the tool, which the registry returns as a
structured ``{"error": ...}`` response with a readable message; impossible numbers (negative
minutes) are refused by argument validation before the tool runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from voicelive.nutrition.models import (
    ActivityResult,
    DailySummary,
    FoodLookup,
    FoodNotLogged,
    Macros,
    MealResult,
    MissedMealResult,
    SubstitutionResult,
    TargetsResult,
    UnplannedFoodResult,
)
from voicelive.nutrition.phrases import Phrasing
from voicelive.nutrition.service import NutritionService
from voicelive.nutrition.slots import (
    ACTIVITY_VOCABULARY,
    AMOUNT_VOCABULARY,
    FOOD_VOCABULARY,
    MEAL_VOCABULARY,
)
from voicelive.store import Store
from voicelive.tools import Tool, ToolContext, ToolRegistry, tool
from voicelive.tools.hints import hints

Food = Annotated[str, FOOD_VOCABULARY]
Meal = Annotated[str, MEAL_VOCABULARY]
Amount = Annotated[str, AMOUNT_VOCABULARY]
ActivityName = Annotated[str, ACTIVITY_VOCABULARY]

__all__ = ["TEMPLATES", "build_tools", "toolkit"]

TEMPLATES: dict[str, list[str]] = {
    "missed_meal": [
        "i (missed|skipped) [my] {meal}",
        "i (didn't|did not) (have|eat) [my] {meal}",
        "no {meal} (today|for me)",
        "i (have to|need to|will|am going to|'m going to) skip [my] {meal}",
        "i (had to|have had to) skip [my] {meal}",
        "skip [my] {meal} [today]",
        "i (forgot|had no time) [to eat] [my] {meal}",
    ],
    "ate_meal": [
        "i (ate|had|finished) [my] {meal} [as planned]",
        "(done|finished) with [my] {meal}",
        "log [my] {meal} [as eaten]",
        "{meal} (is done|was as planned)",
    ],
    "unplanned_food": [
        "i (ate|had|snacked on|grabbed|drank) {amount} [of] {food}",
        "i (ate|had|snacked on|grabbed|drank) {food}",
        "(log|add) {amount} [of] {food}",
        "(log|add) {food}",
        "i just (ate|had|drank) {amount} [of] {food}",
        "i couldn't resist {amount} [of] {food}",
    ],
    "substitute_food": [
        "swap {original} for {replacement} [at|for] [{meal}]",
        "(replace|substitute) {original} with {replacement} [at|for] [{meal}]",
        "can i have {replacement} instead of {original} [at|for] [{meal}]",
        "instead of {original} i (had|ate|'ll have|will have|want) {replacement} [at|for] [{meal}]",
        "(use|eat) {replacement} instead of {original} [at|for] [{meal}]",
        "how much {replacement} (replaces|equals|matches) {amount} [of] {original}",
    ],
    "log_activity": [
        "i (went|did) {activity} for {minutes} minutes",
        "i (went|did) {activity} for {minutes} minutes and (i weigh|weigh) {weight_kg} (kg|kilos)",
        "i did {minutes} minutes of {activity}",
        "{minutes} minutes (of|doing) {activity}",
        "(log|add) {minutes} minutes [of] {activity}",
        "i (went for|did) a {activity} for {minutes} minutes",
        "i {activity} for {minutes} minutes",
    ],
    "daily_summary": [
        "how am i doing [today]",
        "(give me|what is|what's) my [daily] summary",
        "how much (do i have|is) left [today]",
        "how many (calories|kcal) (do i have left|are left|remain) [today]",
        "(show|tell me) my day",
        "where am i (at|with my plan) [today]",
    ],
    "lookup_food": [
        "how many (calories|kcal) [are|is] in {amount} [of] {food}",
        "how many (calories|kcal) [are|is] in {food}",
        "what('s| is) in {amount} [of] {food}",
        "(nutrition|macros) (for|of) {amount} [of] {food}",
        "(nutrition|macros) (for|of) {food}",
        "how much protein (is|are) in {amount} [of] {food}",
        "look up {food}",
    ],
    "set_targets": [
        "set my [daily] (target|goal) to {kcal} (calories|kcal)",
        "(i want to|let me) eat {kcal} (calories|kcal) [a day]",
        "my [daily] (target|goal) is {kcal} (calories|kcal)",
    ],
}
"""Sentence templates (hassil syntax) for each tool; slot names are parameter names."""

_MEAL = "breakfast, lunch, dinner or snacks (snack and supper are understood)"


def build_tools(service: NutritionService) -> list[Tool[..., Any]]:
    """Make the nutrition tools over one service.

    Args:
        service: Where the data and the day states live.

    Returns:
        The tools, in a stable order.
    """

    @hints(writes=False, ability="look up calories",
           examples=["how many calories are in a banana"])
    @tool(templates=TEMPLATES["lookup_food"], timeout=10)
    def lookup_food(food: Food, amount: Amount = "") -> FoodLookup:
        """Look up a food in the USDA database: its calories, protein, carbs and fat.

        Nothing is logged. Use it for questions such as "how many calories are in a banana".

        Args:
            food: The food as the person said it, e.g. "banana", "chicken breast", or a whole
                phrase with its amount such as "two eggs".
            amount: How much, as said, e.g. "2", "a large", "1 cup", "150 grams", "half a",
                "3 oz", "a slice"; leave empty for one standard serving.
        """
        return service.lookup_food(food, amount)

    @hints(writes=True, ability="replan a missed meal",
           examples=["I skipped breakfast"])
    @tool(templates=TEMPLATES["missed_meal"], timeout=10)
    def missed_meal(meal: Meal, ctx: ToolContext) -> MissedMealResult:
        """Record that a planned meal was skipped and move its calories to the other meals.

        The missed meal's calories and macros are spread over the remaining meals of the day,
        in proportion to their size and without making any meal more than 1.5 times its plan.

        Args:
            meal: The meal that was missed: breakfast, lunch, dinner or snacks.
            ctx: Injected call context; its user_id selects the person.
        """
        return service.missed_meal(ctx.user_id, meal)

    @hints(writes=True, ability="mark a meal eaten", examples=["I had my lunch"])
    @tool(templates=TEMPLATES["ate_meal"], timeout=10)
    def ate_meal(meal: Meal, ctx: ToolContext) -> MealResult:
        """Record that a planned meal was eaten as planned.

        Args:
            meal: The meal that was eaten: breakfast, lunch, dinner or snacks.
            ctx: Injected call context; its user_id selects the person.
        """
        return service.ate_meal(ctx.user_id, meal)

    @hints(writes=True, ability="log a snack", examples=["I ate a cookie"])
    @tool(templates=TEMPLATES["unplanned_food"], timeout=10)
    def unplanned_food(
        food: Food, ctx: ToolContext, amount: Amount = ""
    ) -> UnplannedFoodResult | FoodNotLogged:
        """Log food eaten outside the plan and shrink the upcoming meals to make room for it.

        Args:
            food: The food as the person said it, e.g. "cookie", or "a slice of pizza".
            ctx: Injected call context; its user_id selects the person.
            amount: How much, as said, e.g. "2", "a large", "1 cup", "100 grams"; leave empty
                for one standard serving.
        """
        return service.unplanned_food(ctx.user_id, food, amount)

    @hints(writes=False, ability="swap a food",
           examples=["swap the rice for quinoa"])
    @tool(templates=TEMPLATES["substitute_food"], timeout=10)
    def substitute_food(
        original: Food, replacement: Food, meal: Meal = "", amount: Amount = ""
    ) -> SubstitutionResult | FoodNotLogged:
        """Grams of a replacement food that match the original food's main macro.

        The main macro is the one that brings most of the original's calories (calories are
        matched when the replacement has none of it); the result says how the others change.

        Args:
            original: The planned food, e.g. "rice".
            replacement: The food to eat instead, e.g. "quinoa".
            meal: The meal the swap is for (breakfast, lunch, dinner or snacks), if said.
            amount: How much of the original, e.g. "1 cup"; empty for one standard serving.
        """
        return service.substitute_food(original, replacement, meal, amount)

    @hints(writes=True, ability="log exercise", examples=["I went running for 30 minutes"])
    @tool(templates=TEMPLATES["log_activity"], timeout=10)
    def log_activity(
        activity: ActivityName,
        minutes: Annotated[float, Field(gt=0, le=1440)],
        ctx: ToolContext,
        weight_kg: Annotated[float | None, Field(ge=20, le=400)] = None,
    ) -> ActivityResult:
        """Log physical activity and add the calories it burned to the day's buffer.

        Calories burned = MET x body mass (kg) x hours, with MET values from the 2011
        Compendium of Physical Activities.

        Args:
            activity: What was done, e.g. "running", "cycling", "yoga", "swimming", "walking".
            minutes: How long, in minutes (more than 0, at most 1440).
            ctx: Injected call context; its user_id selects the person.
            weight_kg: The person's body mass in kilograms, if known (70 kg is assumed).
        """
        return service.log_activity(ctx.user_id, activity, minutes, weight_kg)

    @hints(writes=False, ability="sum up your day",
           examples=["how am I doing today"])
    @tool(templates=TEMPLATES["daily_summary"], timeout=10)
    def daily_summary(ctx: ToolContext) -> DailySummary:
        """Today's plan and progress: calorie and macro targets, meals, consumed, burned, left.

        Each meal comes with its status (planned, eaten or missed) and planned macros. Use it
        when the person asks how their day is going: how they are doing, where they stand,
        whether they are on track, how their numbers look, their total so far, what is left,
        or what to eat next.

        Args:
            ctx: Injected call context; its user_id selects the person.
        """
        return service.daily_summary(ctx.user_id)

    @hints(writes=True, ability="set your target",
           examples=["set my target to 1800 calories"])
    @tool(templates=TEMPLATES["set_targets"], timeout=10,
          confirm="Set your daily target to {kcal} kcal?")
    def set_targets(
        kcal: Annotated[float, Field(ge=500, le=10000)],
        ctx: ToolContext,
        protein_g: Annotated[float | None, Field(ge=0, le=1000)] = None,
        carbs_g: Annotated[float | None, Field(ge=0, le=2000)] = None,
        fat_g: Annotated[float | None, Field(ge=0, le=1000)] = None,
    ) -> TargetsResult:
        """Set the daily targets and re-plan the meals still to come.

        Macros that are not given follow 20 % of energy from protein, 50 % from carbohydrate
        and 30 % from fat (4, 4 and 9 kcal per gram).

        Args:
            kcal: Daily energy target in kilocalories.
            ctx: Injected call context; its user_id selects the person.
            protein_g: Daily protein target in grams.
            carbs_g: Daily carbohydrate target in grams.
            fat_g: Daily fat target in grams.
        """
        targets = Macros(
            kcal=kcal,
            protein_g=protein_g if protein_g is not None else kcal * 0.20 / 4,
            carbs_g=carbs_g if carbs_g is not None else kcal * 0.50 / 4,
            fat_g=fat_g if fat_g is not None else kcal * 0.30 / 9,
        )
        return service.set_targets(ctx.user_id, targets)

    return [lookup_food, missed_meal, ate_meal, unplanned_food, substitute_food, log_activity,
            daily_summary, set_targets]


def toolkit(
    db_path: Path | str | Store | None = None,
    *,
    vary_wording: bool = False,
    seed: int | None = 0,
    service: NutritionService | None = None,
) -> ToolRegistry:
    """The nutrition tools as a registry, ready for a session.

    Args:
        db_path: SQLite file holding the day states; ``nutrition.sqlite3`` in the user's data
            directory when ``None``.
        vary_wording: Vary the wording of spoken summaries (seeded; numbers never change).
        seed: Seed for the wording variation.
        service: Use this service instead of building one (``db_path`` and the wording options
            are then ignored).

    Returns:
        A :class:`~voicelive.tools.ToolRegistry` with ``lookup_food``, ``missed_meal``,
        ``ate_meal``, ``unplanned_food``, ``substitute_food``, ``log_activity``,
        ``daily_summary`` and ``set_targets``.
    """
    if service is None:
        service = NutritionService(db_path, phrasing=Phrasing(vary=vary_wording, seed=seed))
    return ToolRegistry(build_tools(service))
