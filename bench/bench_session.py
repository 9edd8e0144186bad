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
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.lowlevel
import numpy as np

from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_16K, AudioFormat
from voicelive.events import AudioOut, Event, TurnComplete

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


class Conn:
    def __init__(self, reply: bytes, n_out: int, read_stamps: list[float]) -> None:
        self.read_stamps = read_stamps
        self.up_delays: list[float] = []
        self.emitted: list[float] = []
        self.reply = reply
        self.n_out = n_out
        self.done = anyio.Event()

    async def send_audio(self, pcm: bytes) -> None:
        self.up_delays.append(time.perf_counter() - self.read_stamps[-1])

    async def end_audio(self) -> None:
        self.done.set()

    async def send_frame(self, jpeg: bytes) -> None: ...
    async def send_text(self, text: str) -> None: ...
    async def send_activity(self, *, start: bool) -> None: ...
    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None: ...

    async def events(self) -> AsyncIterator[Event]:
        await self.done.wait()
        for _ in range(self.n_out):
            self.emitted.append(time.perf_counter())
            yield AudioOut(data=self.reply)
            await anyio.lowlevel.checkpoint()
        yield TurnComplete()
        await anyio.sleep_forever()


class Backend:
    name = "bench"

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    def default_model(self) -> str:
        return "bench"

    @asynccontextmanager
    async def connect(self, config: Any, tools: Any) -> AsyncIterator[Conn]:
        yield self.conn


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1e6, q))


async def run(in_fmt: AudioFormat, sink_rate: int) -> dict[str, float]:
    chunk = (np.sin(np.arange(in_fmt.sample_rate // 50) / 3) * 5000).astype("<i2").tobytes()
    src = StampedSource(in_fmt, chunk * in_fmt.channels, N)
    conn = Conn(bytes(960), N, src.stamps)
    sink = StampedSink(AudioFormat(sink_rate), conn.emitted)
    async with LiveSession(Backend(conn), SessionConfig(chunk_ms=20), source=src,
                           sink=sink) as s:
        async for ev in s:
            if isinstance(ev, TurnComplete):
                break
    up = conn.up_delays
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
