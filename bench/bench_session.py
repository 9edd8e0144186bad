"""Latency LiveSession adds per audio chunk, in both directions, at real pace.

The schedule of :mod:`bench.peers.chunkbench`: 20 ms chunks, one each way every 4 ms, 5,000 up
and 5,000 down at the same time (the previous version of this bench sent chunks back to back,
which keeps every cache warm and understated the cost several times over). A producer task
hands user audio to the source through an ``asyncio.Queue`` (as a device callback or a socket
reader does) and another hands ``AudioOut`` to the session through the model's event queue; a
ScriptedBackend (the shared fake; a Responder stamps user audio, ``push`` hands reply audio
over) and the sink timestamp the other ends.

Uplink: the producer hands a chunk over -> the backend's ``send_audio`` is called with the chunk
it completed. Downlink: the model hands ``AudioOut`` over -> the sink's ``write``. Two formats:
16 kHz in / 24 kHz out (no conversion), and 48 kHz in / 48 kHz sink (resampled both ways; with
resampling a chunk's bytes change, so the delay is taken from the most recent hand-off).
``python bench/bench_latency_chunks.py`` runs the first beside Pipecat and LiveKit Agents.

Run: ``python -m bench.bench_session``
"""

from __future__ import annotations

import asyncio
import time

import numpy as np

from bench.peers.chunkbench import CHUNKS, SETTLE_S, Run, paced, percentile
from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_16K, AudioFormat
from voicelive.events import AudioOut
from voicelive.testing import Responder, ScriptedBackend, ScriptedConnection


class QueueSource:
    def __init__(self, fmt: AudioFormat) -> None:
        self.format = fmt
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    def __aiter__(self) -> QueueSource:
        return self

    async def __anext__(self) -> bytes:
        item = await self.queue.get()
        if item is None:
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        pass


class Clock:
    """The time of the most recent hand-off in each direction, and the delays seen."""

    def __init__(self) -> None:
        self.up_sent = 0.0
        self.down_sent = 0.0
        self.up: list[float] = []
        self.down: list[float] = []


class Sink:
    def __init__(self, fmt: AudioFormat, clock: Clock) -> None:
        self.format = fmt
        self.clock = clock

    async def write(self, chunk: bytes) -> None:
        self.clock.down.append(time.perf_counter() - self.clock.down_sent)

    async def clear(self) -> None:
        pass

    async def drain(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


class Stamp(Responder):
    """The model side, on the shared fake: timestamps each chunk of user audio it gets."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def on_audio(self, conn: ScriptedConnection, pcm: bytes) -> tuple[()]:
        self.clock.up.append(time.perf_counter() - self.clock.up_sent)
        return ()


def tone(rate: int) -> bytes:
    return (np.sin(np.arange(rate // 50) / 3) * 5000).astype("<i2").tobytes()


async def run(in_fmt: AudioFormat, sink_rate: int) -> dict[str, float]:
    clock = Clock()
    source = QueueSource(in_fmt)
    backend = ScriptedBackend(responder=lambda: Stamp(clock), model="bench", name="bench")
    up_chunk, reply = tone(in_fmt.sample_rate), AudioOut(data=tone(24000))

    def send_up(i: int) -> None:
        clock.up_sent = time.perf_counter()
        source.queue.put_nowait(up_chunk)

    def send_down(i: int) -> None:
        clock.down_sent = time.perf_counter()
        backend.connections[0].push(reply)

    async with LiveSession(backend, SessionConfig(chunk_ms=20), source=source,
                           sink=Sink(AudioFormat(sink_rate), clock)):
        await asyncio.sleep(0.2)
        with Run() as timing:
            await asyncio.gather(paced(send_up), paced(send_down))
            await asyncio.sleep(SETTLE_S)
        source.queue.put_nowait(None)
        backend.connections[0].finish()
    up = [d * 1e6 for d in clock.up]
    down = [d * 1e6 for d in clock.down]
    return {"up_p50_us": percentile(up, 50), "up_p99_us": percentile(up, 99),
            "down_p50_us": percentile(down, 50), "down_p99_us": percentile(down, 99),
            "cpu_us_per_chunk": timing.cpu_s / CHUNKS * 1e6}


def main() -> dict[str, float]:
    results: dict[str, float] = {}
    for label, fmt, out in [("16k->16k, 24k->24k", PCM16_16K, 24000),
                            ("48k->16k, 24k->48k", AudioFormat(48000), 48000)]:
        r = asyncio.run(run(fmt, out))
        for k, v in r.items():
            results[f"{label} {k}"] = round(v, 1)
    for k, v in results.items():
        print(f"{k:<44} {v:>8.1f} us")
    return results


if __name__ == "__main__":
    main()
