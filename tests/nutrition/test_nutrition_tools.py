"""Each nutrition tool called through the registry, with hand-computed results."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pytest

from voicelive.nutrition import NutritionService, Phrasing, toolkit
from voicelive.nutrition.tools import TEMPLATES
from voicelive.nutrition.tools import toolkit as toolkit_with
from voicelive.tools import ToolContext, ToolRegistry

DAY = date(2026, 3, 1)


@pytest.fixture
def registry(tmp_path: Path) -> ToolRegistry:
    service = NutritionService(tmp_path / "day.sqlite3", today=lambda: DAY)
    return toolkit_with(service=service)


def call(registry: ToolRegistry, name: str, user: str = "ana", **args: Any) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        ctx = ToolContext(session_id=f"session-{user}", user_id=user)
        return await registry.call(name, args, context=ctx)

    return anyio.run(run)


def output(registry: ToolRegistry, name: str, user: str = "ana", **args: Any) -> dict[str, Any]:
    response = call(registry, name, user, **args)
    assert "output" in response, response
    result: dict[str, Any] = response["output"]
    assert isinstance(result["summary"], str) and result["summary"]
    return result


def meals(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in result["meals"]}


def test_toolkit_has_every_tool_with_templates_and_described_parameters(tmp_path: Path) -> None:
    registry = toolkit(tmp_path / "n.sqlite3")
    assert set(registry.names()) == {
        "lookup_food", "missed_meal", "ate_meal", "unplanned_food", "substitute_food",
        "log_activity", "daily_summary", "set_targets",
    }
    for declaration in registry.to_json():
        properties = declaration["parametersJsonSchema"].get("properties", {})
        assert "ctx" not in properties  # the context is injected, not declared
        for name, prop in properties.items():
            assert prop.get("description"), (declaration["name"], name)
    for item in registry:
        assert len(item.templates) >= 3
        assert item.templates == tuple(TEMPLATES[item.name])


def test_lookup_food_two_eggs(registry: ToolRegistry) -> None:
    result = output(registry, "lookup_food", food="two eggs")
    # 2 x 50 g (large egg) = 100 g; egg per 100 g: 143 kcal, 12.56 P, 0.72 C, 9.51 F
    assert result["amount"]["grams"] == 100
    assert result["macros"] == {"kcal": 143.0, "protein_g": 12.6, "carbs_g": 0.7, "fat_g": 9.5}
    assert result["food"]["name"] == "Egg, whole, raw, fresh"
    assert result["summary"] == (
        "2 large eggs (100 g) has 143 kcal, 13 g of protein, 0.7 g of carbs and 9.5 g of fat."
    )


def test_summaries_name_the_food_as_said_unless_misspelt(registry: ToolRegistry) -> None:
    said = output(registry, "lookup_food", food="a can of cola")["summary"]
    assert said.startswith("1 can of cola (370 g) has 155 kcal")  # 370 x 42 / 100 = 155.4
    misspelt = output(registry, "lookup_food", food="bananna")["summary"]
    assert misspelt.startswith("1 serving of bananas (126 g)")  # USDA's "Bananas", not "bananna"
    sliced = output(registry, "unplanned_food", food="two slices of bread")["summary"]
    assert sliced.startswith("Logged 2 slices of bread (58 g), 154 kcal")  # 58 x 266 / 100


def test_lookup_food_with_separate_amount(registry: ToolRegistry) -> None:
    result = output(registry, "lookup_food", food="banana", amount="half a")
    # 0.5 x 118 g (medium banana) = 59 g; 59 x 89 / 100 = 52.51 kcal; 59 x 22.84 / 100 = 13.48 g
    assert result["amount"]["grams"] == 59
    assert result["macros"]["kcal"] == 52.5
    assert result["macros"]["carbs_g"] == 13.5


def test_missed_meal_redistributes(registry: ToolRegistry) -> None:
    result = output(registry, "missed_meal", meal="breakfast")
    after = meals(result)
    # 500 kcal over lunch 700 : dinner 600 : snacks 200 -> +233.3, +200, +66.7
    assert after["lunch"]["planned"]["kcal"] == 933.3
    assert after["dinner"]["planned"]["kcal"] == 800.0
    assert after["snacks"]["planned"]["kcal"] == 266.7
    # 25 g protein over 35 : 30 : 10 -> dinner 30 + 25 x 30 / 75 = 40
    assert after["dinner"]["planned"]["protein_g"] == 40.0
    assert after["breakfast"]["status"] == "missed"
    assert result["moved"]["kcal"] == 500
    assert "breakfast" in result["summary"] and "500 kcal" in result["summary"]
    # Day total is kept: 933.3 + 800 + 266.7 = 2000
    assert sum(m["planned"]["kcal"] for m in result["meals"]) == pytest.approx(2000, abs=0.2)


def test_missed_meal_twice_and_cap_overflow(registry: ToolRegistry) -> None:
    output(registry, "missed_meal", meal="breakfast")
    second = output(registry, "missed_meal", meal="lunch")
    # Lunch held 933.3; dinner may reach 1.5 x 600 = 900, snacks 1.5 x 200 = 300:
    # 933.3 - (900 - 800) - (300 - 266.7) = 800 kcal stay in the buffer.
    assert meals(second)["dinner"]["planned"]["kcal"] == 900
    assert meals(second)["snacks"]["planned"]["kcal"] == 300
    assert second["unallocated"]["kcal"] == 800
    assert "800 kcal" in second["summary"]
    # Said again: answered from the state, nothing moves twice.
    again = output(registry, "missed_meal", meal="lunch")
    assert again["repeated"] is True
    assert again["summary"].startswith("Lunch is already marked as missed; its 933 kcal")
    assert meals(again) == meals(second)


def test_missed_meal_already_eaten_is_a_clear_error(registry: ToolRegistry) -> None:
    eaten = output(registry, "ate_meal", meal="breakfast")
    # 2000 - 500 eaten = 1500 left
    assert eaten["remaining"]["kcal"] == 1500
    error = call(registry, "missed_meal", meal="breakfast")["error"]
    assert error["type"] == "ToolExecutionError"
    assert "breakfast is already logged as eaten" in error["message"]
    unknown = call(registry, "missed_meal", meal="elevenses")["error"]
    assert "not one of the day's meals" in unknown["message"]


def test_unplanned_food_trims_upcoming_meals(registry: ToolRegistry) -> None:
    result = output(registry, "unplanned_food", food="eggs", amount="2")
    after = meals(result)
    # 143 kcal taken in proportion 500 : 700 : 600 : 200 (sum 2000)
    assert after["breakfast"]["planned"]["kcal"] == pytest.approx(500 - 143 * 0.25, abs=0.06)
    assert after["lunch"]["planned"]["kcal"] == pytest.approx(700 - 143 * 0.35, abs=0.06)
    assert after["dinner"]["planned"]["kcal"] == pytest.approx(600 - 143 * 0.30, abs=0.06)
    assert after["snacks"]["planned"]["kcal"] == pytest.approx(200 - 143 * 0.10, abs=0.06)
    assert result["over"]["kcal"] == 0
    assert "143 kcal" in result["summary"]


def test_unplanned_food_the_day_cannot_absorb(registry: ToolRegistry) -> None:
    result = output(registry, "unplanned_food", food="butter", amount="1 kg")
    # 1000 g butter = 7170 kcal; the whole 2000 kcal day is used, 5170 kcal over.
    assert result["macros"]["kcal"] == 7170
    assert result["over"]["kcal"] == 5170
    assert all(m["planned"]["kcal"] == 0 for m in result["meals"])
    assert "5170 kcal over" in result["summary"]


def test_unplanned_food_uses_activity_buffer_first(registry: ToolRegistry) -> None:
    output(registry, "log_activity", activity="running", minutes=30, weight_kg=70)  # 343 kcal
    result = output(registry, "unplanned_food", food="two eggs")
    # 143 kcal come out of the 343 kcal buffer, so the meals keep their energy.
    assert meals(result)["lunch"]["planned"]["kcal"] == 700
    assert meals(result)["lunch"]["planned"]["protein_g"] == pytest.approx(35 - 12.56 * 0.35,
                                                                           abs=0.06)


def test_unplanned_food_bad_input(registry: ToolRegistry) -> None:
    unknown = output(registry, "unplanned_food", food="xqzvw")
    assert unknown["logged"] is False and unknown["candidates"] == []
    assert "I don't have xqzvw in my food table" in unknown["summary"]
    absurd = call(registry, "unplanned_food", food="rice", amount="50 kg")["error"]
    assert "more than I can log" in absurd["message"]
    negative = call(registry, "unplanned_food", food="rice", amount="-1 cup")["error"]
    assert "negative" in negative["message"]
    missing = call(registry, "unplanned_food")["error"]
    assert missing["type"] == "ToolArgumentError" and missing["fields"] == ["food"]
    # Nothing was logged by the failed calls.
    assert output(registry, "daily_summary")["log"] == []


def test_substitute_rice_for_quinoa(registry: ToolRegistry) -> None:
    result = output(registry, "substitute_food", original="rice", replacement="quinoa",
                    meal="lunch", amount="1 cup")
    # Rice 158 g x 28.17 g carbs / 100 = 44.51 g carbs; quinoa 21.3 g/100 g -> 208.96 g
    assert result["matched_on"] == "carbs_g"
    assert result["replacement_grams"] == 209.0
    # Quinoa 209 g: 250.8 kcal vs rice 205.4 kcal -> +45.4; protein 9.20 - 4.25 = +4.9
    assert result["difference"]["kcal"] == 45.4
    assert result["difference"]["protein_g"] == 4.9
    assert result["difference"]["carbs_g"] == 0.0
    assert result["meal"] == "lunch"
    assert "209 g of quinoa" in result["summary"]


def test_substitute_chicken_for_tofu_matches_protein(registry: ToolRegistry) -> None:
    result = output(registry, "substitute_food", original="chicken breast", replacement="tofu",
                    amount="150 grams")
    # 150 g x 31.02 / 100 = 46.53 g protein; tofu 8.08 g/100 g -> 575.87 g
    assert result["matched_on"] == "protein_g"
    assert result["replacement_grams"] == 575.9
    assert result["replacement_macros"]["protein_g"] == pytest.approx(46.53, rel=0.01)


def test_substitute_bad_input(registry: ToolRegistry) -> None:
    same = call(registry, "substitute_food", original="rice", replacement="rice")["error"]
    assert "same food" in same["message"]
    unknown = output(registry, "substitute_food", original="rice", replacement="xqzvw")
    assert unknown["logged"] is False
    assert unknown["summary"].startswith("I don't have xqzvw in my food table")


@pytest.mark.parametrize(
    ("activity", "minutes", "weight", "met", "kcal"),
    [
        ("running", 30, 70, 9.8, 343.0),  # 9.8 x 70 x 0.5 h
        ("cycling", 60, 80, 7.5, 600.0),  # 7.5 x 80 x 1 h
        ("yoga", 60, 60, 2.5, 150.0),  # 2.5 x 60 x 1 h
        ("swimming", 20, 90, 6.0, 180.0),  # 6.0 x 90 x 1/3 h
        ("walking", 45, 80, 3.5, 210.0),  # 3.5 x 80 x 0.75 h
    ],
)
def test_log_activity(
    registry: ToolRegistry, activity: str, minutes: int, weight: float, met: float, kcal: float
) -> None:
    result = output(registry, "log_activity", activity=activity, minutes=minutes,
                    weight_kg=weight)
    assert result["met"] == met
    assert result["kcal"] == kcal
    assert result["buffer_kcal"] == kcal
    assert f"{kcal:.0f} kcal" in result["summary"]


def test_log_activity_default_weight_and_bad_input(registry: ToolRegistry) -> None:
    result = output(registry, "log_activity", activity="jogging", minutes=60)
    # jogging, general: MET 7.0 x assumed 70 kg x 1 h = 490 kcal
    assert result["kcal"] == 490 and result["weight_kg"] == 70
    assert "70 kg" in result["assumption"]
    negative = call(registry, "log_activity", activity="running", minutes=-10)["error"]
    assert negative["type"] == "ToolArgumentError" and negative["fields"] == ["minutes"]
    unknown = call(registry, "log_activity", activity="xqzvw", minutes=10)["error"]
    assert "don't know the activity" in unknown["message"]
    heavy = call(registry, "log_activity", activity="yoga", minutes=10, weight_kg=4000)["error"]
    assert heavy["type"] == "ToolArgumentError"


def test_daily_summary_after_a_morning(registry: ToolRegistry) -> None:
    fresh = output(registry, "daily_summary")
    assert fresh["targets"] == {"kcal": 2000, "protein_g": 100, "carbs_g": 250, "fat_g": 67}
    assert [m["status"] for m in fresh["meals"]] == ["planned"] * 4
    output(registry, "log_activity", activity="running", minutes=30, weight_kg=70)  # 343 kcal
    output(registry, "ate_meal", meal="breakfast")  # 500 kcal, 25 P, 62.5 C, 16.75 F
    summary = output(registry, "daily_summary")
    assert summary["consumed"] == {"kcal": 500, "protein_g": 25, "carbs_g": 62.5, "fat_g": 16.8}
    assert summary["burned"]["kcal"] == 343
    # remaining = targets + burned - consumed = 2000 + 343 - 500 = 1843 kcal; 100 - 25 = 75 g P
    assert summary["remaining"]["kcal"] == 1843
    assert summary["remaining"]["protein_g"] == 75
    assert summary["day"] == "2026-03-01"
    assert [e["kind"] for e in summary["log"]] == ["burned", "eaten"]
    assert "1843 kcal" in summary["summary"] and "lunch" in summary["summary"]


def test_set_targets_asks_for_confirmation_first(registry: ToolRegistry) -> None:
    # a session never runs it on the model's word alone; it reads the targets back first
    targets = registry.get("set_targets")
    assert targets.confirm
    assert targets.confirmation_question({"kcal": 1800.0}) == "Set your daily target to 1800 kcal?"
    assert targets.confirmation_question({"kcal": 2100, "protein_g": 140}) == (
        "Set your daily target to 2100 kcal, with protein g 140?")
    assert not registry.get("ate_meal").confirm


def test_set_targets_replans_upcoming_meals(registry: ToolRegistry) -> None:
    output(registry, "ate_meal", meal="breakfast")  # 500 kcal eaten
    result = output(registry, "set_targets", kcal=1800)
    # Macros from 20/50/30 %: 1800 x 0.2 / 4 = 90 g P, 1800 x 0.5 / 4 = 225 g C, 1800 x 0.3 / 9
    assert result["targets"] == {"kcal": 1800, "protein_g": 90, "carbs_g": 225, "fat_g": 60}
    # 1800 - 500 eaten = 1300 over lunch 35 : dinner 30 : snacks 10 (of 75)
    after = meals(result)
    assert after["lunch"]["planned"]["kcal"] == pytest.approx(1300 * 35 / 75, abs=0.06)
    assert after["breakfast"]["planned"]["kcal"] == 500
    too_low = call(registry, "set_targets", kcal=100)["error"]
    assert too_low["type"] == "ToolArgumentError"


def test_wording_is_deterministic_by_default_and_variation_never_changes_numbers(
    tmp_path: Path,
) -> None:
    def summaries(phrasing: Phrasing, name: str) -> list[str]:
        service = NutritionService(tmp_path / f"{name}.sqlite3", phrasing=phrasing,
                                   today=lambda: DAY)
        return [service.lookup_food("two eggs").summary for _ in range(12)]

    fixed = summaries(Phrasing(), "fixed")
    assert len(set(fixed)) == 1
    varied = summaries(Phrasing(vary=True, seed=7), "varied")
    assert len(set(varied)) > 1
    assert varied == summaries(Phrasing(vary=True, seed=7), "again")  # seeded: reproducible
    for text in varied:
        assert "143 kcal" in text and "13 g" in text and "0.7 g" in text and "9.5 g" in text
