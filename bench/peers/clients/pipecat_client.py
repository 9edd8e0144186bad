"""Pipecat's ``GeminiLiveLLMService`` against LiveEmulator (run inside the ``pipecat`` venv).

A pipeline of the context aggregators around the service; the user's audio goes in as
``InputAudioRawFrame``s, the tool is a registered function, and the reply audio is collected
from the ``TTSAudioRawFrame``s the service pushes.

Usage: python pipecat_client.py MODEL   (environment from LiveEmulator.env())
"""

from __future__ import annotations

import asyncio
import os
import sys

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
from pipecat.adapters.schemas.function_schema import FunctionSchema
from pipecat.adapters.schemas.tools_schema import ToolsSchema
from pipecat.frames.frames import (
    EndFrame,
    Frame,
    InputAudioRawFrame,
    LLMContextFrame,
    LLMFullResponseEndFrame,
    TTSAudioRawFrame,
)
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.runner import PipelineRunner
from pipecat.pipeline.task import PipelineTask
from pipecat.processors.aggregators.llm_context import LLMContext
from pipecat.processors.aggregators.llm_response_universal import LLMContextAggregatorPair
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.services.google.gemini_live.llm import GeminiLiveLLMService


class Collector(FrameProcessor):
    """Counts the reply audio and notices the end of the answer after the tool ran."""

    def __init__(self, tool_done: asyncio.Event, answered: asyncio.Event) -> None:
        super().__init__()
        self.reply = bytearray()
        self.tool_done = tool_done
        self.answered = answered

    async def process_frame(self, frame: Frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, TTSAudioRawFrame):
            self.reply += frame.audio
        if isinstance(frame, LLMFullResponseEndFrame) and self.tool_done.is_set() and self.reply:
            self.answered.set()
        await self.push_frame(frame, direction)


async def main(model: str) -> None:
    tools = ToolsSchema(
        standard_tools=[
            FunctionSchema(
                name=TOOL_NAME,
                description=TOOL_DESCRIPTION,
                properties={"food": {"type": "string", "description": "The food's name."}},
                required=["food"],
            )
        ]
    )
    llm = GeminiLiveLLMService(
        api_key=os.environ["GOOGLE_API_KEY"],
        model=model,
        system_instruction="Answer food questions.",
        tools=tools,
        inference_on_context_initialization=False,
    )
    tool_done = asyncio.Event()
    answered = asyncio.Event()
    calls: list[str] = []

    async def on_lookup(params: object) -> None:
        arguments = dict(params.arguments)  # type: ignore[attr-defined]
        calls.append(TOOL_NAME)
        tool_done.set()
        await params.result_callback(lookup_calories(**arguments))  # type: ignore[attr-defined]

    llm.register_function(TOOL_NAME, on_lookup)
    context = LLMContext()
    aggregators = LLMContextAggregatorPair(context)
    collector = Collector(tool_done, answered)
    pipeline = Pipeline([aggregators.user(), llm, collector, aggregators.assistant()])
    task = PipelineTask(pipeline)
    runner = PipelineRunner(handle_sigint=False)
    running = asyncio.create_task(runner.run(task))
    await task.queue_frame(LLMContextFrame(context))
    for _ in range(400):  # the service streams audio once its session is set up
        if getattr(llm, "_ready_for_realtime_input", False):
            break
        await asyncio.sleep(0.025)
    else:
        fail("Pipecat's Gemini Live session never became ready")
    await task.queue_frames(
        [
            InputAudioRawFrame(audio=chunk, sample_rate=USER_RATE, num_channels=1)
            for chunk in chunks(user_speech())
        ]
    )
    await asyncio.wait_for(answered.wait(), timeout=60)
    await task.queue_frame(EndFrame())
    await asyncio.wait_for(running, timeout=30)
    report(
        ok=True,
        peer="pipecat",
        model=model,
        tool_calls=calls,
        tool_responses=calls,
        reply_audio_bytes=len(collector.reply),
    )


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(sys.argv[1]), timeout=150))
