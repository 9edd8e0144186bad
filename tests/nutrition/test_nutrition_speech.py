"""Speech text: repeated requests answered from the state, units spoken as words, and no
exception class name in anything the offline backend says."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pytest

from voicelive.backends.local.reply import render_error
from voicelive.nutrition import NutritionService
from voicelive.nutrition.tools import toolkit
from voicelive.speakable import speakable
from voicelive.tools import ToolContext, ToolRegistry

DAY = date(2026, 3, 1)


@pytest.fixture
def registry(tmp_path: Path) -> ToolRegistry:
    return toolkit(service=NutritionService(tmp_path / "day.sqlite3", today=lambda: DAY))


def call(registry: ToolRegistry, name: str, **args: Any) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        ctx = ToolContext(session_id="s1", user_id="sam")
        return await registry.call(name, args, context=ctx)

    return anyio.run(run)


def test_saying_i_missed_lunch_twice_is_answered_from_the_state(registry: ToolRegistry) -> None:
    first = call(registry, "missed_meal", meal="lunch")["output"]
    again = call(registry, "missed_meal", meal="lunch")
    assert "error" not in again
    out = again["output"]
    assert out["repeated"] is True and first["repeated"] is False
    assert out["summary"].startswith("Lunch is already marked as missed; ")
    assert out["moved"] == first["moved"]  # what moved the first time, not moved again
    assert out["meals"] == first["meals"]
    assert "Error" not in out["summary"]


def test_eating_breakfast_twice_is_answered_from_the_state(registry: ToolRegistry) -> None:
    first = call(registry, "ate_meal", meal="breakfast")["output"]
    again = call(registry, "ate_meal", meal="breakfast")["output"]
    assert again["repeated"] is True
    assert again["remaining"] == first["remaining"]
    assert again["summary"] == (
        "Breakfast is already logged as eaten; you have 1500 kcal left today."
    )


def test_conflicts_are_plain_sentences_without_class_names(registry: ToolRegistry) -> None:
    call(registry, "ate_meal", meal="dinner")
    error = call(registry, "missed_meal", meal="dinner")["error"]
    said = render_error(error)
    assert said == (
        "Sorry, I couldn't do that: dinner is already logged as eaten today, so it can't be missed."
    )
    assert error["exception"] == "NutritionError"  # the class has its own field
    assert "Error" not in error["message"]  # the message is the human text only
    assert "Error" not in said


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("NutritionError: lunch is already missed today", "lunch is already missed today"),
        ("ValueError: the widget is missing.", "the widget is missing"),
        ("ToolExecutionError: KeyError: 'x'", "'x'"),
        ("the Error column is empty", "the Error column is empty"),
    ],
)
def test_render_error_never_speaks_a_class_name(message: str, said: str) -> None:
    assert render_error({"type": "ToolExecutionError", "message": message}) == (
        f"Sorry, I couldn't do that: {said}."
    )


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("A medium banana (118 g) has 105 kcal.", "A medium banana (118 grams) has 105 calories."),
        ("13 g of protein, 0.7 g of carbs and 1 g of fat",
         "13 grams of protein, 0.7 grams of carbs and 1 gram of fat"),
        ("50 kcal", "50 calories"),
        ("1 kcal", "1 calorie"),
        ("butter has 717 kcal/100 g", "butter has 717 calories per 100 grams"),
        ("30 min at 70 kg", "30 minutes at 70 kilograms"),
        ("20 % from protein", "20 percent from protein"),
        ("half a cup, 1/2 cup", "half a cup, 1/2 cup"),
        ("the g in lasagna", "the g in lasagna"),
        ("no numbers, no kcal", "no numbers, no kcal"),
    ],
)
def test_speakable_spells_units_and_keeps_numbers(written: str, spoken: str) -> None:
    assert speakable(written) == spoken


def test_every_nutrition_summary_reads_aloud_without_abbreviations(
    registry: ToolRegistry,
) -> None:
    results = [
        call(registry, "lookup_food", food="banana")["output"],
        call(registry, "unplanned_food", food="cookie")["output"],
        call(registry, "log_activity", activity="running", minutes=30)["output"],
        call(registry, "substitute_food", original="rice", replacement="quinoa")["output"],
        call(registry, "daily_summary")["output"],
    ]
    for result in results:
        spoken = speakable(result["summary"])
        for abbreviation in (" kcal", " g ", " g,", " g.", " g)", " min ", " kg"):
            assert abbreviation not in spoken, (abbreviation, spoken)
        assert "kcal" in result["summary"] or " g" in result["summary"]  # the page keeps them
