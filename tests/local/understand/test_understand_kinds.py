"""Kinds of phrasing the outside sets still missed, each said several ways (text only).

Written before the fixes, in new words: a brand after a word that colours it, someone else's
advice made the user's request, errands no tool runs, a log asked for without the food,
numbers as people say them, a reading named by its everyday word, an activity with its
occasion, "put down"/"jot down", and bare counts that belong to no custom tool.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pytest
from call_checks import check
from call_checks import talk as _talk
from pydantic import Field

from voicelive.backends.local.understand import Understander
from voicelive.tools import tool

Call = tuple[str, dict[str, Any]]


@tool
def log_glucose(mg_dl: Annotated[int, Field(gt=20, le=600)]) -> str:
    """Record a blood glucose (blood sugar) reading from a finger-prick meter.

    Args:
        mg_dl: The reading in milligrams per decilitre, e.g. 105.
    """
    return str(mg_dl)


@tool
def log_ketones(mmol_l: Annotated[float, Field(gt=0, le=10)]) -> str:
    """Record a blood ketone level from a ketone meter.

    Args:
        mmol_l: The level in mmol/L, e.g. 1.2.
    """
    return str(mmol_l)


@tool
def rate_energy(level: Annotated[int, Field(ge=1, le=10)]) -> str:
    """Record how energetic the person feels, on a scale from 1 to 10.

    Args:
        level: Energy rating, 1 exhausted, 10 full of beans.
    """
    return str(level)


@tool
def log_caffeine(mg: Annotated[int, Field(gt=0, le=2000)]) -> str:
    """Log caffeine the person had, in milligrams.

    Args:
        mg: Milligrams of caffeine, e.g. 95 for a mug of coffee.
    """
    return str(mg)


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    path = Path(tmp_path_factory.mktemp("kinds")) / "d.sqlite3"
    return Understander([*toolkit(db_path=path), log_glucose, log_ketones, rate_energy,
                         log_caffeine])


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("plain")) / "d.sqlite3"))



COLOURED: list[tuple[str, Call]] = [
    ("I had a cheeky Kit Kat on the bus", ("unplanned_food", {"food": "kit kat"})),
    ("I had a sneaky Tim Tam after dinner", ("unplanned_food", {"food": "tim tam"})),
    ("had a naughty Mars bar at my desk", ("unplanned_food", {"food": "mars bar"})),
    ("I ate a crafty Twix while nobody was looking", ("unplanned_food", {"food": "twix"})),
    ("So I had a sneaky Crunchie with my coffee", ("unplanned_food", {"food": "crunchie"})),
    ("I grabbed a cheeky sausage roll from Greggs", ("unplanned_food", {"food": "sausage roll"})),
]


@pytest.mark.parametrize(("text", "want"), COLOURED, ids=[t for t, _ in COLOURED])
def test_a_food_after_a_word_that_colours_it_is_logged_as_said(
        coach: Understander, text: str, want: Call) -> None:
    result = coach.understand(text)
    check(result, [want])
    assert not any(w in str(result.calls[0].args["food"]) for w in (
        "cheeky", "sneaky", "naughty", "crafty")), result.calls


@pytest.mark.xfail(reason="a name no list knows, with no verb of its own, is not taken as had "
                          "from the turn before", strict=True)
def test_a_coloured_food_added_to_the_turn_before_is_logged(coach: Understander) -> None:
    check(_talk(coach, ["I had my lunch as planned", "oh and a sneaky Tim Tam after"]),
          [("ate_meal", {"meal": "lunch"}), ("unplanned_food", {"food": "tim tam"})])


ADOPTED: list[tuple[str, Call]] = [
    ("My coach wants me on 3,200 calories, can you set that?", ("set_targets", {"kcal": 3200})),
    ("My doctor said 1,800 a day, put that in for me", ("set_targets", {"kcal": 1800})),
    ("the dietitian reckons 1,650 is right for me, so update my target",
     ("set_targets", {"kcal": 1650})),
    ("My personal trainer wants me eating two thousand two hundred, can you change my goal",
     ("set_targets", {"kcal": 2200})),
]


@pytest.mark.parametrize(("text", "want"), ADOPTED, ids=[t for t, _ in ADOPTED])
def test_someone_elses_advice_asked_for_is_the_users_goal(
        coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


@pytest.mark.parametrize("text", [
    "my husband had a meat pie",
    "my wife set her calorie target to 1500",
    "my mate wants me to set my calories to 2500",
    "my daughter had two pancakes and a juice",
])
def test_someone_elses_doing_writes_nothing(coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert not [c for c in result.calls if c.writes], result.calls


@pytest.mark.parametrize("text", [
    "Book a table for four at the curry house",
    "Can you book us a table at the Italian place for Saturday night?",
    "order me a large pepperoni pizza",
    "could you reserve a table at the pub for seven",
    "get me a Chinese takeaway delivered, would you",
])
def test_an_errand_is_no_lookup_and_gets_a_short_reply(coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert result.calls == (), result.calls
    assert 0 < len(result.reply) <= 90, result.reply


LOG_WITHOUT_FOOD: list[tuple[list[str], list[Call]]] = [
    (["Can I log some food?", "Two crumpets with butter."],
     [("unplanned_food", {"food": "crumpet", "amount": "2"})]),
    (["I'd like to add some food", "a bowl of porridge"],
     [("unplanned_food", {"food": "porridge", "amount": "bowl"})]),
    (["could you log a food for me please", "a banana"], [("unplanned_food", {"food": "banana"})]),
    (["I want to add something I ate", "a flapjack"], [("unplanned_food", {"food": "flapjack"})]),
]


@pytest.mark.parametrize(("turns", "want"), LOG_WITHOUT_FOOD,
                         ids=[t[0] for t, _ in LOG_WITHOUT_FOOD])
def test_a_log_asked_for_without_the_food_asks_what_it_was(
        coach: Understander, turns: list[str], want: list[Call]) -> None:
    first = coach.understand(turns[0])
    assert first.calls == () and first.kind == "question", (first.calls, first.reply)
    check(_talk(coach, turns), want)


NUMBERS: list[tuple[str, Call]] = [
    ("my ketones were nought point eight", ("log_ketones", {"mmol_l": 0.8})),
    ("ketone reading one point four this morning", ("log_ketones", {"mmol_l": 1.4})),
    ("I checked my sugar and it was one sixty", ("log_glucose", {"mg_dl": 160})),
    ("blood sugar's one oh five", ("log_glucose", {"mg_dl": 105})),
    ("glucose was a hundred and twenty after lunch", ("log_glucose", {"mg_dl": 120})),
    ("set my calories to twelve hundred", ("set_targets", {"kcal": 1200})),
    ("I'd like my target at fifteen fifty calories", ("set_targets", {"kcal": 1550})),
    ("I walked for an hour and a half", ("log_activity", {"minutes": 90})),
    ("I had two and a half slices of toast", ("unplanned_food", {"food": "toast"})),
    ("I ate a couple of digestives", ("unplanned_food", {"food": "digestive", "amount": "2"})),
    ("I had half a dozen prawns", ("unplanned_food", {"food": "prawns", "amount": "6"})),
    ("I had about a hundred and fifty milligrams of caffeine", ("log_caffeine", {"mg": 150})),
]


@pytest.mark.parametrize(("text", "want"), NUMBERS, ids=[t for t, _ in NUMBERS])
def test_numbers_as_people_say_them(coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


ACTIVITIES: list[tuple[str, Call]] = [
    ("I had rugby training for an hour", ("log_activity", {"activity": "rugby", "minutes": 60})),
    ("footy practice tonight, about ninety minutes",
     ("log_activity", {"activity": "footy", "minutes": 90})),
    ("did a spin class for forty five minutes",
     ("log_activity", {"activity": "spin", "minutes": 45})),
    ("I had hockey practice for two hours",
     ("log_activity", {"activity": "hockey", "minutes": 120})),
    ("I played cricket for three hours", ("log_activity", {"activity": "cricket", "minutes": 180})),
    ("an hour of hurling training", ("log_activity", {"activity": "hurling", "minutes": 60})),
    ("I went to netball training for an hour",
     ("log_activity", {"activity": "netball", "minutes": 60})),
]


@pytest.mark.parametrize(("text", "want"), ACTIVITIES, ids=[t for t, _ in ACTIVITIES])
def test_an_activity_with_its_occasion_is_logged(plain: Understander, text: str,
                                                 want: Call) -> None:
    check(plain.understand(text), [want])


PUT_DOWN: list[tuple[str, Call]] = [
    ("Put down a glass of orange juice for me, would you?",
     ("unplanned_food", {"food": "orange juice", "amount": "glass"})),
    ("jot down a cup of tea", ("unplanned_food", {"food": "tea", "amount": "cup"})),
    ("can you write down two slices of toast", ("unplanned_food", {"food": "toast"})),
    ("put down a banana, will you", ("unplanned_food", {"food": "banana"})),
]


@pytest.mark.parametrize(("text", "want"), PUT_DOWN, ids=[t for t, _ in PUT_DOWN])
def test_put_down_logs_with_the_amount(plain: Understander, text: str, want: Call) -> None:
    check(plain.understand(text), [want])


COUNTS: list[tuple[str, list[Call]]] = [
    ("my brother baked muffins so I had one", [("unplanned_food", {"food": "muffin"})]),
    ("my nan made scones and I had two", [("unplanned_food", {"food": "scone"})]),
    ("there were doughnuts at work and I had one", [("unplanned_food", {"food": "doughnut"})]),
    ("my energy's about a seven today", [("rate_energy", {"level": 7})]),
    ("I'd give my energy a three, I'm wrecked", [("rate_energy", {"level": 3})]),
]


@pytest.mark.parametrize(("text", "want"), COUNTS, ids=[t for t, _ in COUNTS])
def test_a_bare_count_binds_to_the_tool_whose_cue_it_sits_next_to(
        coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand(text), want)


@pytest.mark.parametrize("text", ["I had two", "I had one", "and then I had three"])
def test_a_bare_count_alone_is_no_rating_nor_caffeine(coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert not any(c.tool in ("rate_energy", "log_caffeine", "log_glucose", "log_ketones")
                   for c in result.calls), result.calls


ASIDES: list[tuple[list[str], list[Call]]] = [
    (["I ate a Curly Wurly while nobody was looking"], [("unplanned_food", {"food": "curly"})]),
    (["I had a bacon roll because I was starving"], [("unplanned_food", {"food": "bacon roll"})]),
    (["So I had a, what's it called, a bao bun at the market"],
     [("unplanned_food", {"food": "bao"})]),
    (["I skipped breakfast, and later I did thirty minutes on the rower"],
     [("missed_meal", {"meal": "breakfast"}), ("log_activity", {"minutes": 30})]),
    (["How many calories in a crumpet?", "What about a pikelet?"],
     [("lookup_food", {"food": "crumpet"}), ("lookup_food", {"food": "pikelet"})]),
    (["What's in a cappuccino? Oh, and log a croissant too."],
     [("lookup_food", {"food": "cappuccino"}), ("unplanned_food", {"food": "croissant"})]),
]


@pytest.mark.parametrize(("turns", "want"), ASIDES, ids=[t[0] for t, _ in ASIDES])
def test_asides_and_follow_ons_keep_the_request(plain: Understander, turns: list[str],
                                                want: list[Call]) -> None:
    check(_talk(plain, turns), want)


@pytest.mark.parametrize("text", [
    "Find me a decent burger place near the station",
    "what's the best curry house in town?",
    "is there a good sushi restaurant round here",
])
def test_a_place_named_after_a_food_is_no_food(plain: Understander, text: str) -> None:
    result = plain.understand(text)
    assert result.calls == (), result.calls


@pytest.mark.parametrize(("text", "food"), [
    ("I had a bowl of Weetabix with semi skimmed milk", "weetabix"),
    ("had a Tim Tam with a cuppa", "tim tam"),
    ("I had porridge with semi skimmed milk", "porridge"),
])
def test_what_came_with_a_food_is_not_the_food(plain: Understander, text: str,
                                               food: str) -> None:
    check(plain.understand(text), [("unplanned_food", {"food": food})])


@pytest.mark.parametrize(("turns", "want"), [
    (["What's in a mug of hot chocolate?", "And the same amount of tea?"],
     [("lookup_food", {"food": "hot chocolate", "amount": "mug"}),
      ("lookup_food", {"food": "tea", "amount": "mug"})]),
    (["How many calories in a slice of carrot cake?", "Go on then, I had one."],
     [("lookup_food", {"food": "carrot cake", "amount": "slice"}),
      ("unplanned_food", {"food": "carrot cake", "amount": "slice"})]),
])
def test_a_follow_up_keeps_the_measure_said_before(plain: Understander, turns: list[str],
                                                   want: list[Call]) -> None:
    check(_talk(plain, turns), want)


@pytest.mark.parametrize(("text", "want"), [
    ("did an hour's walk with the dog", ("log_activity", {"activity": "walk", "minutes": 60})),
    ("went for a swim, about thirty lengths, took forty minutes",
     ("log_activity", {"activity": "swim", "minutes": 40})),
    ("set my fat target to 55 grams and calories to 1700",
     ("set_targets", {"kcal": 1700, "fat_g": 55})),
])
def test_counts_durations_and_labels_go_where_they_are_said(
        plain: Understander, text: str, want: Call) -> None:
    result = plain.understand(text)
    check(result, [want])
    assert result.calls[0].args.get("weight_kg") in (None, ""), result.calls


@pytest.mark.parametrize(("text", "food"), [
    ("I had a samosa for lunch", "samosa"),
    ("I had a toastie for lunch", "toastie"),
    pytest.param("had a toastie for my tea", "toastie", marks=pytest.mark.xfail(
        reason="'my tea' is both the meal and a food: the meal's call wins", strict=True)),
])
def test_a_thing_named_as_had_for_a_meal_is_the_food(plain: Understander, text: str,
                                                     food: str) -> None:
    check(plain.understand(text), [("unplanned_food", {"food": food})])


@pytest.mark.parametrize(("text", "want"), [
    ("swap the naan for a roti", {"original": "naan", "replacement": "roti"}),
    pytest.param("could I swap the paneer for tofu at dinner",
                 {"original": "paneer", "replacement": "tofu"}, marks=pytest.mark.xfail(
                     reason="one side known, the other not: the known one takes the wrong role",
                     strict=True)),
    pytest.param("could I swap the couscous for bulgur wheat at lunch",
                 {"original": "couscous", "replacement": "bulgur"}, marks=pytest.mark.xfail(
                     reason="a food whose last word the list knows ('wheat') is taken as that "
                            "word", strict=True)),
])
def test_both_sides_of_a_swap_no_list_knows(plain: Understander, text: str,
                                            want: dict[str, Any]) -> None:
    check(plain.understand(text), [("substitute_food", want)])
