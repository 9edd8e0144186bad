"""Spoken confirmation on a phone call: the question reaches the caller as mu-law, and only the
caller's yes (in a later turn) runs the call."""

from __future__ import annotations

from typing import Any

import pytest
from telephony_harness import the_call, tone_pcm, twilio
from test_server_harness import anyio_backend, eventually, run_server

from voicelive.events import AudioOut, ToolCall, TurnComplete, UserTranscript
from voicelive.server.settings import ServerSettings
from voicelive.testing import Await, ScriptedBackend
from voicelive.tools import ToolContext, ToolRegistry, tool

WRITES: list[dict[str, Any]] = []


@tool(confirm="Set your daily goal to {kcal} kcal?", thread=False)
def set_goal(kcal: float, ctx: ToolContext) -> dict[str, Any]:
    """Set the daily calorie goal.

    Args:
        kcal: Calories per day.
        ctx: Injected.
    """
    WRITES.append({"kcal": kcal, "user": ctx.user_id})
    return {"kcal": kcal}

__all__ = ["anyio_backend"]

pytestmark = pytest.mark.anyio


async def test_a_caller_confirms_by_voice() -> None:
    WRITES.clear()
    question = tone_pcm(600, 24000)
    backend = ScriptedBackend([
        Await(audio_bytes=16000),
        UserTranscript(text="set my goal to eighteen hundred would you"),
        ToolCall(id="c1", name="set_goal", args={"kcal": 1800}),
        Await(tool_result="c1"),
        AudioOut(data=question),
        TurnComplete(),
        Await(audio_bytes=32000),
        UserTranscript(text="yep go ahead"),
    ])
    settings = ServerSettings(port=0, public_url="http://127.0.0.1:9")
    async with run_server(settings, backend=backend,
                          tools=lambda: ToolRegistry([set_goal])) as srv, twilio(
        f"ws://127.0.0.1:{srv.port}/twilio/stream"
    ) as tw:
        await tw.connected_and_start(caller="phone-goal")
        await tw.say(tone_pcm(800, 8000))
        end = await tw.until("mark", echo=True)
        while not end["mark"]["name"].startswith("end-"):
            end = await tw.until("mark", echo=True)
        assert len(tw.audio()) > 8000  # the question was played to the caller
        assert WRITES == []  # and nothing ran yet
        await tw.say(tone_pcm(800, 8000))  # the caller answers
        await eventually(lambda: len(WRITES) == 1)
        assert WRITES == [{"kcal": 1800.0, "user": "phone-goal"}]
        assert the_call(srv.hub).state.bad == {}
    sent = backend.connections[0].tool_results
    assert [r[2]["output"].get("status") for r in sent] == ["confirmation_required", None]
