from __future__ import annotations

import asyncio

import anyio
import anyio.lowlevel
import numpy as np
import pytest

from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_24K, AudioFormat, MemorySink, MemorySource
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    Event,
    Interrupted,
    SessionClosed,
    SessionError,
    SessionStarted,
    ToolCall,
    ToolCallCancellation,
    ToolCancelled,
    ToolResult,
    TurnComplete,
    UserTranscript,
)
from voicelive.exceptions import ClosedError, ConnectError, UsageError
from voicelive.testing import Await, Fail, Responder, ScriptedBackend, ScriptedConnection
from voicelive.tools import ToolRegistry, tool

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def speech(ms: int, rate: int = 16000) -> bytes:
    n = rate * ms // 1000
    return (np.sin(np.arange(n) / 5) * 6000).astype("<i2").tobytes()


CALLS: list[str] = []


@tool
def add(a: int, b: int) -> int:
    """Add two numbers.

    Args:
        a: First.
        b: Second.
    """
    CALLS.append(f"{a}+{b}")
    return a + b




@tool
async def slow(x: int) -> int:
    """Wait for the test to release it.

    Args:
        x: Echoed back.
    """
    await anyio.sleep_forever()
    return x


async def collect(session: LiveSession, until: type[Event]) -> list[Event]:
    out: list[Event] = []
    with anyio.fail_after(10):
        async for ev in session:
            out.append(ev)
            if isinstance(ev, until):
                break
    return out


async def test_tool_turn_runs_tool_once_and_writes_reply_audio_exactly() -> None:
    CALLS.clear()
    reply = speech(200, 24000)
    backend = ScriptedBackend([
        Await(audio_bytes=16000),
        UserTranscript(text="add two and three"),
        ToolCall(id="c1", name="add", args={"a": 2, "b": "3"}),
        Await(tool_result="c1"),
        AudioOut(data=reply[:4800]),
        AudioOut(data=reply[4800:]),
        AssistantTranscript(text="five"),
        TurnComplete(),
    ])
    sink = MemorySink(PCM16_24K)
    src = MemorySource.from_bytes(speech(500), chunk_ms=25)
    async with LiveSession(backend, source=src, sink=sink, tools=ToolRegistry([add])) as s:
        events = await collect(s, TurnComplete)
    conn = backend.connections[0]
    assert CALLS == ["2+3"]
    assert conn.tool_results == [("c1", "add", {"output": 5})]
    assert sink.data == reply
    assert bytes(conn.audio) == speech(500)
    assert conn.audio_ended
    kinds = [type(e) for e in events]
    assert kinds[:3] == [SessionStarted, UserTranscript, ToolCall]
    result = next(e for e in events if isinstance(e, ToolResult))
    assert result.ok and result.result == 5
    done = events[-1]
    assert isinstance(done, TurnComplete) and done.chunks_out == 2
    assert done.latency_ms is not None and done.latency_ms >= 0
    assert conn.closed and sink.closed


async def test_the_backends_own_turn_measurements_reach_the_application() -> None:
    reply = speech(100, 24000)
    measured = TurnComplete(latency_ms=123.4)
    backend = ScriptedBackend([Await(audio_bytes=3200), AudioOut(data=reply), measured])
    sink = MemorySink(PCM16_24K)
    src = MemorySource.from_bytes(speech(200), chunk_ms=20)
    async with LiveSession(backend, source=src, sink=sink) as s:
        events = await collect(s, TurnComplete)
    turns = [e for e in events if isinstance(e, TurnComplete)]
    assert len(turns) == 1  # one per turn, the backend's
    (done,) = turns
    assert done.latency_ms == 123.4  # not replaced by the session's estimate
    assert done.chunks_out == 1 and done.chunks_in == 5  # what only the session counts
    full = TurnComplete(latency_ms=5.0, tool_ms=1.0, chunks_in=1, chunks_out=1, dropped_chunks=1)
    assert LiveSession(backend).tracker.on_turn_complete(full) is full  # passed through as is


async def test_input_is_resampled_and_chunked_to_16k() -> None:
    backend = ScriptedBackend([Await(audio_bytes=32000, audio_end=True), TurnComplete()])
    pcm48 = speech(1000, 48000)
    src = MemorySource.from_bytes(pcm48, AudioFormat(48000), chunk_ms=7)
    async with LiveSession(backend, SessionConfig(chunk_ms=20), source=src) as s:
        await collect(s, TurnComplete)
        assert s.stats.chunks_in == 50
    assert abs(len(backend.connections[0].audio) - 32000) <= 2


async def test_interruption_clears_sink_and_drops_rest_of_turn() -> None:
    backend = ScriptedBackend([
        AudioOut(data=b"\x01\x00" * 480),
        Interrupted(),
        AudioOut(data=b"\x02\x00" * 480),  # belongs to the interrupted turn: dropped
        TurnComplete(),
        UserTranscript(text="new question"),
        AudioOut(data=b"\x03\x00" * 480),
        TurnComplete(),
    ])
    sink = MemorySink(PCM16_24K)
    async with LiveSession(backend, sink=sink) as s:
        first = await collect(s, TurnComplete)
        second = await collect(s, TurnComplete)
    assert any(isinstance(e, Interrupted) for e in first)
    assert sink.log == [("write", 960), ("clear", 0), ("write", 960)]
    assert sink.data == b"\x01\x00" * 480 + b"\x03\x00" * 480
    t1 = first[-1]
    assert isinstance(t1, TurnComplete) and t1.dropped_chunks == 1
    assert isinstance(second[-1], TurnComplete) and second[-1].chunks_out == 1
    assert s.stats.interruptions == 1


