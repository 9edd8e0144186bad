"""Round 5: mechanisms behind misses of the development sets, each said in new words (text only).

A decided future with a plan change asked for, a thing to log that no list knows, the answer
to "Which food?" that no list knows, the amount asked after a swap, the plan's food named by
"supposed to have", an estimate said after its value, and a place that is no log.
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
def log_glucose(mmol_l: Annotated[float, Field(gt=0, le=40)]) -> str:
    """Record a blood glucose (blood sugar) reading from a meter.

    Args:
        mmol_l: The reading in mmol/L, e.g. 6.1.
    """
    return str(mmol_l)


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    path = Path(tmp_path_factory.mktemp("round5")) / "d.sqlite3"
    return Understander([*toolkit(db_path=path), log_glucose])



DECIDED: list[tuple[str, Call]] = [
    ("I won't get to have breakfast this morning, so adjust my plan",
     ("missed_meal", {"meal": "breakfast"})),
    ("I'm not gonna have dinner tonight, we're out late, can you fix my plan?",
     ("missed_meal", {"meal": "dinner"})),
    ("I won't be eating lunch today so take it out of the plan please",
     ("missed_meal", {"meal": "lunch"})),
]


@pytest.mark.parametrize(("text", "want"), DECIDED, ids=[t for t, _ in DECIDED])
def test_a_decided_future_with_a_plan_change_asked_for_is_written(
        coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


@pytest.mark.parametrize("text", [
    "should I skip dinner? maybe adjust my plan",
    "I might not have lunch today, what would that do to my plan?",
    "I'm thinking about skipping lunch, can you change my plan?",
    "I'm not going to skip lunch today",
    "I won't have lunch tomorrow",
])
def test_a_thought_or_a_doubt_with_a_plan_word_writes_nothing(
        coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert not any(c.writes for c in result.calls), (text, result.calls)


LOGGED: list[tuple[str, Call]] = [
    ("log a Freddo", ("unplanned_food", {"food": "freddo"})),
    ("please log a Wagon Wheel for me", ("unplanned_food", {"food": "wagon wheel"})),
    ("record a Curly Wurly", ("unplanned_food", {"food": "curly wurly"})),
]


@pytest.mark.parametrize(("text", "want"), LOGGED, ids=[t for t, _ in LOGGED])
def test_a_thing_to_log_that_no_list_knows_is_logged_as_said(
        coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


@pytest.mark.parametrize("text", ["log a glucose reading", "log a timer"])
def test_a_thing_to_log_that_a_tools_words_know_is_no_food(
        coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert not any(c.tool == "unplanned_food" for c in result.calls), (text, result.calls)


ANSWERS: list[tuple[list[str], list[Call]]] = [
    (["I ate something off plan", "A Wagon Wheel."],
     [("unplanned_food", {"food": "wagon wheel"})]),
    (["I had a snack that wasn't planned", "um, just two Freddos"],
     [("unplanned_food", {"food": "freddo"})]),
    (["I ate something", "it was a Curly Wurly from the shop"],
     [("unplanned_food", {"food": "curly wurly"})]),
]


@pytest.mark.parametrize(("turns", "want"), ANSWERS, ids=[" | ".join(t) for t, _ in ANSWERS])
def test_the_answer_to_which_food_is_taken_as_said(
        coach: Understander, turns: list[str], want: list[Call]) -> None:
    check(_talk(coach, turns), want)


@pytest.mark.parametrize("answer", ["I don't know", "the weather is nice", "I forgot"])
def test_an_answer_that_names_nothing_logs_nothing(coach: Understander, answer: str) -> None:
    result = _talk(coach, ["I ate something", answer])
    assert not result.calls, (answer, result.calls)


SWAP_AMOUNT: list[tuple[str, Call]] = [
    ("swap the pasta for lentils at dinner, how much should I have?",
     ("substitute_food", {"original": "pasta", "replacement": "lentils"})),
    ("could I do brown rice instead of the couscous, how much of it would I need?",
     ("substitute_food", {"original": "couscous", "replacement": "brown rice"})),
]


@pytest.mark.parametrize(("text", "want"), SWAP_AMOUNT, ids=[t for t, _ in SWAP_AMOUNT])
def test_how_much_after_a_swap_is_the_swaps_own_answer(
        coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


def test_whats_left_after_a_swap_still_sums_up_the_day(coach: Understander) -> None:
    check(coach.understand("swap the pasta for lentils, how much do I have left for today?"),
          [("substitute_food", {"original": "pasta", "replacement": "lentils"}),
           ("daily_summary", {})])


PLANNED: list[tuple[str, Call]] = [
    ("I'm meant to have the tuna but all I've got is eggs, how much of those instead?",
     ("substitute_food", {"original": "tuna", "replacement": "eggs"})),
    ("I was going to have porridge, but I'll have toast instead",
     ("substitute_food", {"original": "porridge", "replacement": "toast"})),
    ("what if I had quinoa instead of the freekeh?",
     ("substitute_food", {"original": "freekeh", "replacement": "quinoa"})),
]


@pytest.mark.parametrize(("text", "want"), PLANNED, ids=[t for t, _ in PLANNED])
def test_the_plans_food_is_the_one_replaced(coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


@pytest.mark.parametrize(("text", "want"), [
    ("I did some weeding for, hmm, forty minutes I'd say.",
     ("log_activity", {"minutes": 40})),
    ("went for a swim, about half an hour I would say",
     ("log_activity", {"activity": "swim", "minutes": 30})),
])
def test_an_estimate_said_after_its_value_is_no_thought(
        coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


@pytest.mark.parametrize("text", [
    "Add bread and butter to my shopping list.",
    "put some yogurt in the basket",
    "add bananas and oats to my grocery list",
])
def test_a_place_that_is_no_log_writes_no_food(coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert not result.calls, (text, result.calls)


def test_adding_to_a_food_log_logs_each_food(coach: Understander) -> None:
    check(coach.understand("add milk and eggs to my food log"),
          [("unplanned_food", {"food": "milk"}), ("unplanned_food", {"food": "eggs"})])


@pytest.mark.parametrize(("turns", "want"), [
    (["I had a slice of toast", "and a coffee with milk too"],
     [("unplanned_food", {"food": "toast"}), ("unplanned_food", {"food": "coffee"})]),
    (["I had porridge with honey"], [("unplanned_food", {"food": "porridge"})]),
], ids=["coffee with milk too", "porridge with honey"])
def test_two_things_had_together_are_no_swap(
        coach: Understander, turns: list[str], want: list[Call]) -> None:
    check(_talk(coach, turns), want)


@pytest.mark.parametrize(("text", "want"), [
    ("could I have lentils rather than the rice?",
     ("substitute_food", {"original": "rice", "replacement": "lentils"})),
    ("substitute oat milk for the cream", ("substitute_food", {"original": "cream"})),
])
def test_a_swap_said_is_still_a_swap(coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


@pytest.mark.parametrize(("turns", "want"), [
    (["can you log something I ate earlier", "a Wagon Wheel"],
     [("unplanned_food", {"food": "wagon wheel"})]),
    (["I want to put in something I had at lunch", "a bowl of ramen"],
     [("unplanned_food", {"food": "ramen"})]),
], ids=["something I ate", "something I had at lunch"])
def test_something_had_but_not_named_is_asked_for(
        coach: Understander, turns: list[str], want: list[Call]) -> None:
    first = coach.understand(turns[0])
    assert not first.calls and first.state.pending is not None, (first.calls, first.reply)
    assert first.state.pending.missing == "food", first.state.pending
    check(_talk(coach, turns), want)


@tool
def log_drinks(drinks: Annotated[int, Field(gt=0, le=30)]) -> str:
    """Log alcoholic drinks the person had: beer, wine, cider, spirits.

    Args:
        drinks: How many drinks (a pint or a glass each count as one).
    """
    return str(drinks)


@pytest.fixture(scope="module")
def drinker(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    path = Path(tmp_path_factory.mktemp("drinks")) / "d.sqlite3"
    return Understander([*toolkit(db_path=path), log_drinks])


@pytest.mark.parametrize(("text", "want"), [
    ("had three glasses of white wine at the wedding", ("log_drinks", {"drinks": 3})),
    ("log two ciders from last night", ("log_drinks", {"drinks": 2})),
    ("I had a bagel", ("unplanned_food", {"food": "bagel"})),
    # a tool that takes the same kind of value is no such tool: the plan's meals
    ("I had my snack as planned", ("ate_meal", {"meal": "snacks"})),
    ("I didn't get a chance to eat my snack", ("missed_meal", {"meal": "snacks"})),
])
def test_a_tool_whose_words_name_the_thing_beats_the_food_log(
        drinker: Understander, text: str, want: Call) -> None:
    check(drinker.understand(text), [want])


def test_a_question_about_the_thing_is_still_a_lookup(drinker: Understander) -> None:
    check(drinker.understand("how many calories are in a glass of cider?"),
          [("lookup_food", {"food": "cider"})])


@pytest.mark.parametrize(("text", "want"), [
    ("Look up the calories in a Wagon Wheel", ("lookup_food", {"food": "wagon wheel"})),
    ("what's the calorie count for a plate of khachapuri?",
     ("lookup_food", {"food": "khachapuri"})),
])
def test_a_lookup_of_a_name_no_list_knows_asks_of_it(
        coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


def test_rushing_to_a_place_is_no_place_a_thing_goes(coach: Understander) -> None:
    check(coach.understand("I forgot to eat lunch, I was rushing to get the train to my office"),
          [("missed_meal", {"meal": "lunch"})])


@pytest.mark.parametrize(("text", "want"), [
    ("I have to watch my salt, so no breakfast today, I slept in",
     [("missed_meal", {"meal": "breakfast"})]),
    ("I had to skip dinner", [("missed_meal", {"meal": "dinner"})]),
], ids=["have to watch", "had to skip"])
def test_a_duty_is_nothing_had(coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand(text), want)


@pytest.mark.parametrize(("text", "want"), [
    ("I cycled for about forty minutes, probably a little more, call it forty five.",
     ("log_activity", {"minutes": 45})),
    ("I ate one pancake. Well, three actually.", ("unplanned_food", {"amount": "3"})),
    ("I walked for 20 minutes. 25 actually.", ("log_activity", {"minutes": 25})),
])
def test_a_value_restated_later_replaces_the_first(
        coach: Understander, text: str, want: Call) -> None:
    check(coach.understand(text), [want])


@pytest.mark.parametrize(("text", "amount"), [
    ("I had a crumpet at 10", ""), ("I had 2 crumpets at 10", "2")])
def test_a_time_of_day_is_no_amount(coach: Understander, text: str, amount: str) -> None:
    result = coach.understand(text)
    assert [c.tool for c in result.calls] == ["unplanned_food"], result.calls
    assert result.calls[0].args["amount"] == amount, result.calls


@pytest.mark.parametrize("text", [
    "I was about to log a flapjack but never mind, I didn't eat it after all.",
    "I was about to have a muffin",
])
def test_what_was_about_to_happen_writes_nothing(coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert not any(c.writes for c in result.calls), (text, result.calls)


@pytest.mark.parametrize(("text", "want"), [
    ("I'd rather not have the white rice, can I switch it to brown rice at dinner?",
     {"original": "white rice", "replacement": "brown rice"}),
    ("would a cup of lentils be a fair swap for a cup of rice?",
     {"original": "rice", "replacement": "lentils"}),
])
def test_what_is_not_wanted_is_replaced(coach: Understander, text: str,
                                         want: dict[str, Any]) -> None:
    check(coach.understand(text), [("substitute_food", want)])


@pytest.mark.parametrize(("text", "amount"), [
    ("log half a cup of frozen yogurt", "half a cup of"),
    ("I had one and a half bagels", "1 and a half"),
])
def test_an_amount_goes_to_the_tool_as_said(coach: Understander, text: str,
                                            amount: str) -> None:
    result = coach.understand(text)
    assert [c.tool for c in result.calls] == ["unplanned_food"], result.calls
    assert result.calls[0].args["amount"].startswith(amount), result.calls


def test_fractions_as_said() -> None:
    from voicelive.backends.local.understand.numbers import fractions_as_said

    assert fractions_as_said("0.5 cup of") == "half a cup of"
    assert fractions_as_said("0.25 cup") == "a quarter cup"
    assert fractions_as_said("2.5 slices of") == "2 and a half slices of"
    assert fractions_as_said("1.3 kg") == "1.3 kg"
    assert fractions_as_said("banana") == "banana"
    assert fractions_as_said("1.5") == "1 and a half"
    assert fractions_as_said("0.5") == "half"


def test_a_measured_part_completes_the_target_before(coach: Understander) -> None:
    check(coach.understand("new plan, I'll aim for 1900 calories and 110 grams of protein a day"),
          [("set_targets", {"kcal": 1900, "protein_g": 110})])


@pytest.mark.parametrize("text", [
    "I'd like to change my daily calories", "could you update my calorie goal please"])
def test_a_target_asked_to_change_asks_for_the_value(coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert not result.calls, result.calls
    assert result.state.pending is not None and result.state.pending.tool == "set_targets"


def test_a_meal_asked_to_change_is_no_target(coach: Understander) -> None:
    result = coach.understand("I want to change my lunch")
    assert result.state.pending is None or result.state.pending.tool != "set_targets"


@pytest.mark.parametrize(("text", "food"), [
    ("I ate two beef tamales", "beef tamales"),
    ("I had a cheese toastie for lunch", "cheese toastie"),
])
def test_a_known_word_and_the_rest_of_its_name_are_one_food(
        coach: Understander, text: str, food: str) -> None:
    result = coach.understand(text)
    assert [c.tool for c in result.calls] == ["unplanned_food"], result.calls
    assert result.calls[0].args["food"] == food, result.calls


@pytest.mark.parametrize(("text", "foods"), [
    ("I had rice and beans", ["rice", "beans"]),
    ("I had chicken tonight", ["chicken"]),
])
def test_a_name_ends_where_the_phrase_does(coach: Understander, text: str,
                                           foods: list[str]) -> None:
    result = coach.understand(text)
    assert [c.args.get("food") for c in result.calls] == foods, result.calls


@tool
def log_greens(portions: Annotated[float, Field(gt=0, le=20)]) -> str:
    """Count portions of vegetables towards the day's goal.

    Args:
        portions: How many portions (a handful or half a cup is one).
    """
    return str(portions)


@tool
def note_discomfort(feeling: str, severity: Annotated[int, Field(ge=1, le=10)] = 5) -> str:
    """Note a digestive discomfort after eating, such as reflux, wind or cramps.

    Args:
        feeling: What was felt, e.g. "bloating", "nausea".
        severity: How bad, 1 to 10, if said.
    """
    return feeling


@pytest.fixture(scope="module")
def custom(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    path = Path(tmp_path_factory.mktemp("custom5")) / "d.sqlite3"
    return Understander([*toolkit(db_path=path), log_greens, note_discomfort])


@pytest.mark.parametrize(("text", "want"), [
    ("add three portions of vegetables", ("log_greens", {"portions": 3})),
    ("I've had stomach cramps ever since dinner", ("note_discomfort", {"feeling": "cramps"})),
    ("note reflux for me, it's bad, maybe a seven",
     ("note_discomfort", {"feeling": "reflux", "severity": 7})),
    ("I've got wind", ("note_discomfort", {"feeling": "wind"})),
])
def test_a_custom_tools_own_words_and_examples(custom: Understander, text: str,
                                               want: Call) -> None:
    result = custom.understand(text)
    check(result, [want])
    assert not any(w in str(result.calls[0].args) for w in ("maybe", "got", "since")), result


def test_a_measure_of_the_body_is_no_food(coach: Understander) -> None:
    check(coach.understand("my blood sugar was dropping so I ate a banana, log that please"),
          [("unplanned_food", {"food": "banana"})])
    check(coach.understand("my sugar levels are high, it's 9.4"),
          [("log_glucose", {"mmol_l": 9.4})])


def test_a_thing_named_after_having_or_eating_is_had(coach: Understander) -> None:
    check(coach.understand("I ended up having some khachapuri at my aunt's"),
          [("unplanned_food", {"food": "khachapuri"})])


def test_the_answer_keeps_the_whole_name(coach: Understander) -> None:
    check(_talk(coach, ["I ate something off my plan", "a lamb samosa"]),
          [("unplanned_food", {"food": "lamb samosa"})])


def test_a_place_after_another_stretch_is_no_target(coach: Understander) -> None:
    check(coach.understand("put down a flat white for me, I grabbed it walking to the office"),
          [("unplanned_food", {"food": "flat white"})])


@tool
def rate_focus(level: Annotated[int, Field(ge=1, le=10)]) -> str:
    """Record how focused the person feels, from 1 to 10.

    Args:
        level: Focus rating, 1 to 10.
    """
    return str(level)


def test_a_rating_at_a_number_is_the_rating(tmp_path: Path) -> None:
    from voicelive.nutrition import toolkit

    u = Understander([*toolkit(db_path=tmp_path / "d.sqlite3"), rate_focus])
    check(u.understand("rate my focus at 6, I'm doing fine"), [("rate_focus", {"level": 6})])


def test_a_second_thing_no_list_holds_is_looked_up_too(coach: Understander) -> None:
    check(coach.understand("look up a bowl of dal, and also a chapati"),
          [("lookup_food", {"food": "dal"}), ("lookup_food", {"food": "chapati"})])


@pytest.mark.parametrize("text", ["set a timer for the rice", "check the table"])
def test_a_thing_no_tool_takes_is_still_elsewhere(coach: Understander, text: str) -> None:
    assert not coach.understand(text).calls


def test_all_good_is_no_food(coach: Understander) -> None:
    check(coach.understand("Had my lunch as planned, all good."), [("ate_meal", {"meal": "lunch"})])


def test_a_counted_thing_before_with_is_what_was_had(coach: Understander) -> None:
    check(coach.understand("I had two Wagon Wheels with my coffee"),
          [("unplanned_food", {"food": "wagon wheel", "amount": "2"})])


@pytest.mark.parametrize("turns", [
    ["I haven't had dinner yet"],
    ["Don't mark my breakfast yet, I haven't had it."],
    ["no need to log my lunch"],
    ["I had a muffin", "actually don't log that"],
    ["I haven't had dinner yet, what should I have?"],
], ids=lambda t: " | ".join(t))
def test_not_yet_or_not_to_log_writes_nothing(coach: Understander, turns: list[str]) -> None:
    result = _talk(coach, turns)
    assert not any(c.writes for c in result.calls[len(_talk(coach, turns[:-1]).calls):]), (
        turns, result.calls)


def test_a_log_not_made_yet_is_asked_for(coach: Understander) -> None:
    check(coach.understand("I haven't logged my swim yet, it was 40 minutes"),
          [("log_activity", {"minutes": 40})])
