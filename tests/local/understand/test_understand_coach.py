"""Understanding a new user's ways of talking to a coach, by kind (see ``coach_phrases.py``).

Text only. Beside the nutrition tools, a user's own tools written as anyone would (``@tool``,
a docstring that names the unit, no templates) must be reached from speech, with the unit
said converted to the unit the parameter names, and must still lose where a nutrition tool
fits better.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import pytest
from call_checks import check as _check
from coach_phrases import COACH, KNOWN_MISSES, TALKS, Call
from pydantic import Field

from voicelive.backends.local.understand import DialogueState, Understander
from voicelive.tools import Tool, tool


def check(result: Any, want: list[Call]) -> None:
    _check(result, want, rel=0.05)  # numbers said in words may round


@tool
def drink_water(ml: Annotated[int, Field(gt=0, le=5000)]) -> str:
    """Log water the person drank.

    Args:
        ml: How much water, in millilitres.
    """
    return f"{ml} ml"


@tool
def weigh_in(kg: Annotated[float, Field(gt=20, le=400)]) -> str:
    """Record the person's body weight from the bathroom scale.

    Args:
        kg: Body weight in kilograms.
    """
    return f"{kg} kg"


@tool
def log_sleep(hours: Annotated[float, Field(gt=0, le=24)]) -> str:
    """Log how long the person slept.

    Args:
        hours: Hours of sleep.
    """
    return f"{hours} h"


def _tools(tmp: Path) -> list[Tool[..., Any]]:
    from voicelive.nutrition import toolkit

    return [*toolkit(db_path=tmp / "d.sqlite3"), drink_water, weigh_in, log_sleep]


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    return Understander(_tools(Path(tmp_path_factory.mktemp("coach"))))


def _cases(group: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(("text", "want"), COACH[group],
                                   ids=[t[:40] for t, _ in COACH[group]])


@_cases("status")
def test_questions_about_the_day(coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand([text]), want)


@pytest.mark.xfail(reason="idioms no tool's words cover", strict=True)
@pytest.mark.parametrize(("text", "want"), KNOWN_MISSES, ids=[t[:40] for t, _ in KNOWN_MISSES])
def test_known_misses(coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("lookup")
def test_questions_about_a_food(coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("missed")
def test_a_missed_meal_said_indirectly(coach: Understander, text: str,
                                      want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("eaten")
def test_a_meal_eaten_as_planned(coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("foods")
def test_foods_with_amounts_and_foods_off_the_list(coach: Understander, text: str,
                                                   want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("activity")
def test_activities_said_many_ways(coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("swap")
def test_swaps_in_either_order(coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("target")
def test_targets(coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("two")
def test_two_requests_one_a_question(coach: Understander, text: str,
                                     want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("one_write")
def test_the_rest_of_the_sentence_writes_nothing_more(coach: Understander, text: str,
                                                      want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("extra_words")
def test_one_request_with_extra_words(coach: Understander, text: str,
                                      want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("findings")
def test_mechanisms_the_held_out_set_found(coach: Understander, text: str,
                                          want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("self_correction")
def test_what_is_taken_back_is_not_done(coach: Understander, text: str,
                                        want: list[Call]) -> None:
    check(coach.understand([text]), want)


@_cases("nothing")
def test_requests_no_tool_covers(coach: Understander, text: str, want: list[Call]) -> None:
    result = coach.understand([text])
    assert result.calls == () and result.kind == "nothing", (text, result.calls)
    assert result.reply and result.state.pending is None


@_cases("near_miss")
def test_thoughts_and_plans_write_nothing(coach: Understander, text: str,
                                          want: list[Call]) -> None:
    result = coach.understand([text])
    assert not any(c.writes for c in result.calls), (text, result.calls)
    assert result.state.pending is None


@pytest.mark.parametrize("turns", TALKS, ids=[t[0][0][:30] for t in TALKS])
def test_conversations(coach: Understander, turns: list[tuple[str, list[Call]]]) -> None:
    state = DialogueState()
    for text, want in turns:
        state = DialogueState.from_dict(json.loads(json.dumps(state.to_dict())))
        result = coach.understand([text], state)
        check(result, want)
        state = result.state


OWN: list[tuple[str, list[Call]]] = [
    ("I drank half a litre of water.", [("drink_water", {"ml": 500})]),
    ("Put down 750 ml of water for me.", [("drink_water", {"ml": 750})]),
    ("I've had about two litres of water today.", [("drink_water", {"ml": 2000})]),
    ("I slept seven hours.", [("log_sleep", {"hours": 7})]),
    ("Got about six and a half hours of sleep last night.", [("log_sleep", {"hours": 6.5})]),
    ("I only got five hours of sleep.", [("log_sleep", {"hours": 5})]),
    ("I weigh 82 kilos this morning.", [("weigh_in", {"kg": 82})]),
    ("The scale said 75.5 kg today.", [("weigh_in", {"kg": 75.5})]),
    ("My weight is 180 pounds.", [("weigh_in", {"kg": 81.6})]),
    ("I'm at 75 kilos now", [("weigh_in", {"kg": 75})]),
    ("Slept badly, maybe five hours", [("log_sleep", {"hours": 5})]),
    ("I weigh 70 kilos and I slept 8 hours", [("weigh_in", {"kg": 70}),
                                             ("log_sleep", {"hours": 8})]),
    ("I drank 500 ml of water and then went for a walk for 20 minutes",
     [("drink_water", {"ml": 500}), ("log_activity", {"activity": "walk", "minutes": 20})]),
    # ... and the nutrition tool that fits better still wins
    ("I had a glass of orange juice.", [("unplanned_food", {"food": "orange juice"})]),
    ("I ran for seven minutes.", [("log_activity", {"activity": "running", "minutes": 7})]),
    # a number in a unit two tools take, and no word for either: ask, never guess a write
    ("I think I did an hour", []),
]


@pytest.mark.parametrize(("text", "want"), OWN, ids=[t[:40] for t, _ in OWN])
def test_own_tools_without_templates(coach: Understander, text: str,
                                     want: list[Call]) -> None:
    check(coach.understand([text]), want)


@tool(templates=["what is {percent} percent of {amount}"])
def percent_of(percent: float, amount: float) -> str:
    """Work out a percentage of an amount.

    Args:
        percent: The percentage, e.g. 12 for 12 %.
        amount: The amount to take the percentage of.
    """
    return str(percent * amount / 100)


def test_a_question_may_call_a_tool_not_declared_to_write(tmp_path: Path) -> None:
    # only a declared write is held back from a question: a calculator named percent_of is
    # guessed to write (no read verb in its name) and still answers "what is ...?"
    u = Understander([*_tools(tmp_path), percent_of])
    check(u.understand(["What is twelve percent of eighty?"]),
          [("percent_of", {"percent": 12, "amount": 80})])
    assert u.understand(["What should I have for dinner?"]).calls[0].tool == "daily_summary"
