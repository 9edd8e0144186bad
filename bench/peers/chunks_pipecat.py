# mypy: ignore-errors
# (runs in its own virtual environment with pipecat-ai, which ours does not have)
"""Per-chunk worker: a Pipecat pipeline with an in-process model (see chunkbench).

The pipeline is ``[model, sink]`` run by a ``PipelineWorker`` with its defaults. The producer
hands user audio to the worker as ``InputAudioRawFrame`` with ``queue_frame`` (how an
application feeds a pipeline); the model processor timestamps each one and, from its own task,
pushes ``OutputAudioRawFrame`` downstream on the schedule; the sink processor timestamps those.

Run (in the peer venv, from the repository root): ``PY bench/peers/chunks_pipecat.py``
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pipecat.frames.frames import (
    EndFrame,
    InputAudioRawFrame,
    OutputAudioRawFrame,
)
from pipecat.pipeline.pipeline import Pipeline
from pipecat.pipeline.worker import PipelineWorker
from pipecat.processors.frame_processor import FrameDirection, FrameProcessor
from pipecat.workers.runner import WorkerRunner

from bench.peers import chunkbench as cb

UP = [InputAudioRawFrame(audio=cb.chunk(i, cb.IN_BYTES), sample_rate=cb.IN_RATE,
                         num_channels=1) for i in range(cb.CHUNKS)]
DOWN = [OutputAudioRawFrame(audio=cb.chunk(i, cb.OUT_BYTES), sample_rate=cb.OUT_RATE,
                            num_channels=1) for i in range(cb.CHUNKS)]


class Model(FrameProcessor):
    def __init__(self, up: cb.Stamps) -> None:
        super().__init__()
        self.up = up

    async def process_frame(self, frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, InputAudioRawFrame):
            self.up.received[cb.index_of(frame.audio)] = time.perf_counter()
            return
        await self.push_frame(frame, direction)


class Sink(FrameProcessor):
    def __init__(self, down: cb.Stamps) -> None:
        super().__init__()
        self.down = down

    async def process_frame(self, frame, direction: FrameDirection) -> None:
        await super().process_frame(frame, direction)
        if isinstance(frame, OutputAudioRawFrame):
            self.down.received[cb.index_of(frame.audio)] = time.perf_counter()
            return
        await self.push_frame(frame, direction)


async def main() -> None:
    up, down = cb.Stamps(), cb.Stamps()
    model, sink = Model(up), Sink(down)
    worker = PipelineWorker(Pipeline([model, sink]))
    started = asyncio.Event()

    @worker.event_handler("on_pipeline_started")
    async def _started(_worker, _frame) -> None:
        started.set()

    runner = WorkerRunner(handle_sigint=False)
    await runner.add_workers(worker)
    running = asyncio.create_task(runner.run())
    await asyncio.wait_for(started.wait(), timeout=10)
    await asyncio.sleep(0.2)

    run = await cb.stream(up, lambda i: worker.queue_frame(UP[i]),
                       down, lambda i: model.push_frame(DOWN[i], FrameDirection.DOWNSTREAM))
    import pipecat

    version = getattr(pipecat, "__version__", "")
    cb.report(f"pipecat {version}".strip(), up, down, run.cpu_s, run.wall_s)
    await worker.queue_frame(EndFrame())
    await asyncio.wait_for(running, timeout=10)


if __name__ == "__main__":
    asyncio.run(main())
