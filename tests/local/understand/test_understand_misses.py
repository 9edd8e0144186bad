"""The kinds of phrasing issue #14's notes listed as text misses, each phrased anew.

Buying, keeping, preparing or cooking food is not eating it; a choice between two foods is
asked about; a cooking question is no lookup; a value in a clause of its own completes the
turn's call; a food no list knows is asked about (naming it) even beside other calls, and
looked up as said; a swap of a thing for itself is no swap.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from call_checks import check

from voicelive.backends.local.understand import Understander


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(list(toolkit(db_path=Path(tmp_path_factory.mktemp("m")) / "d.sqlite3")))


HANDLED = [
    "I bought a loaf of bread on the way home.",
    "I've been batch cooking chilli for the freezer.",
    "There's half a cheesecake in the fridge.",
    "I ordered some sushi.",
    "We stocked up on yoghurts at the supermarket.",
    "Just baked a tray of brownies.",
    "I'm roasting a chicken for Sunday lunch.",
]


@pytest.mark.parametrize("text", HANDLED)
def test_food_bought_kept_or_cooked_is_not_eaten(coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert not any(c.writes for c in result.calls), (text, result.calls)
    assert result.reply and result.state.pending is None, (text, result.reply)


@pytest.mark.parametrize(("text", "food"), [
    ("I made a smoothie and drank it.", "smoothie"),
    ("I baked cookies and ate two of them.", "cookie"),
    ("I had a fried egg on toast.", "egg"),
    ("I bought a muffin and had it on the bus.", "muffin"),
])
def test_food_prepared_and_then_eaten_is_eaten(coach: Understander, text: str,
                                              food: str) -> None:
    check(coach.understand(text), [("unplanned_food", {"food": food})])


@pytest.mark.parametrize("text", [
    "How long do I bake potatoes for?",
    "What temperature should I roast the veg at?",
    "How do I boil rice properly?",
])
def test_a_cooking_question_is_no_lookup(coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert result.calls == () and result.kind == "nothing", (text, result.calls)
    assert len(result.reply) <= 80, result.reply


def test_a_lookup_of_a_cooked_food_still_looks_it_up(coach: Understander) -> None:
    check(coach.understand("How much protein is in roast chicken?"),
          [("lookup_food", {"food": "roast chicken"})])
    check(coach.understand("What's in a hard boiled egg?"), [("lookup_food", {"food": "egg"})])


def test_a_choice_between_foods_is_asked_about(coach: Understander) -> None:
    first = coach.understand("I had toast or a crumpet, I forget which.")
    assert first.calls == () and first.kind == "question", (first.calls, first.reply)
    assert "toast" in first.reply and "crumpet" in first.reply, first.reply
    check(coach.understand("The crumpet.", first.state),
          [("unplanned_food", {"food": "crumpet"})])
    for text in ("Noodles or rice tonight?", "Should I go for porridge or granola?"):
        result = coach.understand(text)
        assert not any(c.writes for c in result.calls), (text, result.calls)


@pytest.mark.parametrize(("text", "want"), [
    ("I cycled for forty minutes. I'm 90 kilos.",
     {"activity": "cycling", "minutes": 40, "weight_kg": 90}),
    ("Went for a jog, twenty minutes, I weigh about seventy kilos.",
     {"activity": "jogging", "minutes": 20, "weight_kg": 70}),
    ("Did an hour of tennis, I'm 11 stone, no, I'm 75 kilos.",
     {"activity": "tennis", "minutes": 60, "weight_kg": 75}),
])
def test_a_value_in_its_own_clause_completes_the_call(coach: Understander, text: str,
                                                     want: dict[str, object]) -> None:
    check(coach.understand(text), [("log_activity", want)])


def test_a_weight_alone_writes_nothing(coach: Understander) -> None:
    result = coach.understand("I weigh 80 kilos.")
    assert not any(c.writes for c in result.calls), result.calls


def test_an_unknown_food_beside_another_call_is_never_dropped(coach: Understander) -> None:
    """Named as had, a food no list knows is logged as said beside the other call (the tool
    says whether it knows it); a question about it is looked up as said."""
    named = coach.understand("I walked for an hour and then had a kouign amann.")
    check(named, [("log_activity", {"activity": "walking", "minutes": 60}),
                  ("unplanned_food", {"food": "kouign amann"})])
    check(coach.understand("Calories in a kouign amann?"),
          [("lookup_food", {"food": "kouign amann"})])


@pytest.mark.parametrize(("text", "food"), [
    ("I had a pear, I mean, a pear.", "pear"),
    ("Sorry, what I meant was I had an apple, one apple.", "apple"),
])
def test_a_thing_said_twice_is_no_swap(coach: Understander, text: str, food: str) -> None:
    check(coach.understand(text), [("unplanned_food", {"food": food})])


def test_a_swap_of_a_food_for_itself_is_not_made(coach: Understander) -> None:
    result = coach.understand("Swap the rice for rice.")
    assert not any(c.tool == "substitute_food" for c in result.calls), result.calls
