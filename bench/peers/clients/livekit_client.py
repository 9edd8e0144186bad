"""LiveKit Agents' Google ``RealtimeModel`` against LiveEmulator (inside the ``livekit`` venv).

The realtime session is driven the way ``AgentSession`` drives it, without a room: user audio
as ``rtc.AudioFrame``s through ``push_audio``, the tool call read from the generation's
``function_stream`` and answered with a ``FunctionCallOutput`` in ``update_chat_ctx``, the reply
audio read from the next generation's ``audio_stream``.

Usage: python livekit_client.py MODEL   (environment from LiveEmulator.env())
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))

from common import (
    TOOL_DESCRIPTION,
    TOOL_NAME,
    USER_RATE,
    chunks,
    fail,
    lookup_calories,
    report,
    user_speech,
)
from livekit import rtc
from livekit.agents import llm
from livekit.plugins import google


async def lookup(food: str) -> dict[str, Any]:
    """Look up the energy of one serving of a food, in kilocalories.

    Args:
        food: The food's name.
    """
    return lookup_calories(food)


async def main(model: str) -> None:
    realtime = google.realtime.RealtimeModel(model=model, api_key=os.environ["GOOGLE_API_KEY"])
    session = realtime.session()
    tool = llm.function_tool(lookup, name=TOOL_NAME, description=TOOL_DESCRIPTION)
    await session.update_tools([tool])
    generations: asyncio.Queue[llm.GenerationCreatedEvent] = asyncio.Queue()
    session.on("generation_created", generations.put_nowait)
    for chunk in chunks(user_speech()):
        frame = rtc.AudioFrame(
            data=chunk, sample_rate=USER_RATE, num_channels=1, samples_per_channel=len(chunk) // 2
        )
        session.push_audio(frame)
    reply = bytearray()
    calls: list[str] = []

    async def read_audio(generation: llm.GenerationCreatedEvent) -> None:
        async for message in generation.message_stream:
            async for audio in message.audio_stream:
                reply.extend(audio.data.tobytes())

    while not (calls and reply):
        generation = await asyncio.wait_for(generations.get(), timeout=60)
        reading = asyncio.create_task(read_audio(generation))
        async for call in generation.function_stream:
            calls.append(call.name)
            result = await lookup(**json.loads(call.arguments or "{}"))
            context = session.chat_ctx.copy()
            context.items.append(call)
            context.items.append(
                llm.FunctionCallOutput(
                    call_id=call.call_id, name=call.name, output=json.dumps(result), is_error=False
                )
            )
            await session.update_chat_ctx(context)
        await reading
    await session.aclose()
    if not calls:
        fail("LiveKit never answered the tool call")
    report(
        ok=True,
        peer="livekit",
        model=model,
        tool_calls=calls,
        tool_responses=calls,
        reply_audio_bytes=len(reply),
    )


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(sys.argv[1]), timeout=150))
