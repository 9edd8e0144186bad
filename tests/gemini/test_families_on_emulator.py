"""voicelive's Gemini backend against the emulator's faithful family profiles (no scripting of
family habits: the profile adds 2.5's early ``turnComplete``, 3.x's merged parts, usage ...)."""

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
from voicelive.audio import PCM16_16K, PCM16_24K, MemorySink, MemorySource, read_wav, write_wav
from voicelive.events import Event, SessionError, ToolCancelled, ToolResult, TurnComplete
from voicelive.testing import LiveEmulator, messages, on_audio, on_text, on_tool_response
from voicelive.testing.script import on_setup
from voicelive.tools import ToolRegistry, tool

pytestmark = pytest.mark.anyio

MODEL_25 = "gemini-2.5-flash-native-audio-preview-12-2025"
MODEL_3 = "gemini-3.8-live"
FAMILIES = [pytest.param(MODEL_25, id="2.5"), pytest.param(MODEL_3, id="3.x")]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@tool
def skipped_meal(meal: str) -> dict[str, str]:
    """Record a skipped meal.

    Args:
        meal: Which meal.
    """
    return {"summary": f"spread {meal} over the rest of the day"}


@tool
async def weigh_plate(grams: int) -> int:
    """Wait for the kitchen scale (which never answers here).

    Args:
        grams: Ignored.
    """
    await anyio.sleep_forever()
    return grams


TOOLS = ToolRegistry([skipped_meal, weigh_plate])


def tool_script(audio: bytes, question_bytes: int) -> list:  # type: ignore[type-arg]
    """The call comes once the whole question arrived: on 3.x, speech after a BLOCKING call
    would be new input, and the service (and the emulator) would cancel the call."""
    half = len(audio) // 2
    return [
        on_audio(
            question_bytes,
            messages.input_transcript("ugh I kind of skipped lunch today", finished=True),
            messages.tool_call("call-1", "skipped_meal", {"meal": "lunch"}),
        ),
        on_tool_response(
            "call-1",
            messages.audio(audio[:half]),
            messages.output_transcript("Okay, I spread it over dinner."),
            messages.audio(audio[half:]),
            messages.turn_complete(),
        ),
    ]


async def until_turn(session: LiveSession) -> list[Event]:
    seen: list[Event] = []
    with anyio.fail_after(15):  # deadlock guard
        async for event in session:
            seen.append(event)
            if isinstance(event, TurnComplete):
                return seen
    raise AssertionError(f"session ended before a turn completed: {seen}")


@pytest.mark.parametrize("model", FAMILIES)
async def test_a_tool_turn_delivers_the_whole_reply_in_one_turn(model: str) -> None:
    audio = reply(300, 1)
    async with no_leaks(), LiveEmulator(tool_script(audio, len(speech(600)))) as emu:
        sink = MemorySink(PCM16_24K)
        source = MemorySource.from_bytes(speech(600), chunk_ms=20)
        config = SessionConfig(model=model, chunk_ms=20, input_policy="listen")
        async with LiveSession(
            emu.backend(backoff=FAST), config, source=source, sink=sink, tools=TOOLS
        ) as session:
            events = await until_turn(session)
        assert sink.data == audio  # the turn did not end at 2.5's early turnComplete
        assert any(isinstance(e, ToolResult) and e.ok for e in events)
        assert [type(e) for e in events].count(TurnComplete) == 1
        assert emu.profile_names() == ["gemini-2.5" if model == MODEL_25 else "gemini-3"]
        assert emu.closes == [] and emu.cancelled == []


async def test_typed_text_reaches_a_3x_session_as_realtime_input() -> None:
    script = [on_text(messages.text("about 105"), messages.turn_complete(), contains="banana")]
    async with no_leaks(), LiveEmulator(script) as emu:
        config = SessionConfig(model=MODEL_3)
        async with LiveSession(emu.backend(backoff=FAST), config) as session:
            await session.send_text("how much is a banana again")
            await until_turn(session)
        assert [r.kind for r in emu.received].count("client_content") == 0
        assert any(b.get("text") == "how much is a banana again" for b in emu.realtime_inputs())
        assert emu.closes == []


async def test_after_the_go_away_deadline_every_byte_of_user_audio_arrived() -> None:
    script = [on_setup(messages.resumption_update("h1"), messages.go_away(0.05))]
    sent = speech(1200)
    async with no_leaks(), LiveEmulator(script) as emu:
        source = MemorySource()
        config = SessionConfig(model=MODEL_3, chunk_ms=20, input_policy="listen")
        async with LiveSession(emu.backend(backoff=FAST), config, source=source) as session:
            errors: list[Event] = []

            async def watch() -> None:
                async for event in session:
                    if isinstance(event, SessionError):
                        errors.append(event)

            async with anyio.create_task_group() as tg:
                tg.start_soon(watch)
                for i in range(0, len(sent), 640):
                    await source.push(sent[i : i + 640])
                with anyio.fail_after(15):  # deadlock guard
                    await emu.wait_for(lambda e: e.connections >= 2 and len(e.audio()) >= len(sent))
                tg.cancel_scope.cancel()
        assert emu.audio() == sent  # nothing lost across the hand-over
        assert emu.setups[1]["session_resumption"] == {"handle": "h1"}
        assert errors == []


@pytest.mark.parametrize("model", FAMILIES)
def test_voicelive_ask_writes_the_whole_reply_in_each_family(model: str, tmp_path: Path) -> None:
    audio = reply(200, 7)
    write_wav(tmp_path / "q.wav", speech(800), PCM16_16K)
    with LiveEmulator(tool_script(audio, len(speech(800)))) as emu:
        env = {**os.environ, **emu.env(), "VOICELIVE_DATA_DIR": str(tmp_path)}
        done = subprocess.run(
            [sys.executable, "-m", "voicelive.cli", "ask", str(tmp_path / "q.wav"),
             "--backend", "gemini", "--model", model, "--out", str(tmp_path / "r.wav"),
             "--events", str(tmp_path / "ev.jsonl"), "--db", str(tmp_path / "n.sqlite")],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )
        profiles = emu.profile_names()
    assert done.returncode == 0, done.stderr
    data, fmt = read_wav(tmp_path / "r.wav")
    assert data == audio and fmt.sample_rate == 24000
    kinds = [json.loads(line)["type"] for line in (tmp_path / "ev.jsonl").read_text().splitlines()]
    assert kinds.count("turn_complete") == 1
    assert profiles[0] == ("gemini-2.5" if model == MODEL_25 else "gemini-3")


async def test_speaking_on_after_a_blocking_call_cancels_it_on_3x() -> None:
    call = messages.tool_call("call-1", "weigh_plate", {"grams": 300})
    script = [on_audio(9600, call)]  # the call comes mid-sentence; the user goes on
    async with no_leaks(), LiveEmulator(script) as emu:
        source = MemorySource.from_bytes(speech(600), chunk_ms=20)
        config = SessionConfig(model=MODEL_3, chunk_ms=20, input_policy="listen")
        async with LiveSession(
            emu.backend(backoff=FAST), config, source=source, tools=TOOLS
        ) as session:
            seen: list[Event] = []
            with anyio.fail_after(15):  # deadlock guard
                async for event in session:
                    seen.append(event)
                    if isinstance(event, ToolCancelled):
                        break
        assert emu.cancelled == ["call-1"]
        cancelled = next(e for e in seen if isinstance(e, ToolCancelled))
        assert cancelled.id == "call-1"
