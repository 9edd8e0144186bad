"""Understanding generalises by mechanism: each group of ``general_phrases.py`` is one cause of
a miss, fixed in general and checked on new phrasings (text only, the nutrition tools)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from call_checks import check
from general_phrases import ASKS, CALLS, QUIET, Call
from pydantic import Field

from voicelive.backends.local.understand import DialogueState, Understander, Understanding
from voicelive.tools import tool


@tool
def add_cups(cups: Annotated[int, Field(gt=0, le=30)]) -> str:
    """Add the cups of coffee or tea the person drank today.

    Args:
        cups: How many cups to add.
    """
    return f"{cups}"


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(list(toolkit(db_path=Path(tmp_path_factory.mktemp("g")) / "d.sqlite3")))


def _talk(coach: Understander, turns: list[str]) -> tuple[Understanding, list[Any]]:
    """The last turn's result and the calls of every turn."""
    state = DialogueState()
    calls: list[Any] = []
    result = coach.understand("")
    for turn in turns:
        result = coach.understand(turn, state)
        state = result.state
        calls += list(result.calls)
    return result, calls


class _All:
    """A result-like object holding the calls of a whole conversation (for ``check``)."""

    def __init__(self, text: str, calls: list[Any], reply: str) -> None:
        self.text, self.calls, self.reply = text, tuple(calls), reply


_CASES = [(g, t, w) for g, cases in CALLS.items() for t, w in cases]


@pytest.mark.parametrize(("group", "turns", "want"), _CASES,
                         ids=[f"{g}:{t[-1][:32]}" for g, t, _ in _CASES])
def test_mechanism_makes_the_calls(coach: Understander, group: str, turns: list[str],
                                   want: list[Call]) -> None:
    result, calls = _talk(coach, turns)
    check(_All(" / ".join(turns), calls, result.reply), want, rel=0.05)


_QUIET = [(g, t) for g, texts in QUIET.items() for t in texts]


@pytest.mark.parametrize(("group", "text"), _QUIET, ids=[f"{g}:{t[:32]}" for g, t in _QUIET])
def test_writes_nothing(coach: Understander, group: str, text: str) -> None:
    result = coach.understand(text)
    assert not any(c.writes for c in result.calls), (text, result.calls)
    assert result.reply, text  # something is said: a short answer, never silence
    assert result.state.pending is None, (text, result.state.pending)


_ASKS = [(g, t) for g, texts in ASKS.items() for t in texts]


@pytest.mark.parametrize(("group", "text"), _ASKS, ids=[f"{g}:{t[:32]}" for g, t in _ASKS])
def test_asks_instead_of_guessing(coach: Understander, group: str, text: str) -> None:
    result = coach.understand(text)
    assert result.calls == () and result.kind == "question", (text, result.calls, result.reply)
    assert result.state.pending is not None and result.state.pending.tool == "unplanned_food"
    assert result.reply.endswith("?") and len(result.reply) < 60  # about 4 s of speech


def test_the_answer_after_what_was_it_is_logged(coach: Understander) -> None:
    first = coach.understand("I had a snack, not one from the plan.")
    assert first.kind == "question" and first.state.pending is not None
    second = coach.understand("A handful of cashews.", first.state)
    check(second, [("unplanned_food", {"food": "cashews", "amount": "handful"})])


def test_a_name_off_the_list_is_passed_on_as_said(coach: Understander) -> None:
    """The same unknown word is looked up when asked about, and passed to the log as said
    when named as had ("I had a ..."): the tool says whether it knows it."""
    looked = coach.understand("How much fat is in a kouign amann?")
    assert [c.tool for c in looked.calls] == ["lookup_food"] and not looked.calls[0].writes
    eaten = coach.understand("I just had a kouign amann.")
    check(eaten, [("unplanned_food", {"food": "kouign amann"})])


