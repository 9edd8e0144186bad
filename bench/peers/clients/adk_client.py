"""Google ADK's ``Runner.run_live`` against LiveEmulator (run inside the ``adk`` peer venv).

Usage: python adk_client.py MODEL   (environment from LiveEmulator.env())
"""

from __future__ import annotations

import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from common import TOOL_NAME, chunks, fail, lookup_calories, report, user_speech
from google.adk.agents import Agent
from google.adk.agents.live_request_queue import LiveRequestQueue
from google.adk.agents.run_config import RunConfig, StreamingMode
from google.adk.runners import Runner
from google.adk.sessions import InMemorySessionService
from google.genai import types


async def main(model: str) -> None:
    lookup_calories.__name__ = TOOL_NAME
    agent = Agent(
        name="nutrition", model=model, instruction="Answer food questions.", tools=[lookup_calories]
    )
    sessions = InMemorySessionService()
    runner = Runner(app_name="peer-bench", agent=agent, session_service=sessions)
    session = await sessions.create_session(app_name="peer-bench", user_id="u1")
    queue = LiveRequestQueue()
    config = RunConfig(streaming_mode=StreamingMode.BIDI, response_modalities=["AUDIO"])
    for chunk in chunks(user_speech()):
        queue.send_realtime(types.Blob(data=chunk, mime_type="audio/pcm;rate=16000"))
    reply = bytearray()
    calls: list[str] = []
    responses: list[str] = []
    turn_completes = 0
    async for event in runner.run_live(
        user_id="u1", session_id=session.id, live_request_queue=queue, run_config=config
    ):
        for part in (event.content.parts if event.content else None) or []:
            if part.inline_data and (part.inline_data.mime_type or "").startswith("audio/"):
                reply += part.inline_data.data or b""
            if part.function_call:
                calls.append(part.function_call.name or "")
            if part.function_response:
                responses.append(part.function_response.name or "")
        if event.turn_complete:
            turn_completes += 1
            if responses and reply:
                break
    queue.close()
    if not responses:
        fail("ADK never answered the tool call")
    report(
        ok=True,
        peer="adk",
        model=model,
        tool_calls=calls,
        tool_responses=responses,
        reply_audio_bytes=len(reply),
        turn_completes=turn_completes,
    )


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(sys.argv[1]), timeout=120))
