"""The nutrition operations behind the tools: look-ups, the day plan and its log.

:class:`NutritionService` ties the food database, the activity table, the SQLite day store and
the phrasing together. Each method is one tool's work, takes plain values, returns a pydantic
result with a spoken ``summary``, and raises :class:`~voicelive.exceptions.NutritionError` for
bad input (which the tool layer reports as a structured tool error).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from voicelive.exceptions import NutritionError
from voicelive.nutrition import plan
from voicelive.nutrition.activities import ActivityTable, burned_kcal, default_activities
from voicelive.nutrition.answers import amount_text, food_phrase, told_food
from voicelive.nutrition.foods import FoodDatabase, default_database
from voicelive.nutrition.models import (
    MACRO_FIELDS,
    ActivityResult,
    AmountResult,
    DailySummary,
    FoodLookup,
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
from voicelive.nutrition.phrases import Phrasing, grams, kcal
from voicelive.nutrition.plan import DayState
from voicelive.nutrition.resolving import NotFound, resolve_for_write, resolve_nearest
from voicelive.nutrition.store import DayStore
from voicelive.store import Store

__all__ = ["DEFAULT_WEIGHT_KG", "NutritionService"]

_log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_WEIGHT_KG = 70.0
"""Body mass assumed by ``log_activity`` when none is given."""

_NAMES = {"protein_g": "protein", "carbs_g": "carbs", "fat_g": "fat", "kcal": "energy"}


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _show(meals: list[MealPlan]) -> list[MealPlan]:
    """Meals with their macros rounded for the model and the user (the store keeps precision)."""
    return [m.model_copy(update={"planned": m.planned.rounded(), "base": m.base.rounded()})
            for m in meals]


class NutritionService:
    """Food look-ups and a per-user day plan stored in SQLite.

    Args:
        db_path: Where day states live: a SQLite file (the user's data directory when
            ``None``), a ``postgresql://`` URL or an open :class:`~voicelive.store.Store`.
        foods: The food database; the bundled one when ``None``.
        activities: The activity table; the bundled one when ``None``.
        phrasing: How summaries are worded; fixed wording when ``None``.
        today: Returns the current day; ``date.today`` when ``None``.
        cap_factor: Cap on a meal after redistribution, as a multiple of its original plan.
    """

    def __init__(
        self,
        db_path: Path | str | Store | None = None,
        *,
        foods: FoodDatabase | None = None,
        activities: ActivityTable | None = None,
        phrasing: Phrasing | None = None,
        today: Callable[[], date] | None = None,
        cap_factor: float = plan.CAP_FACTOR,
    ) -> None:
        self.store = DayStore(db_path)
        self.foods = foods or default_database()
        self.activities = activities or default_activities()
        self.phrasing = phrasing or Phrasing()
        self._today = today or date.today
        self.cap_factor = cap_factor

    # -- helpers ---------------------------------------------------------------------------

    def _day(self) -> str:
        return self._today().isoformat()

    def _fresh_day(self, user_id: str, day: str) -> DayState:
        """A new day, keeping the targets of the user's last stored day."""
        previous = self.store.latest_before(user_id, day)
        targets = previous.targets if previous is not None else plan.DEFAULT_TARGETS
        return plan.new_day(user_id, day, targets)

    def _change(
        self, user_id: str, change: Callable[[DayState], tuple[DayState, T]]
    ) -> T:
        day = self._day()
        fresh = self._fresh_day(user_id, day)

        def wrapped(current: DayState | None) -> tuple[DayState, T]:
            return change(current or fresh)

        return self.store.update(user_id, day, wrapped)

    def day_state(self, user_id: str) -> DayState:
        """Today's state for a user (a fresh day when nothing is stored yet)."""
        day = self._day()
        return self.store.load(user_id, day) or self._fresh_day(user_id, day)

    # -- operations ------------------------------------------------------------------------

    def lookup_food(self, food: str, amount: str = "") -> FoodLookup:
        """Nutrients of an amount of a food (nothing is logged).

        The answer is about the nearest food of the table; when that is not the food said
        (by the rule of writes), the summary first says which entry it is about.
        """
        match, resolved, macros, name, opening, note = resolve_nearest(self.foods, food, amount)
        summary = opening + self.phrasing.say(
            "lookup", what=food_phrase(resolved, name), kcal=kcal(macros.kcal),
            protein=grams(macros.protein_g), carbs=grams(macros.carbs_g), fat=grams(macros.fat_g),
        ) + note
        return FoodLookup(food=match, amount=resolved, macros=macros.rounded(), summary=summary)

    def missed_meal(self, user_id: str, meal: str) -> MissedMealResult:
        """Mark a planned meal as missed and move its macros onto the meals still to come."""

        def change(state: DayState) -> tuple[DayState, MissedMealResult]:
            target = plan.find_meal(state, meal)
            if target.status == "missed":  # said twice: answer from the state, change nothing
                return state, self._missed_already(state, target.name)
            if target.status != "planned":
                raise NutritionError(
                    f"{target.name} is already logged as eaten today, so it can't be missed"
                )
            meals, moved, left = plan.redistribute(state.meals, target.name, self.cap_factor)
            receivers = [m.name for m in meals if m.status == "planned"]
            log = [*state.log, LogEntry(kind="missed", label=target.name, macros=moved)]
            new = state.model_copy(update={"meals": meals, "buffer": state.buffer + left,
                                           "log": log})
            if not receivers:
                summary = self.phrasing.say("missed_last", meal=target.name,
                                            moved=kcal(moved.kcal))
            elif left.kcal > 0.5:
                summary = self.phrasing.say("missed_capped", meal=target.name,
                                            targets=_join(receivers), left=kcal(left.kcal))
            else:
                summary = self.phrasing.say("missed", meal=target.name, targets=_join(receivers),
                                            moved=kcal(moved.kcal))
            return new, MissedMealResult(
                meal=target.name, moved=moved.rounded(), meals=_show(meals),
                unallocated=left.rounded(), summary=summary,
            )

        return self._change(user_id, change)

    def _missed_already(self, state: DayState, meal: str) -> MissedMealResult:
        """The answer to marking an already missed meal as missed again."""
        earlier = [e.macros for e in state.log if e.kind == "missed" and e.label == meal]
        moved = earlier[-1] if earlier else Macros(kcal=0, protein_g=0, carbs_g=0, fat_g=0)
        receivers = [m.name for m in state.meals if m.status == "planned"]
        summary = self.phrasing.say(
            "missed_again", meal=meal, moved=kcal(moved.kcal),
            targets=_join(receivers) if receivers else "nothing, as no meal is left today",
        )
        return MissedMealResult(
            meal=meal, moved=moved.rounded(), meals=_show(state.meals),
            unallocated=Macros(kcal=0, protein_g=0, carbs_g=0, fat_g=0), summary=summary,
            repeated=True,
        )

    def ate_meal(self, user_id: str, meal: str) -> MealResult:
        """Mark a planned meal as eaten as planned."""

        def change(state: DayState) -> tuple[DayState, MealResult]:
            target = plan.find_meal(state, meal)
            if target.status == "eaten":  # said twice: answer from the state, change nothing
                left = plan.remaining(state)
                summary = self.phrasing.say("ate_again", meal=target.name, left=kcal(left.kcal))
                return state, MealResult(meal=target.name, macros=target.planned.rounded(),
                                         remaining=left.rounded(), summary=summary,
                                         repeated=True)
            if target.status != "planned":
                raise NutritionError(
                    f"{target.name} is already marked as missed today, so it can't be eaten"
                )
            meals = [m.model_copy(update={"status": "eaten"}) if m.name == target.name else m
                     for m in state.meals]
            log = [*state.log, LogEntry(kind="eaten", label=target.name, macros=target.planned)]
            new = state.model_copy(update={"meals": meals, "log": log})
            left = plan.remaining(new)
            summary = self.phrasing.say("ate", meal=target.name, kcal=kcal(target.planned.kcal),
                                        left=kcal(left.kcal))
            return new, MealResult(meal=target.name, macros=target.planned.rounded(),
                                   remaining=left.rounded(), summary=summary)

        return self._change(user_id, change)

    def unplanned_food(
        self, user_id: str, food: str, amount: str = "", calories: float | None = None
    ) -> UnplannedFoodResult | FoodNotLogged:
        """Log food that was not planned and shrink the upcoming meals to make room.

        Only a food of the table that is the food said is logged; otherwise nothing is written
        and the answer (:class:`FoodNotLogged`) says so, or asks which of two foods was meant.
        With ``calories`` (what the person said it had) the food is logged with that energy:
        a known food keeps its share of protein, carbs and fat, an unknown one is logged as
        energy alone (:func:`told_food`).
        """
        if calories is not None and not (math.isfinite(calories) and 0 < calories <= 5000):
            raise NutritionError(f"{calories:g} kcal is not an energy I can log")
        try:
            match, resolved, macros, name, _, note = resolve_for_write(self.foods, food, amount)
        except NotFound as missing:
            if calories is None:
                return missing.answer
            match, resolved, macros = told_food(missing.answer.food, calories)
            name = missing.answer.food
            note = " I counted only its energy, as I don't know its protein, carbs or fat."
        else:
            if calories is not None and match.kcal > 0:  # the person's energy, the food's mix
                grams_eaten = calories * 100.0 / match.kcal
                macros = match.per_100g.scaled(grams_eaten / 100.0)
                resolved = AmountResult(grams=grams_eaten, quantity=1, unit="serving",
                                        assumption=f"the weight of the {kcal(calories)} you "
                                                   "told me")

        def change(state: DayState) -> tuple[DayState, UnplannedFoodResult]:
            meals, buffer, over = plan.compensate(state.meals, state.buffer, macros)
            told = not match.ndb_no  # a food the table lacks, logged from its energy alone
            entry = LogEntry(kind="added", label=match.name, macros=macros,
                             detail="energy as told" if told else amount_text(resolved))
            new = state.model_copy(update={"meals": meals, "buffer": buffer,
                                           "log": [*state.log, entry]})
            fields = {"what": name if told else food_phrase(resolved, name),
                      "kcal": kcal(macros.kcal)}
            if over.kcal >= 0.5:
                summary = self.phrasing.say("unplanned_over", over=kcal(over.kcal), **fields)
            else:
                summary = self.phrasing.say("unplanned", **fields)
            summary += note
            return new, UnplannedFoodResult(
                food=match, amount=resolved, macros=macros.rounded(), meals=_show(meals),
                over=over.rounded(), summary=summary,
            )

        return self._change(user_id, change)

    def substitute_food(
        self, original: str, replacement: str, meal: str = "", amount: str = ""
    ) -> SubstitutionResult | FoodNotLogged:
        """How much of ``replacement`` matches ``amount`` of ``original`` (nothing is logged).

        Both foods must be foods of the table that are the ones said (the rule of writes);
        otherwise the answer (:class:`FoodNotLogged`) says which one is unknown or ambiguous.
        """
        try:
            first, first_amount, first_macros, first_name, _, _ = resolve_for_write(self.foods,
                original, amount, swap=True)
            wanted = resolve_for_write(self.foods, replacement, "1", swap=True)
            second = wanted.food
        except NotFound as missing:
            return missing.answer
        if second.ndb_no == first.ndb_no:
            raise NutritionError(f"{replacement!r} and {original!r} are the same food")
        grams_needed, component = plan.match_grams(first, first_amount.grams, second)
        if grams_needed > 3000:
            raise NutritionError(
                f"you would need {grams_needed / 1000:.1f} kg of {second.name} to replace it"
            )
        precise = plan.round_grams(grams_needed)
        second_macros = second.per_100g.scaled(precise / 100.0)
        difference = second_macros - first_macros
        changes = [
            f"{_NAMES[f]} {'up' if difference.get(f) > 0 else 'down'} by "
            + (kcal(abs(difference.get(f))) if f == "kcal" else grams(abs(difference.get(f))))
            for f in MACRO_FIELDS
            if f != component and abs(difference.get(f)) >= (1.0 if f == "kcal" else 0.5)
        ]
        meal_name = None
        if meal.strip():
            meal_name = plan.find_meal(plan.new_day("-", "-"), meal).name
        summary = self.phrasing.say(
            "substitute", original=food_phrase(first_amount, first_name),
            grams=grams(precise),
            replacement=wanted.name,
            matched=_NAMES[component],
            changes=_join(changes) if changes else "nothing else much",
        )
        return SubstitutionResult(
            original=first, original_amount=first_amount, original_macros=first_macros.rounded(),
            replacement=second, replacement_grams=precise, replacement_macros=second_macros,
            matched_on=component, difference=difference.rounded(), meal=meal_name,
            summary=summary,
        )

    def log_activity(
        self, user_id: str, activity: str, minutes: float, weight_kg: float | None = None
    ) -> ActivityResult:
        """Log an activity; its burn (MET x kg x hours) goes to the day's buffer."""
        if not math.isfinite(minutes) or minutes <= 0 or minutes > 24 * 60:
            raise NutritionError(f"{minutes:g} minutes is not a duration I can log")
        assumption = None
        if weight_kg is None or weight_kg <= 0:
            if weight_kg is not None:
                raise NutritionError(f"a body mass of {weight_kg:g} kg is not possible")
            weight_kg = DEFAULT_WEIGHT_KG
            assumption = f"body mass taken as {DEFAULT_WEIGHT_KG:g} kg"
        if not 20 <= weight_kg <= 400:
            raise NutritionError(f"a body mass of {weight_kg:g} kg is not plausible")
        entry = self.activities.match(activity)
        burned = burned_kcal(entry.met, weight_kg, minutes)
        mass = weight_kg

        def change(state: DayState) -> tuple[DayState, ActivityResult]:
            burn = Macros(kcal=burned)
            log = [*state.log, LogEntry(kind="burned", label=entry.description, macros=burn,
                                        detail=f"{minutes:g} min")]
            new = state.model_copy(update={"buffer": state.buffer + burn,
                                           "burned": state.burned + burn, "log": log})
            summary = self.phrasing.say("activity", minutes=f"{minutes:g} minutes",
                                        activity=activity.strip(), kcal=kcal(burned))
            return new, ActivityResult(
                activity=entry.description, code=entry.code, met=entry.met, minutes=minutes,
                weight_kg=mass, kcal=round(burned, 1), buffer_kcal=round(new.buffer.kcal, 1),
                assumption=assumption, summary=summary,
            )

        return self._change(user_id, change)

    def set_targets(self, user_id: str, targets: Macros) -> TargetsResult:
        """Set the day's targets and re-plan the meals still to come."""
        for field in MACRO_FIELDS:
            value = targets.get(field)
            if not math.isfinite(value) or value < 0:
                raise NutritionError(f"a target of {value:g} for {_NAMES[field]} is not possible")
        if not 500 <= targets.kcal <= 10000:
            raise NutritionError(f"{targets.kcal:g} kcal a day is not a target I can plan")

        def change(state: DayState) -> tuple[DayState, TargetsResult]:
            spent = plan.consumed(state)
            upcoming = [m for m in state.meals if m.status == "planned"]
            free = (targets - spent).clamped()
            total = sum(plan.DEFAULT_SHARES[m.name] for m in upcoming)
            meals = []
            for meal in state.meals:
                if meal.status == "planned" and total > 0:
                    part = free.scaled(plan.DEFAULT_SHARES[meal.name] / total)
                    meal = meal.model_copy(update={"planned": part, "base": part})
                meals.append(meal)
            new = state.model_copy(update={"targets": targets, "meals": meals})
            summary = self.phrasing.say(
                "targets", kcal=kcal(targets.kcal), protein=grams(targets.protein_g),
                carbs=grams(targets.carbs_g), fat=grams(targets.fat_g),
            )
            return new, TargetsResult(targets=targets, meals=_show(meals), summary=summary)

        return self._change(user_id, change)

    def daily_summary(self, user_id: str) -> DailySummary:
        """Targets, meals, consumed, burned and remaining for today."""
        state = self.day_state(user_id)
        eaten = plan.consumed(state)
        left = plan.remaining(state)
        upcoming = [m.name for m in state.meals if m.status == "planned"]
        fields = {"consumed": kcal(eaten.kcal), "target": kcal(state.targets.kcal),
                  "burned": kcal(state.burned.kcal)}
        if left.kcal < -0.5:
            summary = self.phrasing.say("summary_over", over=kcal(-left.kcal), **fields)
        else:
            summary = self.phrasing.say(
                "summary", left=kcal(left.kcal),
                next=upcoming[0] if upcoming else "nothing, the day's meals are done", **fields,
            )
        return DailySummary(
            day=state.day, targets=state.targets, meals=_show(state.meals),
            consumed=eaten.rounded(), burned=state.burned.rounded(), remaining=left.rounded(),
            log=state.log, summary=summary,
        )
