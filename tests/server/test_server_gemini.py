"""The server in front of the Gemini backend (real google-genai client against LiveEmulator):
a full turn reaches the browser, and the API key never does."""

from __future__ import annotations

import json

import pytest
from test_server_harness import anyio_backend, client, echo_tools, run_server

from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import on_audio, on_tool_response

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
