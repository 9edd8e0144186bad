"""Faults of the Gemini backend against LiveEmulator: goAway, drops, fatal closes, timeouts.

docs/reliability.md describes each fault and points at the test that shows it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from gemini_helpers import (
    StandInTools,
    all_closed,
    audio_of,
    connected,
    next_of,
    no_leaks,
    pcm,
    until_turn_complete,
)

from voicelive.config import SessionConfig
from voicelive.events import (
    Event,
    GoAway,
    Resumed,
    SessionError,
    ToolCall,
    ToolCallCancellation,
    TurnComplete,
)
from voicelive.exceptions import ClosedError, ConnectError, ConnectionClosedError
from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import Close, on_audio, on_audio_end, on_setup, on_tool_response


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_go_away_resumes_with_last_resumable_handle() -> None:
    reply = pcm(1200, seed=5)
    script = [
        on_setup(
            m.resumption_update("h1"),
            m.resumption_update("h2-not-resumable", resumable=False),
            m.go_away(10),
        ),
        on_setup(m.audio(reply), m.turn_complete()),
    ]
    async with no_leaks(), connected(script) as (emu, conn):
        events = conn.events()
        assert await anext(events) == GoAway(time_left_s=10.0)
        assert await anext(events) == Resumed(handle="h1")
        assert audio_of(await until_turn_complete(events)) == reply
        assert [s.get("session_resumption") for s in emu.setups] == [{}, {"handle": "h1"}]
        assert conn.handovers == 1 and emu.connections == 2


@pytest.mark.anyio
async def test_go_away_waits_for_tool_result_and_buffers_audio_during_handover() -> None:
    a, b, c = pcm(320, 1), pcm(640, 2), pcm(960, 3)
    reply = pcm(2000, seed=9)
    script = [
        on_setup(m.resumption_update("h1")),
        on_audio(
            len(a),
            m.tool_call("c1", "add", {"a": 1, "b": 2}),
            m.resumption_update("h1b", resumable=False),
            m.go_away(30),
        ),
        on_tool_response(
            "c1", m.resumption_update("h2"), m.resumption_update("h3", resumable=False)
        ),
        on_setup(),
        on_audio(len(b) + len(c), m.audio(reply), m.turn_complete()),
    ]
    async with no_leaks(), connected(script) as (emu, conn):
        events = conn.events()
        await conn.send_audio(a)
        call = await next_of(events, ToolCall)
        assert await anext(events) == GoAway(time_left_s=30.0)
        assert emu.connections == 1  # a tool call is in flight: no hand-over yet

        emu.hold_setup()
        await conn.send_tool_result(call.id, call.name, {"output": 3})
        await emu.wait_for(lambda e: len(e.setups) == 2)
        await conn.send_audio(b)  # the new socket is not set up: held in the backlog
        emu.release_setup()
        assert await next_of(events, Resumed) == Resumed(handle="h2")
        await conn.send_audio(c)
        assert audio_of(await until_turn_complete(events)) == reply

        assert emu.setups[1]["session_resumption"] == {"handle": "h2"}
        assert emu.audio(connection=1) == a
        assert emu.audio(connection=2) == b + c
        assert [r["id"] for r in emu.tool_responses()] == ["c1"]
        assert emu.tool_responses(connection=1) == emu.tool_responses()
        assert conn.dropped_audio_chunks == 0


@pytest.mark.anyio
@pytest.mark.parametrize("code", [1011, 1006])
async def test_retryable_close_mid_turn_reconnects_and_resumes(code: int) -> None:
    part1, part2 = pcm(800, 1), pcm(1600, 2)
    script = [
        on_setup(m.resumption_update("h1")),
        on_audio(320, m.audio(part1), close=Close(code, "Internal error encountered.")),
        on_setup(m.audio(part2), m.turn_complete()),
    ]
    async with no_leaks(), connected(script) as (emu, conn):
        events = conn.events()
        await conn.send_audio(pcm(320))
        turn = await until_turn_complete(events)
        assert audio_of(turn) == part1 + part2
        errors = [e for e in turn if isinstance(e, SessionError)]
        assert [(e.code, e.retryable) for e in errors] == [(f"closed_{code}", True)]
        assert Resumed(handle="h1") in turn
        assert emu.setups[1]["session_resumption"] == {"handle": "h1"}
        assert conn.reconnects == 1 and emu.connections == 2


@pytest.mark.anyio
@pytest.mark.parametrize("code", [1007, 1008])
async def test_fatal_close_fails_fast_with_code_and_reason(code: int) -> None:
    reason = "Request contains an invalid argument."
    script = [on_audio(320, close=Close(code, reason))]
    async with no_leaks(), connected(script) as (emu, conn):
        await conn.send_audio(pcm(320))
        with pytest.raises(ConnectionClosedError) as caught:
            async for _ in conn.events():
                pass
        assert (caught.value.code, caught.value.reason) == (code, reason)
        assert caught.value.retryable is False
        with pytest.raises(ConnectionClosedError):
            await conn.send_audio(pcm(320))
        assert emu.connections == 1


@pytest.mark.anyio
async def test_reconnects_stop_after_max_reconnects() -> None:
    config = SessionConfig(max_reconnects=2)
    script = [on_setup(close=Close(1011, "overloaded")) for _ in range(4)]
    async with no_leaks(), connected(script, config) as (emu, conn):
        with pytest.raises(ConnectionClosedError) as caught:
            async for _ in conn.events():
                pass
        assert caught.value.code == 1011
        assert emu.connections == 3


@pytest.mark.anyio
async def test_no_setup_complete_is_a_connect_error_and_closes_the_socket() -> None:
    config = SessionConfig(setup_timeout_s=0.3)
    async with no_leaks(), LiveEmulator(answer_setup=False) as emu:
        with pytest.raises(ConnectError, match="setupComplete"):
            async with emu.backend().connect(config, StandInTools()):
                raise AssertionError("connected without setupComplete")
        await all_closed(emu)
        assert len(emu.setups) == 1


@pytest.mark.anyio
async def test_tool_cancellation_lets_the_handover_go_without_a_result() -> None:
    script = [
        on_setup(m.resumption_update("h1")),
        on_audio(
            320,
            m.tool_call("c1", "add", {"a": 1, "b": 1}),
            m.go_away(30),
            m.tool_call_cancellation("c1"),
            m.resumption_update("h2"),
        ),
        on_setup(m.turn_complete()),
    ]
    async with no_leaks(), connected(script) as (emu, conn):
        events = conn.events()
        await conn.send_audio(pcm(320))
        assert (await next_of(events, ToolCall)).id == "c1"
        assert await next_of(events, ToolCallCancellation) == ToolCallCancellation(ids=("c1",))
        assert await next_of(events, Resumed) == Resumed(handle="h2")
        await until_turn_complete(events)
        assert emu.tool_responses() == []
        assert emu.setups[1]["session_resumption"] == {"handle": "h2"}


@pytest.mark.anyio
async def test_go_away_forces_the_handover_when_time_runs_out() -> None:
    script = [
        on_setup(m.resumption_update("h1")),
        on_audio(320, m.tool_call("c1", "add", {"a": 1, "b": 2}), m.go_away(0.2)),
        on_setup(),
        on_tool_response("c1", m.turn_complete()),
    ]
    async with no_leaks(), connected(script) as (emu, conn):
        events = conn.events()
        await conn.send_audio(pcm(320))
        call = await next_of(events, ToolCall)
        # The tool is still running when the deadline comes: the backend hands over anyway.
        assert await next_of(events, Resumed) == Resumed(handle="h1")
        await conn.send_tool_result(call.id, call.name, {"output": 3})
        await until_turn_complete(events)
        assert [(r["id"], r["name"]) for r in emu.tool_responses(connection=2)] == [("c1", "add")]
        assert emu.tool_responses(connection=1) == []


@pytest.mark.anyio
async def test_audio_sent_while_reconnecting_arrives_on_the_new_connection() -> None:
    a, b = pcm(320, 1), pcm(640, 2)
    script = [
        on_setup(m.resumption_update("h1")),
        on_audio(len(a), close=Close(1011, "Internal error encountered.")),
        on_setup(),
        on_audio(len(b), m.turn_complete()),
    ]
    async with no_leaks(), connected(script) as (emu, conn):
        events = conn.events()
        emu.hold_setup()
        await conn.send_audio(a)
        error = await next_of(events, SessionError)
        assert error.retryable
        await emu.wait_for(lambda e: len(e.setups) == 2)
        await conn.send_audio(b)
        emu.release_setup()
        assert await next_of(events, Resumed) == Resumed(handle="h1")
        await until_turn_complete(events)
        assert (emu.audio(connection=1), emu.audio(connection=2)) == (a, b)


@pytest.mark.anyio
async def test_go_away_event_reports_the_time_left() -> None:
    script = [on_setup(m.go_away(42)), on_setup(m.turn_complete())]
    async with no_leaks(), connected(script) as (_emu, conn):
        events = conn.events()
        assert await anext(events) == GoAway(time_left_s=42.0)
        await until_turn_complete(events)
        assert conn.handovers == 1


@pytest.mark.anyio
@pytest.mark.parametrize("code", [1000, 1011])
async def test_close_after_go_away_hands_over_instead_of_ending(code: int) -> None:
    # 1011 is how the service ends a connection whose goAway deadline expired.
    reason = "" if code == 1000 else "Deadline expired before operation could complete."
    script = [
        on_setup(
            m.resumption_update("h1"),
            m.tool_call("c1", "add", {"a": 1, "b": 1}),
            m.go_away(30),
            close=Close(code, reason),
        ),
        on_setup(m.turn_complete()),
    ]
    async with no_leaks(), connected(script) as (emu, conn):
        events = conn.events()
        seen = [e async for e in _until_resumed(events)]
        assert seen[-1] == Resumed(handle="h1")
        assert not [e for e in seen if isinstance(e, SessionError)]  # an announced end
        await until_turn_complete(events)
        assert emu.connections == 2 and conn.reconnects == 0 and conn.handovers == 1


async def _until_resumed(events: AsyncIterator[Event]) -> AsyncIterator[Event]:
    async for event in events:
        yield event
        if isinstance(event, Resumed):
            return


@pytest.mark.anyio
async def test_normal_close_ends_events_and_later_sends_fail() -> None:
    script = [on_setup(m.turn_complete(), close=Close(1000, "session over"))]
    async with no_leaks(), connected(script) as (emu, conn):
        seen = [event async for event in conn.events()]
        assert seen == [TurnComplete()]
        with pytest.raises(ClosedError):
            await conn.send_audio(pcm(2))
        assert emu.connections == 1


@pytest.mark.anyio
async def test_config_handle_resumes_an_earlier_conversation() -> None:
    config = SessionConfig(resumption_handle="from-yesterday")
    async with no_leaks(), connected([], config) as (emu, conn):
        assert await anext(conn.events()) == Resumed(handle="from-yesterday")
        assert emu.setups[0]["session_resumption"] == {"handle": "from-yesterday"}


@pytest.mark.anyio
@pytest.mark.parametrize("model", ["gemini-2.5-flash-native-audio-preview-09-2025",
                                   "gemini-3.8-live"])
async def test_audio_streamed_through_a_go_away_reaches_the_service_exactly_once(
    model: str,
) -> None:
    chunks = [pcm(640, seed=i) for i in range(30)]
    script = [
        on_audio(3200, m.resumption_update("h1"), m.go_away(5.0)),
        on_setup(),
        on_audio_end(m.turn_complete()),
    ]
    async with no_leaks(), connected(script, SessionConfig(model=model)) as (emu, conn):
        events = conn.events()
        for chunk in chunks[:10]:
            await conn.send_audio(chunk)
        assert await next_of(events, GoAway) == GoAway(time_left_s=5.0)
        for chunk in chunks[10:20]:  # after goAway: held, for the next connection
            await conn.send_audio(chunk)
        assert await next_of(events, Resumed) == Resumed(handle="h1")
        for chunk in chunks[20:]:
            await conn.send_audio(chunk)
        await conn.end_audio()
        await until_turn_complete(events)
        first, second = emu.audio(connection=1), emu.audio(connection=2)
        assert first + second == b"".join(chunks)  # every byte once, in order: none lost
        assert 3200 <= len(first) <= 6400 and conn.handovers == 1  # after goAway: held
        assert conn.dropped_audio_chunks == 0
