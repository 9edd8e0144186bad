"""Spoken confirmation on Gemini: the real google-genai client against LiveEmulator (TLS).

The emulator scripts the model's call of ``set_targets``; the session answers it with
``confirmation_required`` and the question; the scripted model speaks the question; the user's
answer arrives as input transcription, and only a yes runs the call (once, with the arguments
read back). The call id gets exactly one function response (the service ignores a second):
the outcome (the result, ``declined``, ``expired``) reaches the model as a text turn that names
the call.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import numpy as np
import pytest
from gemini_helpers import FAST, no_leaks

from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_24K, MemorySink, MemorySource
from voicelive.events import Event, ToolCancelled, ToolConfirmation, ToolResult, TurnComplete
from voicelive.nutrition import toolkit
from voicelive.testing import LiveEmulator, messages, on_audio, on_tool_response
from voicelive.testing.clock import FakeClock
from voicelive.testing.script import Step
from voicelive.tools import ToolContext, ToolRegistry

pytestmark = pytest.mark.anyio

USER = "gemini-confirm"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def speech(ms: int) -> bytes:
    # 520 ms: the 13th 40 ms chunk crosses the script's 16000 bytes and nothing follows it, so
    # the 3.x profile sees no new input after the call (which would cancel a blocking call)
    n = 16000 * ms // 1000
    return (np.sin(np.arange(n) / 4) * 7000).astype("<i2").tobytes()


def script(answer: str | None) -> list[Step]:
    question = (np.sin(np.arange(7200) / 6) * 3000).astype("<i2").tobytes()
    steps: list[Step] = [
        on_audio(16000, messages.input_transcript("um set my daily target to 1800 calories",
                                                  finished=True),
                 messages.tool_call("t-1", "set_targets", {"kcal": 1800})),
        on_tool_response("t-1", messages.audio(question),
                         messages.output_transcript("Set your daily target to 1800 kcal?"),
                         messages.turn_complete()),
    ]
    if answer is not None:
        steps.append(on_audio(16000, messages.input_transcript(answer, finished=True),
                              messages.audio(question), messages.turn_complete()))
    return steps


def follow_ups(emu: LiveEmulator) -> list[dict[str, Any]]:
    """The later outcomes of call t-1, as the text turns that carried them (3.x: realtime)."""
    marker = "earlier set_targets call, id t-1]"
    return [json.loads(text.split(marker, 1)[1]) for body in emu.realtime_inputs()
            if isinstance(text := body.get("text"), str) and marker in text]


async def kcal(tools: ToolRegistry) -> float:
    out = await tools.call("daily_summary", {}, context=ToolContext(user_id=USER))
    value: float = out["output"]["targets"]["kcal"]
    return value


async def read_until(session: LiveSession, kind: type[Event], seen: list[Event]) -> None:
    with anyio.fail_after(15):  # deadlock guard
        async for event in session:
            seen.append(event)
            if isinstance(event, kind):
                return
    raise AssertionError(f"session ended before {kind.__name__}")


@pytest.mark.parametrize(("answer", "status"), [
    ("yeah go for it", "confirmed"),
    ("no, leave it as it is", "declined"),
    ("actually how much have I got left for today", "declined"),
])
async def test_answer_from_input_transcription(tmp_path: Path, answer: str, status: str) -> None:
    tools = toolkit(db_path=tmp_path / "days.sqlite3")
    before = await kcal(tools)
    async with no_leaks(), LiveEmulator(script(answer)) as emu:
        source = MemorySource(max_chunks=200)
        events: list[Event] = []
        async with LiveSession(emu.backend(backoff=FAST), SessionConfig(user_id=USER),
                               source=source, sink=MemorySink(PCM16_24K), tools=tools) as s:
            await source.push(speech(520))
            await read_until(s, TurnComplete, events)  # the question was spoken
            assert await kcal(tools) == before  # nothing ran on the model's call
            first = emu.tool_responses()
            assert [r["id"] for r in first] == ["t-1"]
            output = first[0]["response"]["output"]
            assert output["status"] == "confirmation_required"
            assert output["question"] == "Set your daily target to 1800 kcal?"
            await source.push(speech(520))  # the user answers
            await read_until(s, ToolResult if status == "confirmed" else ToolCancelled, events)
            with anyio.fail_after(15):  # the follow-up travels over TLS to the emulator
                await emu.wait_for(lambda e: bool(follow_ups(e)))
        follow = follow_ups(emu)
    assert [r["id"] for r in emu.tool_responses()] == ["t-1"]  # one response per call id
    assert emu.ignored_tool_responses == []
    assert len(follow) == 1
    assert [e.status for e in events if isinstance(e, ToolConfirmation)] == ["pending", status]
    if status == "confirmed":
        assert await kcal(tools) == 1800
        assert follow[0]["output"]["targets"]["kcal"] == 1800
        assert sum(isinstance(e, ToolResult) for e in events) == 1
    else:
        assert await kcal(tools) == before
        assert follow[0]["output"]["status"] in ("declined", "cancelled")
        assert not any(isinstance(e, ToolResult) for e in events)


async def test_silence_expires_the_call(tmp_path: Path) -> None:
    tools = toolkit(db_path=tmp_path / "days.sqlite3")
    before = await kcal(tools)
    clock = FakeClock()
    async with no_leaks(), LiveEmulator(script(None)) as emu:
        source = MemorySource(max_chunks=200)
        events: list[Event] = []
        session = LiveSession(emu.backend(backoff=FAST), SessionConfig(user_id=USER),
                              source=source, tools=tools)
        session.confirmations.clock = clock
        async with session as s:
            await source.push(speech(520))
            await read_until(s, TurnComplete, events)
            clock.advance(session.confirmations.gate.timeout_s + 1)
            await read_until(s, ToolCancelled, events)
            with anyio.fail_after(15):  # the follow-up travels over TLS to the emulator
                await emu.wait_for(lambda e: bool(follow_ups(e)))
        assert follow_ups(emu)[0]["output"]["status"] == "expired"
        assert len(emu.tool_responses()) == 1
    assert [e.status for e in events if isinstance(e, ToolConfirmation)] == ["pending", "expired"]
    assert await kcal(tools) == before
