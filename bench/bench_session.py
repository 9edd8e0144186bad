"""Latency the library adds per audio chunk, in both directions.

Uplink: a chunk leaves the source's iterator -> the backend's ``send_audio`` is called (for the
chunk that reading it completed).
Downlink: the backend yields ``AudioOut`` -> the sink's ``write`` is called (24 kHz in and out,
and 24 kHz -> 48 kHz with resampling). A tiny in-process backend timestamps both ends, so what
is measured is only LiveSession's own work (resampling, chunking, gating, bookkeeping).

Run: ``python -m bench.bench_session``
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator

import anyio
import anyio.lowlevel
import numpy as np

from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_16K, AudioFormat
from voicelive.events import AudioOut, TurnComplete
from voicelive.testing import Responder, ScriptedBackend, ScriptedConnection
from voicelive.testing.fakes import Step

N = 2000


class StampedSource:
    def __init__(self, fmt: AudioFormat, chunk: bytes, n: int) -> None:
        self.format = fmt
        self.chunk = chunk
        self.n = n
        self.stamps: list[float] = []

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.n):
            self.stamps.append(time.perf_counter())
            yield self.chunk
            await anyio.lowlevel.checkpoint()

    async def aclose(self) -> None:
        pass


class StampedSink:
    """Records, per write, how long ago the backend yielded the chunk being processed."""

    def __init__(self, fmt: AudioFormat, emitted: list[float]) -> None:
        self.format = fmt
        self.emitted = emitted
        self.delays: list[float] = []

    async def write(self, chunk: bytes) -> None:
        self.delays.append(time.perf_counter() - self.emitted[-1])

    async def clear(self) -> None:
        pass

    async def drain(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


class Stamped(Responder):
    """Timestamps what the session sends and, after the audio ends, ``n_out`` reply chunks."""

    def __init__(self, reply: bytes, n_out: int, read_stamps: list[float]) -> None:
        self.read_stamps = read_stamps
        self.up_delays: list[float] = []
        self.emitted: list[float] = []
        self.reply = reply
        self.n_out = n_out

    def on_audio(self, conn: ScriptedConnection, pcm: bytes) -> Iterable[Step]:
        self.up_delays.append(time.perf_counter() - self.read_stamps[-1])
        return ()

    def on_audio_end(self, conn: ScriptedConnection) -> Iterator[Step]:
        for _ in range(self.n_out):
            self.emitted.append(time.perf_counter())  # stamped as the chunk leaves
            yield AudioOut(data=self.reply)
        yield TurnComplete()


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1e6, q))


async def run(in_fmt: AudioFormat, sink_rate: int) -> dict[str, float]:
    chunk = (np.sin(np.arange(in_fmt.sample_rate // 50) / 3) * 5000).astype("<i2").tobytes()
    src = StampedSource(in_fmt, chunk * in_fmt.channels, N)
    model = Stamped(bytes(960), N, src.stamps)
    sink = StampedSink(AudioFormat(sink_rate), model.emitted)
    backend = ScriptedBackend(responder=lambda: model, model="bench", name="bench")
    async with LiveSession(backend, SessionConfig(chunk_ms=20), source=src,
                           sink=sink) as s:
        async for ev in s:
            if isinstance(ev, TurnComplete):
                break
    up = model.up_delays
    down = sink.delays
    return {"up_p50_us": pct(up, 50), "up_p99_us": pct(up, 99),
            "down_p50_us": pct(down, 50), "down_p99_us": pct(down, 99)}


def main() -> dict[str, float]:
    results: dict[str, float] = {}
    for label, fmt, out in [("16k->16k, 24k->24k", PCM16_16K, 24000),
                            ("48k->16k, 24k->48k", AudioFormat(48000), 48000)]:
        r = anyio.run(run, fmt, out)
        for k, v in r.items():
            results[f"{label} {k}"] = round(v, 1)
    for k, v in results.items():
        print(f"{k:<40} {v:>8.1f} us   (target p99 < 1000 us)")
    return results


if __name__ == "__main__":
    main()
