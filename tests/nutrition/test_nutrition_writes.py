"""Writes log the food that was said, or say they do not know it (the write-match rule)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pytest

from bench.bench_food_match import TABLE, load, outcome
from voicelive.exceptions import NutritionError
from voicelive.nutrition import NutritionService
from voicelive.nutrition.amounts import split_amount
from voicelive.nutrition.answers import spoken_entry
from voicelive.nutrition.foods import default_database
from voicelive.nutrition.matching import match_for_write
from voicelive.nutrition.models import FoodMatch, Macros, UnplannedFoodResult
from voicelive.nutrition.tools import toolkit
from voicelive.tools import ToolContext, ToolRegistry

DAY = date(2026, 3, 2)


@pytest.fixture
def registry(tmp_path: Path) -> ToolRegistry:
    return toolkit(service=NutritionService(tmp_path / "days.sqlite3", today=lambda: DAY))


def call(registry: ToolRegistry, name: str, **args: Any) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        ctx = ToolContext(session_id="s-writes", user_id="sam")
        return await registry.call(name, args, context=ctx)

    response = anyio.run(run)
    assert "output" in response, response
    output: dict[str, Any] = response["output"]
    return output


# Foods no entry of SR28 is, each of which the loose search turned into some other entry.
NOT_IN_TABLE = [
    "nanaimo bar",  # was "Milk and cereal bar"
    "ginger nut biscuits",  # was a nut
    "samosas",  # was Girl Scouts Samoas cookies
    "jollof rice",  # was plain white rice (a pinned word, the unknown one dropped)
    "avocado on toast",  # was an avocado
    "sausage rolls",  # was honey roll sausage
    "a pork pie",  # was ground pork
    "tikka masala",  # was a tikka masala pizza
    "a burrito bowl",  # was a burrito
    "carrot cake",  # was a carrot cake dry mix
    "milkshake",  # was the dry milkshake mix
]


@pytest.mark.parametrize("said", NOT_IN_TABLE)
def test_a_food_the_table_lacks_matches_nothing(said: str) -> None:
    database = default_database()
    food = split_amount(said)[1]
    assert database.search(food, limit=1), "the loose search finds something (what writes did)"
    match = match_for_write(database, food)
    assert match.food is None and not match.candidates, match


# (said, how the entry a write must log begins): brands, other names, typos, parts of a food.
FOUND = [
    ("weetbix", "Cereals ready-to-eat, WEETABIX"),  # near the product's own name
    ("bowl of cornflakes", "Cereals ready-to-eat, KELLOGG, KELLOGG'S Corn Flakes"),  # 1 word
    ("snickers", "Candies, MARS SNACKFOOD US, SNICKERS Bar"),  # a brand inside a group
    ("big mac", "McDONALD'S, BIG MAC"),
    ("cheddar", "Cheese, cheddar"),  # the group word need not be said
    ("kimchi", "Cabbage, kimchi"),  # a kind that leads no entry of its own
    ("chicken thighs", "Chicken, broilers or fryers, thigh"),  # a part of the leading food
    ("milk chocolate", "Candies, milk chocolate"),  # a sweet, not "Milk, chocolate"
    ("chocolate milk", "Milk, chocolate"),  # a milk
    ("the aubergine", "Eggplant, raw"),  # another name (REGIONAL)
    ("brocolli", "Broccoli"),  # misspelt
    ("pistachios", "Nuts, pistachio nuts"),  # the group's own word repeated in the kind
    ("a couple of tacos", "Fast foods, taco with"),  # not a brand's "Soft Taco" tortilla
    ("olives", "Olives,"),  # not "Oil, olive": an oil is a food, not a group
    ("a cup of tomato soup", "Soup, tomato"),
    ("an espresso", "Beverages, coffee, brewed, espresso"),  # one unsaid kind in between
]


def test_a_maker_s_name_accounts_for_no_word() -> None:
    match = match_for_write(default_database(), "mars bar")
    assert match.food is None or "COCOAVIA" not in match.food.name, match


@pytest.mark.parametrize(("said", "name"), FOUND)
def test_a_food_the_table_has_is_logged_as_itself(said: str, name: str) -> None:
    match = match_for_write(default_database(), split_amount(said)[1])
    assert match.food is not None, match
    assert match.food.name.startswith(name), match.food.name


def test_a_measure_that_is_a_food_too_is_part_of_the_name() -> None:
    assert split_amount("an egg roll") == ("an", "egg roll")
    assert split_amount("two pizza bagels") == ("two", "pizza bagels")
    assert split_amount("a slice of pizza") == ("a slice of", "pizza")
    assert split_amount("two eggs") == ("two", "eggs")


def test_a_word_that_leads_its_own_foods_is_not_another_food_s_flavour() -> None:
    database = default_database()
    pear = match_for_write(database, "pears")
    assert pear.food is not None and pear.food.name.startswith("Pears")
    cherry_pie = match_for_write(database, "cherry pie")
    assert cherry_pie.food is not None and cherry_pie.food.name.startswith("Pie, cherry")


def test_a_measure_or_filler_does_not_change_the_food() -> None:
    database = default_database()
    plain = match_for_write(database, "granola").food
    assert plain is not None
    for said in ("a big bowl of granola", "some granola", "a handful of granola"):
        food = split_amount(said)[1]
        found = match_for_write(database, food).food
        assert found is not None and found.ndb_no == plain.ndb_no, said


def test_two_foods_that_fit_about_equally_make_a_question() -> None:
    match = match_for_write(default_database(), "custard")
    assert match.food is None and match.ambiguous
    names = [c.name for c in match.candidates]
    assert len(set(names)) == 2 and all("custard" in n.lower() for n in names)


def test_the_food_name_table_has_no_wrong_write() -> None:
    database = default_database()
    results = [(row.said, outcome(row, "write", database)) for row in load(TABLE)]
    wrong = [(said, what) for said, (result, what) in results if result == "wrong"]
    assert wrong == []
    right = sum(1 for _, (result, _) in results if result == "right")
    assert right >= 0.9 * len(results)


def test_an_unknown_food_is_not_logged_and_the_reply_says_so(registry: ToolRegistry) -> None:
    before = call(registry, "daily_summary")
    answer = call(registry, "unplanned_food", food="a nanaimo bar")
    assert answer["logged"] is False and answer["candidates"] == []
    assert answer["summary"] == ("I don't have nanaimo bar in my food table, so I haven't "
                                 "logged it. Tell me what's in it and I'll log that.")
    after = call(registry, "daily_summary")
    assert after["log"] == [] and after["meals"] == before["meals"]
    assert after["consumed"] == before["consumed"]


def test_an_ambiguous_food_asks_which_and_writes_nothing(registry: ToolRegistry) -> None:
    answer = call(registry, "unplanned_food", food="a bowl of custard")
    assert answer["logged"] is False and len(answer["candidates"]) == 2
    first, second = (spoken_entry_of(c) for c in answer["candidates"])
    assert answer["summary"] == f"Did you mean {first} or {second}?"
    assert call(registry, "daily_summary")["log"] == []


def spoken_entry_of(food: dict[str, Any]) -> str:
    return spoken_entry(FoodMatch.model_validate(food))


def test_a_known_food_is_still_logged(registry: ToolRegistry) -> None:
    answer = call(registry, "unplanned_food", food="two weetbix")
    assert answer["food"]["ndb_no"] == "42237"
    assert answer["amount"]["quantity"] == 2
    log = call(registry, "daily_summary")["log"]
    assert [entry["label"] for entry in log] == [answer["food"]["name"]]


def test_a_stand_in_names_the_entry_it_was_counted_as(registry: ToolRegistry) -> None:
    answer = call(registry, "unplanned_food", food="a flat white")
    assert answer["food"]["ndb_no"] == "01079"
    assert answer["summary"].endswith(" I counted flat white as milk, reduced fat.")


def test_a_swap_to_an_unknown_food_is_refused(registry: ToolRegistry) -> None:
    answer = call(registry, "substitute_food", original="pasta", replacement="jollof rice")
    assert answer["logged"] is False
    assert answer["summary"].startswith("I don't have jollof rice in my food table")


def test_a_lookup_says_which_entry_it_answers_about(registry: ToolRegistry) -> None:
    answer = call(registry, "lookup_food", food="a nanaimo bar")
    assert answer["food"]["name"] == "Milk and cereal bar"
    assert answer["summary"].startswith(
        "I don't have nanaimo bar as such; the nearest I have is milk and cereal bar.")
    plain = call(registry, "lookup_food", food="a banana")
    assert not plain["summary"].startswith("I don't have")


def test_spoken_entry_names_the_food_not_the_group() -> None:
    database = default_database()
    assert spoken_entry(database.get("19155")) == "snickers bar"
    assert spoken_entry(database.get("21237")) == "Big Mac"
    assert spoken_entry(database.get("14148")) == "cola"
    assert spoken_entry(database.get("01079")) == "milk, reduced fat"


def test_told_calories_log_a_food_the_table_lacks(tmp_path: Path) -> None:
    service = NutritionService(tmp_path / "days.sqlite3", today=lambda: DAY)
    answer = service.unplanned_food("sam", "a nanaimo bar", calories=250)
    assert isinstance(answer, UnplannedFoodResult)
    assert answer.food.name == "nanaimo bar" and answer.food.ndb_no == ""
    assert answer.macros == Macros(kcal=250.0)
    assert answer.summary.startswith("Logged nanaimo bar, 250 kcal.")
    assert "only its energy" in answer.summary
    day = service.daily_summary("sam")
    assert day.consumed.kcal == 250.0 and day.log[0].detail == "energy as told"


def test_told_calories_keep_a_known_food_s_mix(tmp_path: Path) -> None:
    service = NutritionService(tmp_path / "days.sqlite3", today=lambda: DAY)
    answer = service.unplanned_food("sam", "a banana", calories=178)
    assert isinstance(answer, UnplannedFoodResult)
    assert answer.food.ndb_no == "09040"  # 89 kcal per 100 g: 200 g
    assert answer.amount.grams == pytest.approx(200.0)
    assert answer.macros.kcal == 178.0
    assert answer.macros.carbs_g == pytest.approx(2 * 22.84, abs=0.05)


@pytest.mark.parametrize("calories", [0.0, -40.0, 9000.0, float("nan")])
def test_told_calories_out_of_range_are_refused(tmp_path: Path, calories: float) -> None:
    service = NutritionService(tmp_path / "days.sqlite3", today=lambda: DAY)
    with pytest.raises(NutritionError, match="not an energy I can log"):
        service.unplanned_food("sam", "rice", calories=calories)
    assert service.daily_summary("sam").log == []