def test_a_restated_part_is_one_call_of_the_tool_that_fits_it(tmp_path: Path) -> None:
    """ "..., which makes ..." says the part before again: with a tool whose words name the
    drink, the drink is counted there, not logged as a food too."""
    from voicelive.nutrition import toolkit

    coach = Understander([*toolkit(db_path=tmp_path / "d.sqlite3"), add_cups])
    result = coach.understand("I just had a tea, that makes two cups today.")
    check(result, [("add_cups", {"cups": 2})])
    # without a restatement, the tool whose own words name the drink counts it (as a tool
    # that logs "beer, wine, cocktails" counts a glass of wine), and the biscuit is a food
    check(coach.understand("I had a cup of tea and a biscuit."),
          [("add_cups", {"cups": 1}), ("unplanned_food", {"food": "biscuit"})])


@tool
def drink_water(ml: Annotated[int, Field(gt=0, le=5000)]) -> str:
    """Log water the person drank.

    Args:
        ml: How much water, in millilitres.
    """
    return f"{ml}"


@tool
def rate_energy(level: Annotated[int, Field(ge=1, le=10)]) -> str:
    """Record how energetic the person feels, from 1 (exhausted) to 10 (full of energy).

    Args:
        level: Energy level from 1 to 10.
    """
    return f"{level}"


def test_a_value_that_names_another_tool_asks_that_tool(tmp_path: Path) -> None:
    """ "I drank some water" with a water tool asks how much, and logs no food; the answer
    completes the water call."""
    from voicelive.nutrition import toolkit

    coach = Understander([*toolkit(db_path=tmp_path / "d.sqlite3"), drink_water, rate_energy])
    first = coach.understand("Just drank some water.")
    assert first.calls == () and first.kind == "question", (first.calls, first.reply)
    check(coach.understand("About 400 ml.", first.state), [("drink_water", {"ml": 400})])
    # a hedge before a number says how much, not whether
    check(coach.understand("Energy's not great, maybe a four."), [("rate_energy", {"level": 4})])


def test_a_bare_thing_is_offered_what_can_be_done_with_it(coach: Understander) -> None:
    """ "Some crackers" names a food and asks nothing: the reply offers what takes a food."""
    result = coach.understand("Um, some crackers.")
    assert result.calls == () and not result.reply.startswith(("Sorry", "That's beyond"))
    assert "look up calories" in result.reply or "log a snack" in result.reply, result.reply


@tool
def add_to_list(item: str) -> str:
    """Put something on the person's grocery list.

    Args:
        item: What to buy, as said.
    """
    return item


def test_a_plain_text_tool_takes_known_things_and_unknown_ones(tmp_path: Path) -> None:
    """A template-free tool with a plain ``str`` parameter takes a food as said ("oat milk") and
    things no list knows ("kitchen roll"); the food tools still get what was eaten."""
    from voicelive.nutrition import toolkit

    coach = Understander([*toolkit(db_path=tmp_path / "d.sqlite3"), add_to_list])
    check(coach.understand("Could you put oat milk on my grocery list?"),
          [("add_to_list", {"item": "oat milk"})])
    check(coach.understand("Add kitchen roll to the grocery list."),
          [("add_to_list", {"item": "kitchen roll"})])
    check(coach.understand("I had a splash of oat milk in my tea."),
          [("unplanned_food", {"food": "oat milk"})])


@tool
def note_symptom(symptom: str, severity: Literal["mild", "moderate", "severe"] = "mild") -> str:
    """Note a symptom the person has, such as a headache or nausea.

    Args:
        symptom: What they feel.
        severity: How bad it is.
    """
    return symptom


def test_examples_in_a_docstring_are_values_of_its_text_parameter(tmp_path: Path) -> None:
    """ "such as a headache or nausea": a word of an example is the value, even though the
    description's words are also the tool's cues; other words still reach it."""
    from voicelive.nutrition import toolkit

    coach = Understander([*toolkit(db_path=tmp_path / "d.sqlite3"), note_symptom])
    check(coach.understand("Ugh, I woke up with a mild headache."),
          [("note_symptom", {"symptom": "headache", "severity": "mild"})])
    check(coach.understand("Feeling some nausea, and it is pretty severe."),
          [("note_symptom", {"symptom": "nausea", "severity": "severe"})])
    check(coach.understand("I ate a pear."), [("unplanned_food", {"food": "pear"})])