async def test_unknown_tool_and_bad_args_get_error_results_and_session_goes_on() -> None:
    backend = ScriptedBackend([
        ToolCall(id="u1", name="nope", args={}),
        Await(tool_result="u1"),
        ToolCall(id="b1", name="add", args={"a": "x", "b": 1}),
        Await(tool_result="b1"),
        TurnComplete(),
    ])
    async with LiveSession(backend, tools=ToolRegistry([add])) as s:
        events = await collect(s, TurnComplete)
    results = [e for e in events if isinstance(e, ToolResult)]
    assert [r.ok for r in results] == [False, False]
    assert results[0].error is not None and "nope" in results[0].error["message"]
    assert results[1].error is not None and "a" in results[1].error["message"]
    sent = backend.connections[0].tool_results
    assert [r[0] for r in sent] == ["u1", "b1"]
    assert all("error" in r[2] for r in sent)


async def test_cancellation_cancels_task_and_sends_no_result() -> None:
    backend = ScriptedBackend([
        ToolCall(id="s1", name="slow", args={"x": 1}),
        ToolCallCancellation(ids=("s1",)),
        TurnComplete(),
    ])
    async with LiveSession(backend, tools=ToolRegistry([slow])) as s:
        events = await collect(s, ToolCancelled)
        assert s.tracker.blocking_tools == set()
    assert events[-1] == ToolCancelled(id="s1", name="slow")
    assert backend.connections[0].tool_results == []


async def test_blocking_tool_pauses_input_and_counts_dropped_chunks() -> None:
    backend = ScriptedBackend([
        ToolCall(id="s1", name="slow", args={"x": 1}),
        Await(audio_end=True),
        AssistantTranscript(text="input ended"),
    ])
    src = MemorySource(max_chunks=64)
    async with LiveSession(backend, source=src, tools=ToolRegistry([slow])) as s:
        await collect(s, ToolCall)
        assert s.tracker.blocking_tools == {"s1"}  # set before the event reached us
        for _ in range(5):
            await src.push(speech(40))
        src.end()
        await collect(s, AssistantTranscript)
        assert s.stats.dropped_in == 5
        assert s.stats.chunks_in == 0
    assert bytes(backend.connections[0].audio) == b""


async def test_backend_failure_ends_session_with_error_and_closes_everything() -> None:
    backend = ScriptedBackend([Fail("model went away", retryable=False)])
    sink = MemorySink()
    src = MemorySource()
    async with LiveSession(backend, source=src, sink=sink) as s:
        events = await collect(s, SessionClosed)
    assert isinstance(events[-2], SessionError)
    assert events[-2].message == "model went away"
    closed = events[-1]
    assert isinstance(closed, SessionClosed) and "model went away" in closed.reason
    assert sink.closed and s.error is not None


async def test_close_leaves_no_task_behind_and_cannot_reenter() -> None:
    before = len(asyncio.all_tasks())
    backend = ScriptedBackend([])
    session = LiveSession(backend, source=MemorySource(), sink=MemorySink())
    async with session as s:
        await s.close()
        events = [e async for e in s]
    assert isinstance(events[-1], SessionClosed) and events[-1].reason == "closed"
    assert len(asyncio.all_tasks()) == before
    with pytest.raises(UsageError):
        async with session:
            pass


async def test_send_text_reaches_backend_and_empty_text_is_refused() -> None:
    backend = ScriptedBackend([Await(texts=1), AssistantTranscript(text="hi"), TurnComplete()])
    async with LiveSession(backend) as s:
        with pytest.raises(UsageError, match="non-empty"):
            await s.send_text("  ")
        await s.send_text("hello")
        events = await collect(s, TurnComplete)
    assert backend.connections[0].texts == ["hello"]
    assert AssistantTranscript(text="hi") in events


async def test_connect_failure_raises_our_error_unwrapped_and_closes_the_source() -> None:
    from contextlib import asynccontextmanager

    from voicelive.exceptions import ConnectError

    class Refusing(ScriptedBackend):
        @asynccontextmanager
        async def connect(self, config, tools):  # type: ignore[no-untyped-def]
            raise ConnectError("no setupComplete within 0.1 s")
            yield  # pragma: no cover

    src = MemorySource()
    with pytest.raises(ConnectError, match="setupComplete"):
        async with LiveSession(Refusing([]), source=src):
            pass
    with pytest.raises(ClosedError):
        await src.push(b"\x00\x00")


async def test_the_shared_fake_answers_plays_pushed_steps_and_keeps_state() -> None:
    class Echo(Responder):
        def on_text(self, conn: ScriptedConnection, text: str) -> list[Event]:
            conn.state["heard"] = conn.state.get("heard", 0) + 1
            return [AssistantTranscript(text=f"you said: {text}"), TurnComplete()]

    backend = ScriptedBackend(responder=Echo)
    config = SessionConfig(resume_state={"heard": 2})
    async with LiveSession(backend, config) as s:
        await s.send_text("is there any soup left")
        events = await collect(s, TurnComplete)
        conn = backend.connections[0]
        assert AssistantTranscript(text="you said: is there any soup left") in events
        assert conn.export_state() == {"heard": 3}  # resumed from resume_state
        conn.push(AssistantTranscript(text="one more thing"), TurnComplete())
        pushed = await collect(s, TurnComplete)
        assert AssistantTranscript(text="one more thing") in pushed
        conn.finish()  # the backend ends its events: the session closes
        rest = await collect(s, SessionClosed)
    assert rest[-1] == SessionClosed(reason="backend closed")
    backend.fail_connect = ConnectError("no more sessions", retryable=True)
    with pytest.raises(ConnectError):
        async with LiveSession(backend):
            pass
