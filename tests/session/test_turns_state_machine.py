"""A Hypothesis state machine drives TurnTracker and checks its invariants after every step."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from voicelive.turns import TurnTracker


class TurnMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.policy = "pause"
        self.t = TurnTracker(policy="pause")
        self.now = 0.0
        self.running: dict[str, bool] = {}
        self.next_id = 0
        self.interrupted = False
        self.sent = self.dropped_in = self.written = self.dropped_out = 0

    def tick(self) -> float:
        self.now += 0.01
        return self.now

    @rule(voiced=st.booleans())
    def user_audio(self, voiced: bool) -> None:
        gated = any(self.running.values())
        sent = self.t.on_input(voiced=voiced, now=self.tick())
        assert sent == (not gated)
        if sent:
            self.sent += 1
        else:
            self.dropped_in += 1

    @rule(blocking=st.booleans())
    def tool_starts(self, blocking: bool) -> None:
        call_id = f"c{self.next_id}"
        self.next_id += 1
        self.running[call_id] = blocking
        self.t.on_tool_start(call_id, blocking=blocking, now=self.tick())

    @precondition(lambda self: bool(self.running))
    @rule(data=st.data())
    def tool_ends_or_is_cancelled(self, data: st.DataObject) -> None:
        call_id = data.draw(st.sampled_from(sorted(self.running)))
        del self.running[call_id]
        self.t.on_tool_end(call_id, self.tick())

    @rule()
    def reply_audio(self) -> None:
        written = self.t.on_reply_audio(self.tick())
        assert written == (not self.interrupted)
        if written:
            self.written += 1
        else:
            self.dropped_out += 1

    @rule()
    def barge_in(self) -> None:
        self.t.on_interrupted()
        self.interrupted = True

    @rule()
    def user_speech_recognised(self) -> None:
        self.t.on_user_speech()
        self.interrupted = False

    @rule()
    def turn_complete(self) -> None:
        ev = self.t.on_turn_complete()
        assert ev.chunks_in >= 0 and ev.chunks_out >= 0 and ev.dropped_chunks >= 0
        assert ev.latency_ms is None or ev.latency_ms >= 0
        self.interrupted = False

    @invariant()
    def gating_matches_running_blocking_tools(self) -> None:
        blocking = {k for k, b in self.running.items() if b}
        assert self.t.blocking_tools == blocking
        assert self.t.input_gated == bool(blocking)

    @invariant()
    def nothing_is_lost_from_the_counts(self) -> None:
        totals = self.t.totals
        assert totals["in"] == self.sent
        assert totals["dropped_in"] == self.dropped_in
        assert totals["out"] == self.written
        assert totals["dropped_out"] == self.dropped_out

    @invariant()
    def interruption_state_matches(self) -> None:
        assert self.t.dropping_reply == self.interrupted


TestTurnMachine = TurnMachine.TestCase


def test_listen_policy_never_gates() -> None:
    t = TurnTracker(policy="listen")
    t.on_tool_start("a", blocking=True, now=0.0)
    assert t.on_input(voiced=True, now=0.1)
    assert t.on_frame()


def test_latency_is_end_of_speech_to_first_audio() -> None:
    t = TurnTracker()
    t.on_input(voiced=True, now=1.0)
    t.on_input(voiced=False, now=1.2)
    t.on_tool_start("x", blocking=True, now=1.3)
    t.on_tool_end("x", now=1.5)
    t.on_reply_audio(1.75)
    ev = t.on_turn_complete()
    assert ev.latency_ms == 750.0
    assert ev.tool_ms == 200.0
    assert ev.chunks_in == 2 and ev.chunks_out == 1
