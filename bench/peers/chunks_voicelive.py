"""Per-chunk worker: voicelive's LiveSession with an in-process model (see chunkbench).

The user's audio comes from an ``AudioSource`` fed by the producer through an ``asyncio.Queue``
(as a device callback or a socket reader would); the model is a ``BackendConnection`` whose
``send_audio`` timestamps each chunk and whose ``events()`` yields ``AudioOut`` handed over
through another queue; the sink timestamps each write.

Run: ``python -m bench.peers.chunks_voicelive`` (``bare`` as an argument runs the bare event
loop instead: the producers and the timestamps alone, the floor every framework sits on).
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bench.peers.chunkbench import (
    CHUNKS,
    IN_BYTES,
    OUT_BYTES,
    Stamps,
    chunk,
    index_of,
    report,
    stream,
)
from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_16K, PCM16_24K
from voicelive.events import AudioOut, Event
from voicelive.testing.fakes import IgnoringConnection

UP = [chunk(i, IN_BYTES) for i in range(CHUNKS)]
DOWN_BYTES = [chunk(i, OUT_BYTES) for i in range(CHUNKS)]
DOWN = [AudioOut(data=d) for d in DOWN_BYTES]  # built ahead, as the peers' frames are


class QueueSource:
    format = PCM16_16K

    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    def __aiter__(self) -> QueueSource:
        return self

    async def __anext__(self) -> bytes:  # as LiveKit's queue-fed AudioInput does
        item = await self.queue.get()
        if item is None:
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        pass


class StampSink:
    format = PCM16_24K

    def __init__(self, down: Stamps) -> None:
        self.down = down

    async def write(self, data: bytes) -> None:
        self.down.received[index_of(data)] = time.perf_counter()

    async def clear(self) -> None:
        pass

    async def drain(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


class Model(IgnoringConnection):
    """The in-process model: a BackendConnection that timestamps what it gets.

    Not ``voicelive.testing.ScriptedBackend``: the shared fake keeps every byte it is sent and
    yields to the loop after each event (as a test wants), per-chunk work the peers' fake models
    do not do, so the comparison would charge it to voicelive.
    """

    def __init__(self, up: Stamps) -> None:
        self.up = up
        self.out: asyncio.Queue[Event | None] = asyncio.Queue()

    async def send_audio(self, pcm: bytes) -> None:
        self.up.received[index_of(pcm)] = time.perf_counter()

    async def events(self) -> AsyncIterator[Event]:
        while True:
            event = await self.out.get()
            if event is None:
                return
            yield event


class Backend:
    name = "bench"

    def __init__(self, conn: Model) -> None:
        self.conn = conn

    def default_model(self) -> str:
        return "bench"

    @asynccontextmanager
    async def connect(self, config: Any, tools: Any) -> AsyncIterator[Model]:
        yield self.conn


async def run_voicelive() -> dict[str, Any]:
    up, down = Stamps(), Stamps()
    source, model = QueueSource(), Model(up)
    session = LiveSession(Backend(model), SessionConfig(chunk_ms=20), source=source,
                          sink=StampSink(down))

    async with session:
        await asyncio.sleep(0.2)  # let the pumps start
        run = await stream(up, lambda i: source.queue.put_nowait(UP[i]),
                           down, lambda i: model.out.put_nowait(DOWN[i]))
        stats = session.stats
        source.queue.put_nowait(None)
        model.out.put_nowait(None)
    return report("voicelive", up, down, run.cpu_s, run.wall_s,
                  dropped_in=stats.dropped_in, dropped_out=stats.dropped_out)


async def run_bare() -> dict[str, Any]:
    up, down = Stamps(), Stamps()

    def arrive(stamps: Stamps, data: list[bytes]) -> Any:
        def go(i: int) -> None:
            stamps.received[index_of(data[i])] = time.perf_counter()
        return go

    run = await stream(up, arrive(up, UP), down, arrive(down, DOWN_BYTES))
    return report("bare loop", up, down, run.cpu_s, run.wall_s)


if __name__ == "__main__":
    asyncio.run(run_bare() if "bare" in sys.argv[1:] else run_voicelive())
