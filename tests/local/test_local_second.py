"""A second opinion on unsure turns: the decision on tables of hypotheses (no models).

The first and second recognisers' hypotheses are understood by the real understanding of the
nutrition tools; confidences and scores are numbers in the table, so every rule of
:mod:`voicelive.backends.local.second` is exercised without a recogniser. The sentences are
everyday mishearings of our own, not the spoken sets'.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from voicelive.backends.local.second import (
    DEFAULT_MIN_CONFIDENCE,
    Choice,
    choose,
    needs_second_opinion,
    outcome_counts,
    resolve_doubt,
)
from voicelive.backends.local.understand import DialogueState, Understander


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("second")) / "d.sqlite3"))


def both(nutrition: Understander, first: Sequence[str], second: Sequence[str]) -> Choice:
    state = DialogueState()
    return choose(nutrition.understand(list(first), state),
                  nutrition.understand(list(second), state))


SURE = DEFAULT_MIN_CONFIDENCE + 0.25
UNSURE = DEFAULT_MIN_CONFIDENCE - 0.25


@pytest.mark.parametrize(("heard", "confidence", "reason"), [
    # a garbled request from an unsure decoder: nothing fits
    (["the markers for us here in a water mill"], UNSURE, "no_call"),
    # no call, heard with confidence: a request no tool covers, heard right
    (["who won the football last night"], SURE, None),
    # a clear request heard with confidence stands
    (["I skipped lunch today"], SURE, None),
    # the same words from a decoder that was unsure of them
    (["I skipped lunch today"], UNSURE, "unsure"),
    # a near miss is an answer, not a doubt: it is not heard again
    (["I thought about skipping lunch"], UNSURE, None),
])
def test_which_turns_are_heard_again(nutrition: Understander, heard: list[str],
                                     confidence: float, reason: str | None) -> None:
    result = nutrition.understand(heard, DialogueState())
    assert needs_second_opinion(result, confidence) == reason


def test_nothing_heard_is_not_heard_again(nutrition: Understander) -> None:
    assert needs_second_opinion(nutrition.understand([], DialogueState()), None) is None
    assert needs_second_opinion(nutrition.understand(["hmm"], DialogueState()), None) is None


def test_a_lookup_against_a_write_asks(nutrition: Understander) -> None:
    # a lookup heard by one, a meal eaten by the other: only the user can tell
    choice = both(nutrition, ["how am I doing today"], ["I had my breakfast"])
    assert choice.decision == "ask" and choice.result.calls[0].tool == "daily_summary"


def test_the_bar_of_confidence_is_a_parameter(nutrition: Understander) -> None:
    result = nutrition.understand(["how many calories are in a banana"], DialogueState())
    assert needs_second_opinion(result, -0.5, min_confidence=-0.4) == "unsure"
    assert needs_second_opinion(result, -0.5, min_confidence=-0.6) is None


def test_second_reading_with_a_call_replaces_one_without(nutrition: Understander) -> None:
    choice = both(nutrition, ["what are the markers for a surfing of old meal"],
                  ["what are the macros for a serving of oatmeal"])
    assert choice.decision == "second"
    assert [c.tool for c in choice.result.calls] == ["lookup_food"]


def test_second_reading_without_a_call_keeps_the_first(nutrition: Understander) -> None:
    choice = both(nutrition, ["I skipped lunch today"], ["I keep the lunch to the"])
    assert choice.decision == "first"
    assert [c.args for c in choice.result.calls] == [{"meal": "lunch"}]


def test_readings_that_agree_keep_the_first(nutrition: Understander) -> None:
    choice = both(nutrition, ["I skipped lunch today."], ["I skipped my lunch today"])
    assert (choice.decision, choice.why) == ("first", "agree")


def test_different_lookups_take_the_second(nutrition: Understander) -> None:
    # tiny.en's "I may go" is no bagel; base's reading is the better-heard lookup
    choice = both(nutrition, ["how many carbs does a mango have"],
                  ["how many carbs does a bagel have"])
    assert choice.decision == "second"
    assert choice.result.calls[0].args["food"] == "bagel"


def test_different_writes_ask(nutrition: Understander) -> None:
    choice = both(nutrition, ["I had a chocolate chip cooking at the office"],
                  ["I had a chocolate chip cookie at the office"])
    assert choice.decision == "ask"
    assert choice.rival is not None
    assert "cookie" in str(choice.rival.calls[0].args)


def test_a_second_write_that_adds_a_value_is_no_rival(nutrition: Understander) -> None:
    # the second heard "a handful of" almonds; the first left the amount out: same food
    choice = both(nutrition, ["I ate some almonds between meals"],
                  ["I ate a handful of almonds between meals"])
    assert choice.decision == "first"


def test_a_write_only_the_second_heard_needs_its_values_found(
        nutrition: Understander) -> None:
    first = nutrition.understand(["I had a grumble of the top"], DialogueState())
    second = nutrition.understand(["I had a banana"], DialogueState())
    assert not first.calls and second.complete
    assert choose(first, second).decision == "second"
    unsure = second.__class__(text=second.text, calls=second.calls, kind=second.kind,
                              complete=False, state=second.state)
    assert choose(first, unsure).decision == "first"
    # a write from a garbled second transcript is not taken either
    assert choose(first, second, -0.9).decision == "first"
    assert choose(first, second, -0.1).decision == "second"


def test_outcome_counts_start_at_zero() -> None:
    counts = outcome_counts()
    assert set(counts) >= {"asked", "no_call", "unsure", "taken", "kept", "questions",
                           "failed"}
    assert not any(counts.values())


@pytest.mark.parametrize(("second", "decision", "minutes"), [
    (["I went jogging for about forty minutes"], "second", 40.0),  # base heard the rival
    (["I went jogging for about fourteen minutes"], "first", 14.0),  # base heard it as heard
    (["I went jogging for a bit"], "ask", None),  # base settles nothing
    (["how far is the moon"], "ask", None),
])
def test_a_second_hearing_answers_the_write_checks_question(
        nutrition: Understander, second: list[str], decision: str,
        minutes: float | None) -> None:
    state = DialogueState()
    heard = nutrition.understand(["I went jogging for about 14 minutes"], state)
    rival = nutrition.understand(["I went jogging for about 40 minutes"], state)
    choice = resolve_doubt(heard, rival, nutrition.understand(second, state))
    assert choice.decision == decision
    if minutes is not None:
        assert choice.result.calls[0].args["minutes"] == minutes
    else:
        assert choice.rival is rival
