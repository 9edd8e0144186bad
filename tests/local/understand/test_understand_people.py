"""Requests as different people say them, by category of the outside sets (text only).

The phrases are in ``people_phrases.py``; custom tools without templates are plain ``@tool``
functions here, called beside the nutrition tools and losing to a better-matching one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from call_checks import check
from people_phrases import (
    CALLS,
    CUSTOM,
    CUSTOM2,
    NEAR_MISS,
    NEAR_MISS2,
    NO_TOOL,
    NO_TOOL2,
    ROUND2,
    Call,
)
from pydantic import Field

from voicelive.backends.local.understand import DialogueState, Understander, Understanding
from voicelive.tools import tool

SHORT_REPLY = 80
"""Characters of a "nothing fits" reply, about 5 s of Piper speech."""


@tool
def log_steps(steps: Annotated[int, Field(gt=0, le=100000)]) -> str:
    """Record the steps the person walked today, as counted by their phone or watch.

    Args:
        steps: How many steps.
    """
    return f"{steps}"


@tool
def note_mood(mood: Literal["great", "good", "okay", "low", "stressed"]) -> str:
    """Note how the person is feeling right now.

    Args:
        mood: Their mood.
    """
    return mood


@tool
def add_water_glasses(glasses: Annotated[int, Field(gt=0, le=30)]) -> str:
    """Add glasses of water the person drank.

    Args:
        glasses: How many glasses of water.
    """
    return f"{glasses}"


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    path = Path(tmp_path_factory.mktemp("people")) / "d.sqlite3"
    return Understander([*toolkit(db_path=path), log_steps, note_mood, add_water_glasses])


class _All:
    """A result-like object holding the calls of a whole conversation (for ``check``)."""

    def __init__(self, text: str, calls: list[Any], reply: str) -> None:
        self.text, self.calls, self.reply = text, tuple(calls), reply


def _talk(coach: Understander, turns: list[str]) -> tuple[Understanding, _All]:
    state = DialogueState()
    calls: list[Any] = []
    result = coach.understand("")
    for turn in turns:
        result = coach.understand(turn, state)
        state = result.state
        calls += list(result.calls)
    return result, _All(" / ".join(turns), calls, result.reply)


_CASES = [(c, t, w) for c, cases in {**CALLS, "custom": CUSTOM}.items() for t, w in cases] + [
    (f"{c}2", t, w) for c, cases in {**ROUND2, "custom": CUSTOM2}.items() for t, w in cases]


KNOWN_MISSES = {
    "I've been really good today, had breakfast exactly like the plan said.":
        "'been good' is read as the mood 'good' of the custom tool, beside the meal",
    "Some crisps.": "'I had a snack' marks the planned snacks eaten; what it was is not taken",
}
"""Requests still understood wrongly, with the cause (strict: a fix shows as a pass)."""


def _case(category: str, turns: list[str], want: list[Call]) -> Any:
    reason = KNOWN_MISSES.get(turns[-1])
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(category, turns, want, marks=marks, id=f"{category}:{turns[-1][:36]}")


@pytest.mark.parametrize(("category", "turns", "want"), [_case(*c) for c in _CASES])
def test_the_conversation_makes_the_calls(coach: Understander, category: str,
                                          turns: list[str], want: list[Call]) -> None:
    _, conversation = _talk(coach, turns)
    check(conversation, want, rel=0.05)


@pytest.mark.parametrize("text", NO_TOOL + NO_TOOL2, ids=[t[:36] for t in NO_TOOL + NO_TOOL2])
def test_a_request_no_tool_covers_gets_a_short_honest_reply(coach: Understander,
                                                             text: str) -> None:
    result = coach.understand(text)
    assert result.calls == (), (text, result.calls)
    assert result.reply and len(result.reply) <= SHORT_REPLY, (text, result.reply)
    assert result.state.pending is None, (text, result.reply)


@pytest.mark.parametrize("text", NEAR_MISS + NEAR_MISS2,
                         ids=[t[:36] for t in NEAR_MISS + NEAR_MISS2])
def test_a_near_miss_writes_nothing(coach: Understander, text: str) -> None:
    result = coach.understand(text)
    assert not any(c.writes for c in result.calls), (text, result.calls)
    assert result.reply, text  # something is said: a short answer, never silence


def test_a_bare_one_is_no_measured_value(coach: Understander) -> None:
    """ "Log one" names a count of a thing, not one step; with its unit it is a value."""
    assert not any(c.writes for c in coach.understand("Log one.").calls)
    check(coach.understand("Just one glass of water, thanks."),
          [("add_water_glasses", {"glasses": 1})])
