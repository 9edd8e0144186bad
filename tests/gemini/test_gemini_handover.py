"""The Gemini backend's hand-over and reconnect decisions, driven directly (no sockets)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicelive.backends.gemini.handover import (
    Backlog,
    Backoff,
    HandoverPlanner,
    RetryBudget,
    close_is_retryable,
    parse_duration,
)


@pytest.mark.parametrize("code", [1001, 1006, 1011, 1012, 1013, 1014])
def test_transient_closes_are_retryable(code: int) -> None:
    assert close_is_retryable(code)


@pytest.mark.parametrize("code", [1000, 1002, 1003, 1007, 1008, 1009, 1010, 4000])
def test_other_closes_are_not_retryable(code: int) -> None:
    assert not close_is_retryable(code)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5s", 5.0), ("1.5s", 1.5), (" 30s ", 30.0), ("0s", 0.0), (".5s", 0.5), ("7", 7.0)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_parse_duration_unreadable_uses_default() -> None:
    assert parse_duration("soon", default=2.0) == 2.0
    assert parse_duration(None, default=3.0) == 3.0
    assert parse_duration(4) == 4.0


def test_backoff_grows_and_is_capped() -> None:
    backoff = Backoff(base_s=0.5, factor=2.0, cap_s=3.0)
    top = [backoff.delay(a, rand=lambda: 0.999999) for a in range(6)]
    low = [backoff.delay(a, rand=lambda: 0.0) for a in range(6)]
    assert low == [0.25, 0.5, 1.0, 1.5, 1.5, 1.5]
    assert top == pytest.approx([0.5, 1.0, 2.0, 3.0, 3.0, 3.0], rel=1e-5)


@given(attempt=st.integers(0, 50), r=st.floats(0.0, 0.999999))
def test_backoff_stays_between_half_and_full_ceiling(attempt: int, r: float) -> None:
    backoff = Backoff()
    ceiling = min(backoff.cap_s, backoff.base_s * backoff.factor**attempt)
    assert ceiling / 2 <= backoff.delay(attempt, rand=lambda: r) <= ceiling


def test_retry_budget_counts_attempts_per_window_whatever_arrives_between() -> None:
    budget = RetryBudget(limit=2, window_s=60.0)
    assert budget.spend(0.0) and budget.spend(10.0)
    assert not budget.spend(59.0)  # a healthy message in between changes nothing
    assert budget.attempts == 2 and budget.total == 2
    assert budget.spend(60.5)  # the first attempt left the window
    assert not budget.spend(61.0)
    assert budget.spend(200.0) and budget.total == 4
    assert RetryBudget(limit=0).spend(0.0) is False


def test_no_handover_without_go_away() -> None:
    planner = HandoverPlanner()
    planner.on_resumption_update("h1", resumable=True)
    assert not planner.handover_due(now=100.0)
    assert planner.seconds_until_forced(100.0) == math.inf


def test_go_away_hands_over_at_once_when_idle() -> None:
    planner = HandoverPlanner()
    planner.on_resumption_update("h1", resumable=True)
    planner.on_go_away(10.0, now=0.0)
    assert planner.handover_due(now=0.0)
    assert planner.handle == "h1"


def test_non_resumable_handle_is_never_used() -> None:
    planner = HandoverPlanner()
    planner.on_resumption_update("h1", resumable=True)
    planner.on_resumption_update("h2", resumable=False)
    planner.on_resumption_update(None, resumable=True)
    assert planner.handle == "h1"


def test_tool_in_flight_waits_for_result_and_a_fresh_resumable_handle() -> None:
    planner = HandoverPlanner()
    planner.on_resumption_update("h1", resumable=True)
    planner.on_tool_calls(["c1"])
    planner.on_go_away(30.0, now=0.0)
    assert not planner.handover_due(now=1.0)
    planner.on_resumption_update("h-during-call", resumable=True)
    assert not planner.handover_due(now=2.0)  # the result is still missing
    planner.on_tool_result("c1")
    assert not planner.handover_due(now=3.0)  # no handle covers the result yet
    planner.on_resumption_update("h2", resumable=False)
    assert not planner.handover_due(now=4.0)
    planner.on_resumption_update("h3", resumable=True)
    assert planner.handover_due(now=5.0)
    assert planner.handle == "h3"


def test_tool_in_flight_is_overruled_when_time_runs_out() -> None:
    planner = HandoverPlanner(margin_s=1.0)
    planner.on_tool_calls(["c1"])
    planner.on_go_away(10.0, now=100.0)
    assert planner.seconds_until_forced(100.0) == pytest.approx(9.0)
    assert not planner.handover_due(now=108.9)
    assert planner.handover_due(now=109.0)
    assert planner.pending_calls == {"c1"}


def test_short_go_away_keeps_half_of_the_time() -> None:
    planner = HandoverPlanner(margin_s=1.0)
    planner.on_tool_calls(["c1"])
    planner.on_go_away(0.5, now=0.0)
    assert planner.seconds_until_forced(0.0) == pytest.approx(0.25)


def test_cancellation_releases_the_handover_after_a_resumable_handle() -> None:
    planner = HandoverPlanner()
    planner.on_tool_calls(["c1", "c2"])
    planner.on_go_away(30.0, now=0.0)
    planner.on_tool_cancelled(["c1", "c2"])
    assert not planner.handover_due(now=0.0)
    planner.on_resumption_update("h9", resumable=True)
    assert planner.handover_due(now=0.0)


def test_new_connection_forgets_go_away_but_keeps_pending_calls() -> None:
    planner = HandoverPlanner()
    planner.on_tool_calls(["c1"])
    planner.on_go_away(1.0, now=0.0)
    assert planner.handover_due(now=5.0)
    planner.on_connected()
    assert not planner.going_away
    assert not planner.handover_due(now=6.0)
    assert planner.pending_calls == {"c1"}


def test_backlog_keeps_order_and_drops_oldest_audio_only() -> None:
    backlog: Backlog[str] = Backlog(max_audio_bytes=10)
    backlog.push("a1", audio_bytes=4)
    backlog.push("tool-result")
    backlog.push("a2", audio_bytes=4)
    assert backlog.push("a3", audio_bytes=4) == 1
    assert (backlog.dropped_chunks, backlog.dropped_bytes) == (1, 4)
    assert backlog.audio_bytes == 8
    drained = []
    while (entry := backlog.pop()) is not None:
        drained.append(entry[0])
    assert drained == ["tool-result", "a2", "a3"]
    assert backlog.audio_bytes == 0


def test_backlog_rejects_a_chunk_larger_than_its_capacity() -> None:
    backlog: Backlog[str] = Backlog(max_audio_bytes=10)
    assert backlog.push("huge", audio_bytes=11) == 1
    assert len(backlog) == 0 and backlog.dropped_bytes == 11


def test_backlog_unpop_restores_the_front() -> None:
    backlog: Backlog[str] = Backlog()
    backlog.push("x", audio_bytes=2)
    backlog.push("y")
    entry = backlog.pop()
    assert entry == ("x", 2)
    backlog.unpop(entry)
    assert backlog.audio_bytes == 2 and backlog.pop() == ("x", 2)


@given(sizes=st.lists(st.integers(1, 50), max_size=60), cap=st.integers(1, 200))
def test_backlog_never_exceeds_capacity_and_accounts_for_every_byte(
    sizes: list[int], cap: int
) -> None:
    backlog: Backlog[int] = Backlog(max_audio_bytes=cap)
    for i, size in enumerate(sizes):
        backlog.push(i, audio_bytes=size)
        assert backlog.audio_bytes <= cap
    assert backlog.audio_bytes + backlog.dropped_bytes == sum(sizes)
