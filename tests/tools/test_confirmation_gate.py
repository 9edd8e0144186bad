"""The confirmation state machine and the yes/no classifier, without sockets or sleeps."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from voicelive.tools.confirmation import (
    ANSWER_WORDS,
    Ask,
    Cancel,
    ConfirmationGate,
    Decision,
    Duplicate,
    PassThrough,
    Repeat,
    Run,
    classify_answer,
    render_question,
)


@pytest.mark.parametrize("text", [
    "Yes.", "yeah go ahead", "Sure, do it.", "um, okay", "yep that's right", "Go for it!",
    "Yes please, thank you", "mhm", "Okay, sounds good.", "absolutely",
])
def test_yes_answers(text: str) -> None:
    assert classify_answer(text) == "yes"


@pytest.mark.parametrize("text", [
    "No.", "nope", "no thanks", "cancel that", "don't", "wait", "hold on a sec",
    "never mind", "yes... no, wait", "actually no", "I don't think so",
])
def test_no_answers(text: str) -> None:
    assert classify_answer(text) == "no"


@pytest.mark.parametrize("text", [
    "", "what did I have for lunch", "yes but make it two thousand",
    "how much protein is in an egg", "set it to 2000 instead",
    # a refusal with a number corrects the call: a new request, not a no
    "No wait, 1800.", "no, make that seventeen hundred", "nah, twenty two hundred please",
])
def test_other_answers(text: str) -> None:
    assert classify_answer(text) == "other"


def test_words_are_data_per_language() -> None:
    assert "go ahead" in ANSWER_WORDS["en"].yes and "nope" in ANSWER_WORDS["en"].no
    assert classify_answer("yes", language="en-GB") == "yes"


def test_question_templates() -> None:
    assert render_question("set_targets", {"kcal": 1800.0}, "Set your target to {kcal} kcal?") == (
        "Set your target to 1800 kcal?")
    assert render_question("t", {"a": 1.5}, "{a} or {missing}?") == "1.5 or ?"
    assert render_question("log_it", {}, None) == "Should I log it?"


def test_gate_basic_path() -> None:
    gate = ConfirmationGate(timeout_s=10)
    [ask] = gate.on_call("c1", "t", {"x": 1}, "Do it?", now=0)
    assert isinstance(ask, Ask)
    assert gate.on_user_turn("yes", now=1) == []  # the question was not put yet
    gate.on_question_put(now=2)
    [run] = gate.on_user_turn("yes", now=3)
    assert isinstance(run, Run) and run.call.args == {"x": 1}
    assert gate.pending is None and gate.on_user_turn("yes", now=4) == []


def test_read_back_args_are_a_private_copy() -> None:
    gate = ConfirmationGate()
    args: dict[str, Any] = {"items": [1, 2]}
    gate.on_call("c1", "t", args, "Do it?", now=0)
    args["items"].append(3)
    gate.on_question_put(now=0)
    [run] = gate.on_user_turn("go ahead", now=1)
    assert isinstance(run, Run) and run.call.args == {"items": [1, 2]}


ARGS = st.dictionaries(st.sampled_from(["kcal", "meal"]), st.integers(0, 3), max_size=2)
ANSWERS = st.sampled_from(["yes", "yeah go ahead", "no", "nope", "wait",
                           "what's for dinner", "yes but different"])


class GateMachine(RuleBasedStateMachine):
    """Random calls, answers and time against a model of what must happen."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = ConfirmationGate(timeout_s=10.0)
        self.now = 0.0
        self.ids = 0
        self.asked: dict[str, dict[str, Any]] = {}  # id -> args read back
        self.ran: list[str] = []
        self.ended: set[str] = set()
        self.model_pending: str | None = None
        self.model_put = False
        self.model_recent: dict[str, Any] | None = None  # args confirmed last, until a turn

    def _apply(self, decisions: list[Decision]) -> None:
        for d in decisions:
            if isinstance(d, Ask):
                assert d.call.id not in self.asked
                self.asked[d.call.id] = dict(d.call.args)
            elif isinstance(d, Run):
                assert d.call.id in self.asked and d.call.id not in self.ended
                assert d.call.args == self.asked[d.call.id]  # what was read back runs
                self.ran.append(d.call.id)
                self.ended.add(d.call.id)
            elif isinstance(d, Cancel):
                assert d.call.id in self.asked and d.call.id not in self.ended
                self.ended.add(d.call.id)

    @rule(confirm=st.booleans(), args=ARGS)
    def call(self, confirm: bool, args: dict[str, Any]) -> None:
        self.ids += 1
        call_id = f"c{self.ids}"
        pending = self.gate.pending
        decisions = self.gate.on_call(call_id, "t" if confirm else "plain", args,
                                      "Sure?" if confirm else None, self.now)
        if pending is not None and confirm and pending.args == args:
            assert decisions == [Repeat(call_id, pending)]
            return
        if pending is None and confirm and self.model_recent == args:
            [d] = decisions
            assert isinstance(d, Duplicate) and d.done.args == args  # never runs twice
            return
        self._apply(decisions)
        if pending is not None:
            assert isinstance(decisions[0], Cancel) and decisions[0].status == "declined"
        if confirm:
            assert isinstance(decisions[-1], Ask)
            self.model_pending, self.model_put = call_id, False
            self.model_recent = None
        else:
            assert isinstance(decisions[-1], PassThrough)
            self.model_pending = None

    @rule()
    def put_question(self) -> None:
        self.gate.on_question_put(self.now)
        if self.model_pending is not None:
            self.model_put = True

    @rule(text=ANSWERS)
    def user_says(self, text: str) -> None:
        before = self.model_pending
        deadline = self.gate.deadline
        decisions = self.gate.on_user_turn(text, self.now)
        self._apply(decisions)
        if before is None:
            self.model_recent = None
        if before is None or not self.model_put:
            assert decisions == []
            return
        self.model_pending = None
        [d] = decisions
        if deadline is not None and self.now >= deadline:
            assert isinstance(d, Cancel) and d.status == "expired"
        elif classify_answer(text) == "yes":
            assert isinstance(d, Run) and d.call.id == before
            self.model_recent = dict(d.call.args)
        else:
            assert isinstance(d, Cancel) and d.status == "declined"

    @rule(seconds=st.floats(0, 15))
    def wait(self, seconds: float) -> None:
        self.now += seconds
        deadline = self.gate.deadline
        decisions = self.gate.on_tick(self.now)
        self._apply(decisions)
        if deadline is not None and self.now >= deadline:
            [d] = decisions
            assert isinstance(d, Cancel) and d.reason == "timeout"
            self.model_pending = None
        else:
            assert decisions == []

    @precondition(lambda self: self.model_pending is not None)
    @rule()
    def end(self) -> None:
        decisions = self.gate.on_end()
        self._apply(decisions)
        [d] = decisions
        assert isinstance(d, Cancel) and d.reason == "session_end"
        self.model_pending = None

    @invariant()
    def one_pending_at_most_and_it_is_the_model_s(self) -> None:
        pending = self.gate.pending
        assert (pending.id if pending else None) == self.model_pending
        assert len(self.ran) == len(set(self.ran))  # a call runs at most once
        if pending is None:
            assert self.gate.deadline is None


TestGateMachine = GateMachine.TestCase
TestGateMachine.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
