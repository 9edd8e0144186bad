"""LiveSession over the real google-genai client against LiveEmulator (TLS, 127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import anyio
import pytest
from gemini_helpers import FAST, no_leaks
from gemini_helpers import noise_reply as reply
from gemini_helpers import tone as speech

from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_16K, PCM16_24K, MemorySink, MemorySource, write_wav
from voicelive.events import (
    Event,
    GoAway,
    Interrupted,
    Resumed,
    SessionClosed,
    SessionError,
    ToolCancelled,
    ToolResult,
    TurnComplete,
)
from voicelive.exceptions import ConnectionClosedError
from voicelive.testing import Close, LiveEmulator, messages, on_audio, on_tool_response, then
from voicelive.tools import ToolRegistry, tool

pytestmark = pytest.mark.anyio

RUNS: list[dict[str, object]] = []


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@tool
def missed_meal(meal: str) -> dict[str, str]:
    """Record a missed meal.

    Args:
        meal: Which meal.
    """
    RUNS.append({"meal": meal})
    return {"summary": f"moved {meal} to later meals"}


@tool
async def wait_forever(seconds: int) -> int:
    """Never returns on its own.

    Args:
        seconds: Ignored.
    """
    await anyio.sleep_forever()
    return seconds


TOOLS = ToolRegistry([missed_meal, wait_forever])


async def until(session: LiveSession, kind: type[Event]) -> list[Event]:
    seen: list[Event] = []
    with anyio.fail_after(15):  # deadlock guard
        async for ev in session:
            seen.append(ev)
            if isinstance(ev, kind):
                return seen
    raise AssertionError(f"session ended before {kind.__name__}: {seen}")


async def test_tool_turn_end_to_end() -> None:
    RUNS.clear()
    audio = reply(300, 1)
    script = [
        on_audio(16000, messages.input_transcript("I missed lunch", finished=True),
                 messages.tool_call("call-1", "missed_meal", {"meal": "lunch"})),
        on_tool_response("call-1", messages.audio(audio[:7200]), messages.audio(audio[7200:]),
                         messages.output_transcript("Done."), messages.turn_complete()),
    ]
    async with no_leaks(), LiveEmulator(script, profile="scripted") as emu:
        sink = MemorySink(PCM16_24K)
        src = MemorySource.from_bytes(speech(600), chunk_ms=20)
        config = SessionConfig(chunk_ms=20, input_policy="listen")  # byte-exact audio
        async with LiveSession(emu.backend(backoff=FAST), config,
                               source=src, sink=sink, tools=TOOLS) as s:
            events = await until(s, TurnComplete)
        chunks = [r for r in emu.received if r.kind == "realtime_input" and "audio" in r.body]
        assert {c.body["audio"]["mime_type"] for c in chunks} == {"audio/pcm;rate=16000"}
        assert emu.audio() == speech(600)
        assert RUNS == [{"meal": "lunch"}]
        responses = emu.tool_responses()
        assert [(r["id"], r["name"]) for r in responses] == [("call-1", "missed_meal")]
        assert responses[0]["response"]["output"]["summary"] == "moved lunch to later meals"
        assert sink.data == audio
        result = next(e for e in events if isinstance(e, ToolResult))
        assert result.ok and result.id == "call-1"


async def test_interruption_clears_sink_and_drops_the_rest_of_the_turn() -> None:
    first, late, second = reply(100, 2), reply(100, 3), reply(100, 4)
    script = [
        on_audio(3200, messages.audio(first), messages.interrupted(), messages.audio(late),
                 messages.turn_complete()),
        on_audio(3200, messages.input_transcript("and dinner?", finished=True),
                 messages.audio(second), messages.turn_complete()),
    ]
    async with no_leaks(), LiveEmulator(script, profile="scripted") as emu:
        sink = MemorySink(PCM16_24K)
        src = MemorySource()
        async with LiveSession(emu.backend(backoff=FAST), source=src, sink=sink) as s:
            await src.push(speech(120))  # three whole 40 ms chunks
            one = await until(s, TurnComplete)
            await src.push(speech(120))  # three whole 40 ms chunks
            await until(s, TurnComplete)
    assert any(isinstance(e, Interrupted) for e in one)
    assert sink.log == [("write", len(first)), ("clear", 0), ("write", len(second))]
    assert late not in sink.data


async def test_cancellation_cancels_the_tool_and_sends_no_response() -> None:
    script = [
        on_audio(3200, messages.tool_call("slow-1", "wait_forever", {"seconds": 5})),
        then(messages.tool_call_cancellation("slow-1"), messages.turn_complete()),
    ]
    async with no_leaks(), LiveEmulator(script, profile="scripted") as emu:
        async with LiveSession(emu.backend(backoff=FAST),
                               source=MemorySource.from_bytes(speech(100)), tools=TOOLS) as s:
            events = await until(s, TurnComplete)
        assert ToolCancelled(id="slow-1", name="wait_forever") in events
        assert emu.tool_responses() == []


async def test_unknown_tool_and_bad_arguments_get_error_results() -> None:
    script = [
        on_audio(3200, messages.tool_call("u-1", "launch_rocket", {}),
                 messages.tool_call("b-1", "missed_meal", {"meal": ["not", "a", "string"]})),
        on_tool_response("b-1", messages.turn_complete()),
    ]
    async with no_leaks(), LiveEmulator(script, profile="scripted") as emu:
        async with LiveSession(emu.backend(backoff=FAST),
                               source=MemorySource.from_bytes(speech(100)), tools=TOOLS) as s:
            events = await until(s, TurnComplete)
        by_id = {r["id"]: r["response"] for r in emu.tool_responses()}
        assert "launch_rocket" in by_id["u-1"]["error"]["message"]
        assert "meal" in by_id["b-1"]["error"]["message"]
    assert [e.ok for e in events if isinstance(e, ToolResult)] == [False, False]


async def test_three_turns_on_one_connection() -> None:
    audios = [reply(60, i) for i in range(3)]
    script = [on_audio(3200, messages.audio(a), messages.turn_complete()) for a in audios]
    async with no_leaks(), LiveEmulator(script) as emu:
        sink = MemorySink(PCM16_24K)
        src = MemorySource()
        async with LiveSession(emu.backend(backoff=FAST), source=src, sink=sink) as s:
            for _ in range(3):
                await src.push(speech(120))  # three whole 40 ms chunks
                await until(s, TurnComplete)
        assert emu.connections == 1
    assert sink.data == b"".join(audios)


async def test_go_away_hands_over_and_the_conversation_continues() -> None:
    script = [
        on_audio(3200, messages.resumption_update("handle-1"),
                 messages.resumption_update("handle-2", resumable=False),
                 messages.go_away(5.0)),
        on_audio(3200, messages.audio(reply(50, 9)), messages.turn_complete()),
    ]
    async with no_leaks(), LiveEmulator(script) as emu:
        src = MemorySource()
        async with LiveSession(emu.backend(backoff=FAST), source=src) as s:
            await src.push(speech(120))  # three whole 40 ms chunks
            before = await until(s, Resumed)
            await src.push(speech(120))
            await until(s, TurnComplete)
        assert GoAway(time_left_s=5.0) in before
        assert before[-1] == Resumed(handle="handle-1")
        assert emu.connections == 2
        assert emu.setups[1].get("session_resumption", {}).get("handle") == "handle-1"


async def test_close_1011_reconnects_and_1007_fails_fast_with_reason() -> None:
    script = [
        on_audio(3200, messages.resumption_update("h-9"), close=Close(1011, "internal")),
        on_audio(3200, messages.audio(reply(50, 5)), messages.turn_complete()),
    ]
    async with no_leaks(), LiveEmulator(script) as emu:
        src = MemorySource()
        async with LiveSession(emu.backend(backoff=FAST), source=src) as s:
            await src.push(speech(120))  # three whole 40 ms chunks
            assert (await until(s, Resumed))[-1] == Resumed(handle="h-9")
            await src.push(speech(120))
            await until(s, TurnComplete)
        assert emu.connections == 2
        assert emu.setups[1].get("session_resumption", {}).get("handle") == "h-9"

    bad = [on_audio(3200, close=Close(1007, "Request contains an invalid argument."))]
    async with no_leaks(), LiveEmulator(bad) as emu:
        async with LiveSession(emu.backend(backoff=FAST),
                               source=MemorySource.from_bytes(speech(100))) as s:
            events = await until(s, SessionClosed)
        assert emu.connections == 1
    err = next(e for e in events if isinstance(e, SessionError))
    assert err.code == "1007" and "invalid argument" in err.message and not err.retryable
    assert isinstance(s.error, ConnectionClosedError) and s.error.code == 1007


def test_cli_ask_with_gemini_backend_against_the_emulator(tmp_path: Path) -> None:
    audio = reply(200, 7)
    script = [
        on_audio(16000, messages.input_transcript("I missed lunch", finished=True),
                 messages.tool_call("c-1", "missed_meal", {"meal": "lunch"})),
        on_tool_response("c-1", messages.audio(audio), messages.output_transcript("Moved it."),
                         messages.turn_complete()),
    ]
    write_wav(tmp_path / "q.wav", speech(800), PCM16_16K)
    with LiveEmulator(script, profile="scripted") as emu:
        env = {**os.environ, **emu.env(), "VOICELIVE_DATA_DIR": str(tmp_path)}
        out = subprocess.run(
            [sys.executable, "-m", "voicelive.cli", "ask", str(tmp_path / "q.wav"),
             "--out", str(tmp_path / "r.wav"), "--events", str(tmp_path / "ev.jsonl"),
             "--db", str(tmp_path / "n.sqlite")],
            env=env, capture_output=True, text=True, timeout=120,
        )
    assert out.returncode == 0, out.stderr
    kinds = [json.loads(line)["type"] for line in (tmp_path / "ev.jsonl").read_text().splitlines()]
    assert kinds[0] == "session_started" and kinds[-1] == "session_closed"
    for k in ("user_transcript", "tool_call", "tool_result", "assistant_transcript",
              "turn_complete"):
        assert k in kinds
    first = json.loads((tmp_path / "ev.jsonl").read_text().splitlines()[0])
    assert first["backend"] == "gemini"
    from voicelive.audio import read_wav

    data, fmt = read_wav(tmp_path / "r.wav")
    assert data == audio and fmt.sample_rate == 24000
