"""What one server message does to a Gemini conversation, driven as plain code (no sockets)."""

from __future__ import annotations

import math

from voicelive.backends.gemini import GEMINI_3, GEMINI_25
from voicelive.backends.gemini.handover import HandoverPlanner
from voicelive.backends.gemini.inbound import Inbound
from voicelive.events import AudioOut, Interrupted, ToolCall, TurnComplete
from voicelive.testing import messages as m


def test_reply_audio_keeps_whole_samples_and_the_turn_gets_its_latency() -> None:
    inbound = Inbound(HandoverPlanner(), GEMINI_3)
    inbound.ledger.on_speech_end(10.0)
    first = inbound.decode(m.audio(b"\x01\x02\x03"), 10.25)
    assert [type(e) for e in first] == [AudioOut]
    assert isinstance(first[0], AudioOut) and first[0].data == b"\x01\x02"
    second = inbound.decode(m.audio(b"\x04"), 10.5)
    assert isinstance(second[0], AudioOut) and second[0].data == b"\x03\x04"
    (done,) = inbound.decode(m.turn_complete(), 11.0)
    assert isinstance(done, TurnComplete) and done.latency_ms is not None
    assert math.isclose(done.latency_ms, 250.0)
    assert inbound.aligner.odd_parts == 2


def test_a_lone_odd_byte_plays_nothing_until_its_pair_comes() -> None:
    inbound = Inbound(HandoverPlanner(), GEMINI_3)
    assert inbound.decode(m.audio(b"\x01"), 1.0) == []
    assert inbound.decode(m.interrupted(), 1.1) == [Interrupted()]
    assert inbound.aligner.dropped_bytes == 1


def test_the_planner_hears_calls_handles_and_go_away() -> None:
    planner = HandoverPlanner()
    inbound = Inbound(planner, GEMINI_3)
    events = inbound.decode(m.tool_call("c1", "lookup", {"food": "kiwi"}), 5.0)
    assert [type(e) for e in events] == [ToolCall]
    assert planner.pending_calls == {"c1"}
    inbound.decode(m.resumption_update("h-1"), 5.1)
    assert planner.handle == "h-1"
    inbound.decode(m.go_away(10.0), 6.0)
    assert planner.going_away and planner.seconds_until_forced(6.0) == 9.0
    inbound.decode(m.tool_call_cancellation("c1"), 6.5)
    assert planner.pending_calls == frozenset()


def test_a_turn_complete_that_only_closes_a_call_on_25_is_not_passed_on() -> None:
    inbound = Inbound(HandoverPlanner(), GEMINI_25)
    inbound.decode(m.tool_call("c1", "lookup", {}), 1.0)
    assert inbound.decode(m.turn_complete(), 1.1) == []
    assert inbound.ledger.tool_turn_completes == 1


def test_messages_that_cannot_be_read_are_counted_not_fatal() -> None:
    inbound = Inbound(HandoverPlanner(), GEMINI_3)
    inbound.skip()
    assert inbound.decode({"somethingNew": {"x": 1}}, 1.0) == []
    assert inbound.ignored_messages == 2
