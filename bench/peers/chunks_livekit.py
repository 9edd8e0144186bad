# mypy: ignore-errors
# (runs in its own virtual environment with livekit-agents, which ours does not have)
"""Per-chunk worker: LiveKit Agents' AgentSession with a fake realtime model (see chunkbench).

The user's audio is an ``io.AudioInput`` fed by the producer through an ``asyncio.Queue`` (as
LiveKit's own console input is); the model is a ``RealtimeModel`` whose session timestamps
``push_audio`` and streams its reply as one generation whose audio channel the producer fills;
the sink is an ``io.AudioOutput`` that timestamps ``capture_frame``. Everything else is
AgentSession's defaults, except the echo-cancellation warm-up (off, so every chunk reaches the
model as itself).

Run (in the peer venv, from the repository root): ``PY bench/peers/chunks_livekit.py``
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from livekit import rtc
from livekit.agents import Agent, AgentSession, llm, utils
from livekit.agents.voice import io

from bench.peers import chunkbench as cb


def frame(data: bytes, rate: int) -> rtc.AudioFrame:
    return rtc.AudioFrame(data=data, sample_rate=rate, num_channels=1,
                          samples_per_channel=len(data) // 2)


UP = [frame(cb.chunk(i, cb.IN_BYTES), cb.IN_RATE) for i in range(cb.CHUNKS)]
DOWN = [frame(cb.chunk(i, cb.OUT_BYTES), cb.OUT_RATE) for i in range(cb.CHUNKS)]


class QueueInput(io.AudioInput):
    def __init__(self) -> None:
        super().__init__(label="bench")
        self.queue: asyncio.Queue = asyncio.Queue()

    async def __anext__(self) -> rtc.AudioFrame:
        item = await self.queue.get()
        if item is None:
            raise StopAsyncIteration
        return item


class StampOutput(io.AudioOutput):
    def __init__(self, down: cb.Stamps) -> None:
        super().__init__(label="bench", capabilities=io.AudioOutputCapabilities(pause=False),
                         sample_rate=cb.OUT_RATE)
        self.down = down
        self._started = False

    async def capture_frame(self, f: rtc.AudioFrame) -> None:
        self.down.received[cb.index_of(f.data)] = time.perf_counter()
        await super().capture_frame(f)
        if not self._started:
            self._started = True
            self.on_playback_started(created_at=time.time())

    def flush(self) -> None:
        super().flush()
        self.on_playback_finished(playback_position=0.0, interrupted=False)

    def clear_buffer(self) -> None:
        pass


class FakeSession(llm.RealtimeSession):
    def __init__(self, model: FakeRealtime) -> None:
        super().__init__(model)
        self.up = model.up
        self._chat = llm.ChatContext.empty()
        self._tools = llm.ToolContext.empty()

    @property
    def chat_ctx(self) -> llm.ChatContext:
        return self._chat

    @property
    def tools(self) -> llm.ToolContext:
        return self._tools

    async def update_instructions(self, instructions: str) -> None: ...
    async def update_chat_ctx(self, chat_ctx: llm.ChatContext) -> None: ...
    async def update_tools(self, tools: list) -> None: ...
    def update_options(self, *, tool_choice=None) -> None: ...

    def push_audio(self, f: rtc.AudioFrame) -> None:
        self.up.received[cb.index_of(f.data)] = time.perf_counter()

    def push_video(self, f: rtc.VideoFrame) -> None: ...

    def generate_reply(self, *, instructions=None, **kwargs):
        future = asyncio.get_running_loop().create_future()
        return future

    def commit_audio(self) -> None: ...
    def clear_audio(self) -> None: ...
    def interrupt(self) -> None: ...
    def truncate(self, *, message_id, modalities, audio_end_ms, audio_transcript=None) -> None:
        ...

    async def aclose(self) -> None: ...

    def reply(self, audio: utils.aio.Chan) -> None:
        """Start one generation whose audio is ``audio`` (filled by the producer)."""
        text: utils.aio.Chan = utils.aio.Chan()
        text.close()
        modalities = asyncio.get_running_loop().create_future()
        modalities.set_result(["audio"])
        messages: utils.aio.Chan = utils.aio.Chan()
        messages.send_nowait(llm.MessageGeneration(message_id="bench", text_stream=text,
                                                   audio_stream=audio, modalities=modalities))
        messages.close()
        functions: utils.aio.Chan = utils.aio.Chan()
        functions.close()
        self.emit("generation_created", llm.GenerationCreatedEvent(
            message_stream=messages, function_stream=functions, user_initiated=False))


class FakeRealtime(llm.RealtimeModel):
    def __init__(self, up: cb.Stamps) -> None:
        super().__init__(capabilities=llm.RealtimeCapabilities(
            message_truncation=False, turn_detection=True, user_transcription=False,
            auto_tool_reply_generation=False, audio_output=True, manual_function_calls=False))
        self.up = up
        self.sessions: list[FakeSession] = []

    def session(self, *, turn_detection_disabled: bool = False) -> FakeSession:
        s = FakeSession(self)
        self.sessions.append(s)
        return s

    async def aclose(self) -> None: ...


async def main() -> None:
    up, down = cb.Stamps(), cb.Stamps()
    model = FakeRealtime(up)
    # aec_warmup_duration=None: by default the first 3 s of agent speech reach the model as
    # silence (echo-cancellation warm-up), which would hide those chunks' indices
    session = AgentSession(llm=model, aec_warmup_duration=None)
    source, sink = QueueInput(), StampOutput(down)
    session.input.audio = source
    session.output.audio = sink
    await session.start(Agent(instructions="bench"), record=False)
    await asyncio.sleep(0.2)
    audio: utils.aio.Chan = utils.aio.Chan()
    model.sessions[-1].reply(audio)

    run = await cb.stream(up, lambda i: source.queue.put_nowait(UP[i]),
                       down, lambda i: audio.send_nowait(DOWN[i]))
    import livekit.agents

    cb.report("livekit-agents " + livekit.agents.__version__, up, down, run.cpu_s, run.wall_s)
    audio.close()
    source.queue.put_nowait(None)
    await session.aclose()


if __name__ == "__main__":
    asyncio.run(main())
