"""The server in front of the Gemini backend (real google-genai client against LiveEmulator):
a full turn reaches the browser, and the API key never does."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_server_harness import anyio_backend, client, echo_tools, run_server

from voicelive.server.settings import ServerSettings
from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import Step, on_audio, on_tool_response
from voicelive.tools import ToolRegistry, tool

__all__ = ["anyio_backend"]

pytestmark = pytest.mark.anyio

API_KEY = "emulated-secret-api-key"


async def test_gemini_turn_through_the_server_keeps_the_key_on_the_server() -> None:
    user = bytes(range(256)) * 25  # 6400 bytes of "speech"
    reply = bytes(reversed(range(256))) * 30
    script = [
        on_audio(
            len(user),
            m.input_transcript("remember me", finished=True),
            m.tool_call("c1", "remember", {"note": "gemini"}),
        ),
        on_tool_response(
            "c1",
            m.audio(reply[:3840]),
            m.audio(reply[3840:]),
            m.output_transcript("done"),
            m.turn_complete(),
        ),
    ]
    async with LiveEmulator(script, api_key=API_KEY, profile="scripted") as emu:
        async with run_server(backend=emu.backend(), tools=echo_tools) as srv, client(srv.url) as c:
            await c.send(type="start", mode="audio", user="gem")
            ready = await c.expect("ready")
            assert ready["backend"] == "gemini"
            for i in range(0, len(user), 640):
                await c.send_raw(b"\x01" + user[i : i + 640])
            call = await c.expect("tool_call")
            assert (call["name"], call["args"]) == ("remember", {"note": "gemini"})
            result = await c.expect("tool_result")
            assert result["result"]["user"] == "gem"
            await c.expect("turn_complete")
            assert bytes(c.audio) == reply
            await c.send(type="stop")
            await c.expect("stopped")
        assert emu.audio() == user
        assert emu.tool_responses()[0]["id"] == "c1"
    everything = json.dumps(c.messages)
    assert API_KEY not in everything
    assert API_KEY.encode() not in bytes(c.audio)


@tool(thread=False)
def skipped_meal(meal: str) -> dict[str, str]:
    """Record that the user skipped a meal.

    Args:
        meal: Which meal.
    """
    return {"summary": f"{meal} moved to later meals"}


TOOLS = ToolRegistry([skipped_meal])
MODELS = {"2.5": "gemini-2.5-flash-native-audio-preview-09-2025", "3.x": "gemini-3.8-live"}


def speech(ms: int) -> bytes:
    return (np.sin(np.arange(16 * ms) / 4) * 7000).astype("<i2").tobytes()


def tool_turn(answer: bytes, after: int) -> list[Step]:
    """One script for both families: the emulator's profile (chosen from the model) adds a
    ``turnComplete`` right after the ``toolCall`` on 2.5 and holds it back on 3.x."""
    return [on_audio(after, m.tool_call("call-1", "skipped_meal", {"meal": "lunch"})),
            on_tool_response("call-1", m.audio(answer[:2400]), m.output_transcript("Okay."),
                             m.audio(answer[2400:]), m.turn_complete())]


@pytest.mark.anyio
@pytest.mark.parametrize("family", list(MODELS))
async def test_the_pages_server_shows_the_turn_done_only_after_the_answer(family: str) -> None:
    user = speech(400)
    audio = bytes(range(256)) * 40
    settings = ServerSettings(port=0, metrics=True, model=MODELS[family])
    script = tool_turn(audio, after=len(user))
    async with (LiveEmulator(script) as emu,
                run_server(settings, backend=emu.backend(), tools=TOOLS) as srv,
                client(srv.url) as c):
        await c.send(type="start", mode="audio", user="fam")
        await c.expect("ready")
        for i in range(0, len(user), 640):
            await c.send_raw(b"\x01" + user[i : i + 640])
        await c.expect("tool_result")
        await c.expect("turn_complete")
        assert bytes(c.audio) == audio  # all of it arrived before the turn was shown done
        await c.send(type="stop")
        await c.expect("stopped")
        assert emu.profile_names() == [{"2.5": "gemini-2.5", "3.x": "gemini-3"}[family]]
    assert [msg["type"] for msg in c.messages].count("turn_complete") == 1
