"""Turn state and barge-in decisions, driven step by step with a fake clock."""

from __future__ import annotations

import pytest

from voicelive.turns import Phase, TurnTracker


def test_a_turn_reports_latency_from_end_of_speech() -> None:
    t = TurnTracker()
    assert t.speech_started(now=0.0) is False
    turn = t.speech_ended(now=10.0, trailing_silence_ms=400)
    assert t.phase is Phase.THINKING
    t.tool_called(turn, "c1", now=10.2)
    assert t.tool_returned("c1", now=10.25) == turn
    assert t.audio_out(turn, now=10.3, duration_ms=1000)
    stats = t.reply_done(turn)
    assert stats is not None
    assert stats.latency_ms == pytest.approx(400 + 300)
    assert stats.tool_ms == pytest.approx(50)
    assert t.phase.value == Phase.LISTENING.value


def test_speech_during_reply_is_a_barge_in_and_makes_the_old_reply_stale() -> None:
    t = TurnTracker()
    t.speech_started(0.0)
    turn = t.speech_ended(1.0, 400)
    assert t.audio_out(turn, 1.5, duration_ms=2000)
    assert t.speech_started(2.0) is True
    assert not t.audio_out(turn, 2.1, duration_ms=100)
    assert t.reply_done(turn) is None
    new = t.speech_ended(3.0, 400)
    assert new != turn and t.is_current(new)


def test_speech_while_produced_audio_still_plays_is_a_barge_in() -> None:
    t = TurnTracker()
    turn = t.speech_ended(0.0, 400)
    t.audio_out(turn, 0.5, duration_ms=3000)
    assert t.reply_done(turn) is not None  # produced, but plays until 3.5
    assert t.speech_started(2.0) is True


def test_speech_after_playback_ended_is_not_a_barge_in() -> None:
    t = TurnTracker()
    turn = t.speech_ended(0.0, 400)
    t.audio_out(turn, 0.5, duration_ms=1000)
    t.reply_done(turn)
    assert t.speech_started(5.0) is False


def test_barge_in_while_waiting_for_a_tool_drops_its_late_result() -> None:
    t = TurnTracker()
    turn = t.speech_ended(0.0, 400)
    t.tool_called(turn, "c1", 0.1)
    assert t.pending_call == "c1"
    assert t.speech_started(0.2) is True
    assert t.pending_call is None
    assert t.tool_returned("c1", 0.3) is None


def test_text_turn_interrupts_a_reply() -> None:
    t = TurnTracker()
    turn = t.speech_ended(0.0, 400)
    t.audio_out(turn, 0.1, 500)
    new, interrupted = t.text_received()
    assert interrupted is True
    assert t.is_current(new) and not t.is_current(turn)
    stats = None
    if t.audio_out(new, 1.0, 100):
        stats = t.reply_done(new)
    assert stats is not None and stats.latency_ms is None
