"""Each model family end to end: the real google-genai client against LiveEmulator.

A tool turn delivers the whole reply through LiveSession, ``voicelive ask --backend gemini``
and the page's server, whether the service sends ``turnComplete`` right after the ``toolCall``
(2.5 native audio) or only after the answer (3.x); typed text reaches a 3.x model as realtime
input.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import numpy as np
import pytest
from gemini_helpers import (
    FAST,
    audio_of,
    connected,
    next_of,
    no_leaks,
    until_turn_complete,
)
from gemini_helpers import noise_reply as reply
from gemini_helpers import tone as speech

from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_16K, PCM16_24K, MemorySink, MemorySource, read_wav, write_wav
from voicelive.config import HistoryTurn
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    Event,
    Resumed,
    SessionError,
    ToolCall,
    ToolCancelled,
    ToolResult,
    TurnComplete,
)
from voicelive.testing import (
    LiveEmulator,
    Step,
    messages,
    on_audio,
    on_audio_end,
    on_setup,
    on_text,
    on_tool_response,
)
from voicelive.tools import ToolRegistry, tool

MODELS = {
    "2.5": "gemini-2.5-flash-native-audio-preview-09-2025",
    "3.x": "gemini-3.8-live",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@tool(thread=False)
def skipped_meal(meal: str) -> dict[str, str]:
    """Record that the user skipped a meal.

    Args:
        meal: Which meal.
    """
    return {"summary": f"{meal} moved to later meals"}


TOOLS = ToolRegistry([skipped_meal])


PROFILES = {"2.5": "gemini-2.5", "3.x": "gemini-3"}


def tool_turn(audio: bytes, *, after: int = 16000) -> list[Step]:
    """The conversation of a tool turn, written once for every family.

    The emulator's profile, chosen from the model in ``setup``, adds what the family's service
    adds: on 2.5 a ``turnComplete`` right after the ``toolCall``; on 3.x none until the answer
    to the tool's response, several parts per message, usage on ``turnComplete``.
    """
    call = [messages.input_transcript("uh, I think I skipped lunch today", finished=True),
            messages.tool_call("call-1", "skipped_meal", {"meal": "lunch"})]
    half = len(audio) // 2 // 2 * 2
    return [
        on_audio(after, *call),
        on_tool_response("call-1", messages.audio(audio[:half]),
                         messages.output_transcript("Okay, lunch moved."),
                         messages.audio(audio[half:]), messages.turn_complete()),
    ]


async def until_turn(session: LiveSession) -> list[Event]:
    seen: list[Event] = []
    with anyio.fail_after(20):  # deadlock guard
        async for event in session:
            seen.append(event)
            if isinstance(event, TurnComplete):
                return seen
    raise AssertionError(f"no turn_complete: {seen}")


@pytest.mark.anyio
@pytest.mark.parametrize("family", list(MODELS))
async def test_a_tool_turn_delivers_the_whole_reply_through_live_session(family: str) -> None:
    audio = reply(400, 1)
    async with no_leaks(), LiveEmulator(tool_turn(audio)) as emu:
        sink = MemorySink(PCM16_24K)
        config = SessionConfig(model=MODELS[family], chunk_ms=20, input_policy="listen")
        src = MemorySource.from_bytes(speech(700), chunk_ms=20)
        async with LiveSession(emu.backend(backoff=FAST), config, source=src, sink=sink,
                               tools=TOOLS) as session:
            events = await until_turn(session)
            conn: Any = session._conn
            closed_calls = conn.tool_turn_completes
        assert sink.data == audio  # every byte of the answer, none cut off by an early end
        kinds = [type(e) for e in events]
        assert kinds.count(TurnComplete) == 1
        assert kinds.index(ToolResult) < kinds.index(AssistantTranscript)
        assert closed_calls == (1 if family == "2.5" else 0)
        assert emu.setups[0]["model"] == f"models/{MODELS[family]}"
        assert emu.profile_names() == [PROFILES[family]]
        assert emu.tool_responses()[0]["response"]["status"] == "ok"


@pytest.mark.parametrize("family", list(MODELS))
def test_voicelive_ask_writes_the_whole_tool_reply(tmp_path: Path, family: str) -> None:
    audio = reply(300, 2)
    write_wav(tmp_path / "q.wav", speech(800), PCM16_16K)
    with LiveEmulator(tool_turn(audio)) as emu:
        env = {**os.environ, **emu.env(), "VOICELIVE_DATA_DIR": str(tmp_path)}
        out = subprocess.run(
            [sys.executable, "-m", "voicelive.cli", "ask", str(tmp_path / "q.wav"),
             "--backend", "gemini", "--model", MODELS[family],
             "--out", str(tmp_path / "r.wav"), "--events", str(tmp_path / "ev.jsonl"),
             "--db", str(tmp_path / "n.sqlite")],
            env=env, capture_output=True, text=True, timeout=120,
        )
        profiles = emu.profile_names()
    assert out.returncode == 0, out.stderr
    assert profiles == [PROFILES[family]]
    data, fmt = read_wav(tmp_path / "r.wav")
    assert data == audio and fmt.sample_rate == 24000
    kinds = [json.loads(line)["type"]
             for line in (tmp_path / "ev.jsonl").read_text().splitlines()]
    assert kinds.count("turn_complete") == 1
    assert kinds.index("tool_result") < kinds.index("turn_complete")


@pytest.mark.anyio
async def test_typed_text_reaches_a_3x_session_as_realtime_input() -> None:
    audio = reply(100, 4)
    script = [on_text(messages.audio(audio), messages.turn_complete(),
                      contains="how many calories")]
    async with no_leaks(), LiveEmulator(script) as emu:
        sink = MemorySink(PCM16_24K)
        config = SessionConfig(model=MODELS["3.x"])
        async with LiveSession(emu.backend(backoff=FAST), config, sink=sink) as session:
            await session.send_text("so how many calories are left for today?")
            events = await until_turn(session)
        texts = [r["text"] for r in emu.realtime_inputs() if "text" in r]
        assert texts == ["so how many calories are left for today?"]
        assert [r for r in emu.received if r.kind == "client_content"] == []
        assert sink.data == audio
        assert any(isinstance(e, AudioOut) for e in events) is False  # audio goes to the sink


@tool
async def find_recipe(dish: str) -> str:
    """Look a recipe up (slowly: the test cancels it).

    Args:
        dish: What to cook.
    """
    await anyio.sleep_forever()
    return dish


@pytest.mark.anyio
async def test_on_3x_a_blocking_tool_is_declared_so_and_a_cancellation_stops_it() -> None:
    script = [
        on_audio(3200, messages.tool_call("slow-1", "find_recipe", {"dish": "dal"})),
        on_audio(0, messages.tool_call_cancellation("slow-1"), messages.interrupted(),
                 messages.turn_complete()),
    ]
    async with no_leaks(), LiveEmulator(script) as emu:
        config = SessionConfig(model=MODELS["3.x"], input_policy="listen")
        async with LiveSession(emu.backend(backoff=FAST), config,
                               source=MemorySource.from_bytes(speech(200)),
                               tools=ToolRegistry([find_recipe])) as session:
            events = await until_turn(session)
        (declared,) = emu.setups[0]["tools"][0]["function_declarations"]
        assert declared["behavior"] == "BLOCKING"  # 3.x calls are asynchronous unless declared
        assert ToolCancelled(id="slow-1", name="find_recipe") in events
        assert emu.tool_responses() == []  # the cancelled call sends no result


@pytest.mark.anyio
@pytest.mark.parametrize("family", list(MODELS))
async def test_initial_history_seeds_a_new_conversation_once(family: str) -> None:
    history = (HistoryTurn(role="user", text="I'm vegetarian, by the way"),
               HistoryTurn(role="model", text="Got it, no meat suggestions."))
    script = [
        on_audio(3200, messages.resumption_update("h-1"), messages.go_away(5.0)),
        on_audio(3200, messages.audio(reply(50, 6)), messages.turn_complete()),
    ]
    async with no_leaks(), LiveEmulator(script) as emu:
        config = SessionConfig(model=MODELS[family], initial_history=history)
        src = MemorySource()
        async with LiveSession(emu.backend(backoff=FAST), config, source=src) as session:
            await src.push(speech(120))
            with anyio.fail_after(20):  # deadlock guard
                async for event in session:
                    if isinstance(event, Resumed):
                        break
            await src.push(speech(120))  # after the hand-over, on the second connection
            await until_turn(session)
        first = [r for r in emu.received if r.connection == 1]
        assert [r.kind for r in first][:2] == ["setup", "client_content"]  # before any audio
        seeded = first[1].body
        assert [t["parts"][0]["text"] for t in seeded["turns"]] == [h.text for h in history]
        assert seeded["turn_complete"] is (family == "3.x")
        setup = emu.setups[0]
        if family == "3.x":
            assert setup["history_config"] == {"initial_history_in_client_content": True}
        else:
            assert "history_config" not in setup
        assert emu.connections == 2
        assert not [r for r in emu.received if r.connection == 2 and r.kind == "client_content"]
        assert "history_config" not in emu.setups[1]  # resumed: the service has the history


@pytest.mark.anyio
async def test_on_3x_the_backend_times_the_turn_from_the_services_voice_activity() -> None:
    audio = reply(100, 7)
    script = [on_audio(3200, messages.voice_activity(True), messages.voice_activity(False),
                       messages.audio(audio), messages.turn_complete())]
    async with no_leaks(), LiveEmulator(script) as emu:
        config = SessionConfig(model=MODELS["3.x"])
        async with emu.backend(backoff=FAST).connect(config, TOOLS) as conn:
            await conn.send_audio(speech(100))
            done = await next_of(conn.events(), TurnComplete)
    assert done.latency_ms is not None and done.latency_ms >= 0  # the backend's own figure


DEADLINE = "Deadline expired before operation could complete."


def quiet(n_bytes: int, seed: int) -> bytes:
    """Distinct, low-level audio (under the emulator's speech peak: not new user speech)."""
    rng = np.random.default_rng(seed)
    return rng.integers(-300, 300, n_bytes // 2, dtype="<i2").tobytes()


@pytest.mark.anyio
@pytest.mark.parametrize("family", list(MODELS))
async def test_go_away_deadline_closes_1011_after_the_hand_over_began_and_no_audio_is_lost(
    family: str,
) -> None:
    chunks = [quiet(640, i) for i in range(30)]
    reply_audio = reply(100, 8)
    script = [
        on_setup(messages.resumption_update("h1")),
        on_audio(3200, messages.tool_call("c1", "add", {"a": 1, "b": 2}), messages.go_away(0.6)),
        on_setup(),
        on_tool_response("c1", messages.audio(reply_audio), messages.turn_complete()),
        on_audio_end(messages.turn_complete()),
    ]
    config = SessionConfig(model=MODELS[family])
    async with no_leaks(), connected(script, config) as (emu, conn):
        events = conn.events()
        for chunk in chunks[:10]:
            await conn.send_audio(chunk)
        call = await next_of(events, ToolCall)  # the call is pending when goAway comes
        emu.hold_setup()  # the next connection's setup waits: the deadline comes first
        await emu.wait_for(lambda e: len(e.setups) == 2)  # the hand-over has begun
        for chunk in chunks[10:20]:  # held in the backlog meanwhile
            await conn.send_audio(chunk)
        await emu.wait_for(lambda e: any(c.code == 1011 for c in e.closes))
        emu.release_setup()
        assert await next_of(events, Resumed) == Resumed(handle="h1")
        await conn.send_tool_result(call.id, call.name, {"output": 3})
        answer = await until_turn_complete(events)
        for chunk in chunks[20:]:
            await conn.send_audio(chunk)
        await conn.end_audio()
        await until_turn_complete(events)
        assert [(c.connection, c.code, c.reason) for c in emu.closes] == [(1, 1011, DEADLINE)]
        assert emu.audio(connection=1) + emu.audio(connection=2) == b"".join(chunks)
        assert conn.dropped_audio_chunks == 0 and conn.handovers == 1
        assert not [e for e in answer if isinstance(e, SessionError)]  # no error reported
        assert audio_of(answer) == reply_audio
        assert [r["id"] for r in emu.tool_responses(connection=2)] == ["c1"]
