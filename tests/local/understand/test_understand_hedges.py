"""Hedges, estimates, restatements and framing numbers: how people soften what they say.

Each group is a way of talking that used to lose or twist the request:

- a lone "maybe" or "perhaps" that softens a request ("could you maybe ...") or a value ("forty
  minutes, maybe") made the whole request a thought;
- an announced question ("quick question, ...") was read as part of the question;
- "I'd rate it a six" was read as a conditional;
- a restatement after "actually" or "more like" made a second call instead of replacing the
  first value, and "actually ... too" must still add;
- the bounds of a scale ("one to ten") and the start of a change ("from 2200 to 1900") were
  taken for the value;
- chores said in the past tense ("I vacuumed") were no activity.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
from call_checks import Call, check
from pydantic import Field

from voicelive import tool
from voicelive.backends.local.understand import Understander
from voicelive.backends.local.understand.catalog import _ability
from voicelive.nutrition import toolkit


@tool
def rate_fullness(level: Annotated[int, Field(ge=1, le=10)]) -> dict[str, str]:
    """Record how full the person feels after eating.

    Args:
        level: Fullness from 1 (still hungry) to 10 (stuffed).
    """
    return {"summary": f"Fullness {level} noted."}


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    db = Path(tmp_path_factory.mktemp("h")) / "d.sqlite3"
    return Understander([*toolkit(db_path=db), rate_fullness])


HEDGED: list[tuple[str, list[Call]]] = [
    # softened requests and values
    ("would you maybe log a twenty minute bike ride for me",
     [("log_activity", {"activity": "cycling", "minutes": 20})]),
    ("can you perhaps add a pear to my snacks", [("unplanned_food", {"food": "pear"})]),
    ("I cycled to work, forty minutes maybe",
     [("log_activity", {"activity": "cycl", "minutes": 40})]),
    ("did yoga for an hour, perhaps", [("log_activity", {"activity": "yoga", "minutes": 60})]),
    # announced questions
    ("quick question, how much fibre is in a pear", [("lookup_food", {"food": "pear"})]),
    ("random question for you, how's my day looking", [("daily_summary", {})]),
    ("okay one quick question: what have I got left for today?", [("daily_summary", {})]),
    ("just tell me where I stand for the day", [("daily_summary", {})]),
    # estimates of what is
    ("I'd rate my fullness about a six", [("rate_fullness", {"level": 6})]),
    ("honestly I would rate it a four, I'm still peckish", [("rate_fullness", {"level": 4})]),
    ("I swam, I'd say, about half an hour",
     [("log_activity", {"activity": "swim", "minutes": 30})]),
    # a number said twice in a row, the unit after the second: one value, not two
    ("make my goal 1000 850 calories with 140 grams of protein",
     [("set_targets", {"kcal": 1850, "protein_g": 140})]),
    ("set my target to 2000 1800 calories", [("set_targets", {"kcal": 1800})]),
    ("I walked 20 30 minutes this morning",
     [("log_activity", {"activity": "walk", "minutes": 30})]),
    # restated values replace the first one; "too" adds
    ("I biked for twenty minutes, actually it was more like twenty five",
     [("log_activity", {"activity": "cycling", "minutes": 25})]),
    ("jogged for forty minutes, well, more like forty five",
     [("log_activity", {"activity": "jog", "minutes": 45})]),
    ("I walked thirty minutes, or actually it was closer to thirty five",
     [("log_activity", {"activity": "walk", "minutes": 35})]),
    ("I skipped breakfast, actually I skipped lunch too",
     [("missed_meal", {"meal": "breakfast"}), ("missed_meal", {"meal": "lunch"})]),
    # framing numbers
    ("on a scale of one to ten my fullness is an eight", [("rate_fullness", {"level": 8})]),
    ("fullness is a three out of ten right now", [("rate_fullness", {"level": 3})]),
    ("change my calorie goal from 2200 to 1900", [("set_targets", {"kcal": 1900})]),
    ("could you move my calories from 1600 up to 1750", [("set_targets", {"kcal": 1750})]),
    # chores in the past tense
    ("I vacuumed the whole flat for half an hour",
     [("log_activity", {"activity": "vacuum", "minutes": 30})]),
    ("raked leaves in the yard for an hour and a quarter",
     [("log_activity", {"activity": "rak", "minutes": 75})]),
    ("shovelled snow off the drive for twenty minutes",
     [("log_activity", {"activity": "snow", "minutes": 20})]),
]


@pytest.mark.parametrize(("text", "want"), HEDGED, ids=[t for t, _ in HEDGED])
def test_hedged_requests_keep_their_call(coach: Understander, text: str,
                                         want: list[Call]) -> None:
    check(coach.understand([text]), want)


STILL_THOUGHTS = [
    "maybe I'll skip dinner tonight",
    "maybe skip lunch?",
    "I'd say skip the snack",
    "I would skip breakfast if I could",
    "perhaps I should log a run later",
]


@pytest.mark.parametrize("text", STILL_THOUGHTS)
def test_thoughts_still_write_nothing(coach: Understander, text: str) -> None:
    result = coach.understand([text])
    assert not [c for c in result.calls if c.tool != "lookup_food"], (text, result.calls)


def test_a_scale_or_a_starting_value_is_never_the_value(coach: Understander) -> None:
    for text in ("on a scale of one to ten my fullness is an eight",
                 "change my calorie goal from 2200 to 1900"):
        (call,) = coach.understand([text]).calls
        assert not {1, 10, 2200} & {v for v in call.args.values() if isinstance(v, int | float)}


def test_abilities_are_said_to_the_person_in_the_second_person() -> None:
    assert _ability("Record how full the person feels after eating.", "rate_fullness") == (
        "record how full you feel after eating")


PORTIONS: list[tuple[str, list[Call]]] = [
    # a bare portion stands for the thing named before it
    ("my flatmate cooked a curry and I had a big bowl",
     [("unplanned_food", {"food": "curry", "amount": "bowl"})]),
    ("grandma baked an apple pie so obviously I had a slice",
     [("unplanned_food", {"food": "apple pie", "amount": "slice"})]),
    ("there was watermelon at the picnic and I ate a couple of pieces",
     [("unplanned_food", {"food": "watermelon"})]),
    # a size before the measure stays in the amount
    ("I had a little cup of yogurt", [("unplanned_food", {"food": "yogurt",
                                                          "amount": "little cup"})]),
]


@pytest.mark.parametrize(("text", "want"), PORTIONS, ids=[t for t, _ in PORTIONS])
def test_a_bare_portion_is_of_the_thing_named_before(coach: Understander, text: str,
                                                     want: list[Call]) -> None:
    check(coach.understand([text]), want)


def test_a_portion_of_nothing_named_is_asked_about_not_logged(coach: Understander) -> None:
    result = coach.understand(["I had a slice"])
    assert not result.calls and result.reply


RESTATED: list[tuple[str, list[Call]]] = [
    # the recogniser's full stop before a correction is a pause
    ("Put my goal at 2100. No, 2000 calories.", [("set_targets", {"kcal": 2000})]),
    ("I missed dinner. No, lunch.", [("missed_meal", {"meal": "lunch"})]),
    ("I ate dinner. No, I ate lunch too.",
     [("ate_meal", {"meal": "dinner"}), ("ate_meal", {"meal": "lunch"})]),
    # "so" before a value of the same unit sums up what was said
    ("I cycled 20 minutes there and 20 back, so 40 minutes altogether",
     [("log_activity", {"activity": "cycl", "minutes": 40})]),
    # a corrected count keeps the thing it counts
    ("I had three pancakes, no, four", [("unplanned_food", {"food": "pancake",
                                                            "amount": "4"})]),
    ("I ate 2 bowls of cereal, no wait, 3",
     [("unplanned_food", {"food": "cereal", "amount": "3 bowls"})]),
    ("I drank 2 glasses of milk, sorry, 3 glasses",
     [("unplanned_food", {"food": "milk", "amount": "3 glasses"})]),
    # a stray "one" is no body weight; a class is what the sentence before says it is
    ("I went spinning, it was one of those 50 minute sessions",
     [("log_activity", {"activity": "spinning", "minutes": 50})]),
    ("Pilates this morning. It was one of those 55 minute classes.",
     [("log_activity", {"activity": "pilates", "minutes": 55})]),
]


@pytest.mark.parametrize(("text", "want"), RESTATED, ids=[t for t, _ in RESTATED])
def test_restated_and_framed_values(coach: Understander, text: str, want: list[Call]) -> None:
    result = coach.understand([text])
    check(result, want)
    assert all(c.args.get("weight_kg") is None for c in result.calls), result.calls


@pytest.mark.parametrize("text", ["I had almost grabbed a muffin but I put it back",
                                  "I very nearly ordered a milkshake"])
def test_almost_is_not_done(coach: Understander, text: str) -> None:
    assert not coach.understand([text]).calls


@pytest.mark.parametrize(("text", "food"), [
    ("I had three slices of toast with jam", "toast"),
    ("I ate a bowl of porridge with honey", "porridge"),
    ("I had a mug of coffee without sugar", "coffee"),
])
def test_what_comes_with_a_food_is_not_the_food(coach: Understander, text: str,
                                                food: str) -> None:
    check(coach.understand([text]), [("unplanned_food", {"food": food})])


def test_a_follow_up_never_swaps_a_food_for_itself(coach: Understander) -> None:
    first = coach.understand(["I had a wrap for lunch"])
    then = coach.understand(["what about dinner?"], first.state)
    assert all(c.tool != "substitute_food" for c in then.calls), then.calls


@pytest.mark.parametrize("text", ["I swapped my usual banana for a kiwi",
                                  "swapped my afternoon banana for a kiwi"])
def test_a_word_describing_a_food_does_not_block_the_request(coach: Understander,
                                                             text: str) -> None:
    check(coach.understand([text]),
          [("substitute_food", {"original": "banana", "replacement": "kiwi"})])


LATE: list[tuple[str, list[Call]]] = [
    # politeness around a request is no conditional
    ("I'd be grateful if you could log half an hour of pilates",
     [("log_activity", {"activity": "pilates", "minutes": 30})]),
    ("would you mind logging a yogurt for me", [("unplanned_food", {"food": "yogurt"})]),
    # "hang on" corrects like "no wait"
    ("I did a bike ride, hang on, it was more like a walk, for twenty minutes",
     [("log_activity", {"activity": "walk", "minutes": 20})]),
    # the occasion is not the activity
    ("I did strength training for 40 minutes",
     [("log_activity", {"activity": "strength training", "minutes": 40})]),
    ("an hour and a half of football practice after school",
     [("log_activity", {"activity": "football", "minutes": 90})]),
    # "put down" and "jot down" log
    ("put down a pear for me", [("unplanned_food", {"food": "pear"})]),
    ("jot down a 25 minute swim", [("log_activity", {"activity": "swim", "minutes": 25})]),
    # an amount between "swap for" and the food does not hide which food is replaced
    ("would half a cup of lentils be a fair swap for half a cup of rice at dinner",
     [("substitute_food", {"original": "rice", "replacement": "lentils", "meal": "dinner"})]),
    # a food no list knows, named as had, goes to the log as said
    ("I had a bao bun at lunch, not on the plan", [("unplanned_food", {"food": "bao bun"})]),
    ("ate like two jaffa cakes earlier", [("unplanned_food", {"food": "jaffa cake"})]),
]


@pytest.mark.parametrize(("text", "want"), LATE, ids=[t for t, _ in LATE])
def test_politeness_occasions_and_names_off_the_list(coach: Understander, text: str,
                                                     want: list[Call]) -> None:
    check(coach.understand([text]), want)


def test_the_activity_table_reads_the_sport_not_the_occasion() -> None:
    from voicelive.nutrition.activities import default_activities

    table = default_activities()
    assert "rugby" in table.match("rugby training").description
    assert "tennis" in table.match("a tennis lesson").description
    assert "resistance" in table.match("strength training").description


def test_someone_made_it_so_i_had_some(tmp_path: Path) -> None:
    """ "... so I had one": the eating is mine, and "one" is one of the things named."""
    plain = Understander(toolkit(db_path=tmp_path / "d.sqlite3"))
    check(plain.understand(["my brother baked muffins so I had one"]),
          [("unplanned_food", {"food": "muffin", "amount": "1"})])


def test_a_question_of_its_own_after_a_lookup_is_not_the_lookup_again(
        coach: Understander) -> None:
    # "what about a pain au chocolat?" asks the lookup again; "and how am I going for the
    # day?" is a question of its own, whose words are no food
    check(coach.understand(
        ["How many calories in a blueberry muffin. And how am I going for the day?"]),
        [("lookup_food", {"food": "blueberry muffin"}), ("daily_summary", {})])
    first = coach.understand(["how much protein is in tofu"])
    check(first, [("lookup_food", {"food": "tofu"})])
    check(coach.understand(["um, what about some tempeh?"], first.state),
          [("lookup_food", {"food": "tempeh"})])
