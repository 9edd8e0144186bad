"""The chunk schedule every per-chunk worker follows, and how it reports (standard library only).

A worker runs one framework (voicelive, Pipecat, LiveKit Agents, or a bare event loop) with an
in-process model that timestamps both ends: :data:`CHUNKS` chunks of 20 ms go up (16 kHz) and
as many come down (24 kHz), one each way every :data:`PERIOD_S`, at the same time. Chunk ``i``
carries ``i`` in its first two samples, so the receiving end knows when it was sent whatever
objects the framework wraps it in. Up is "the producer hands the chunk to the framework's input"
to "the model receives it"; down is "the model hands its chunk to the framework" to "the sink
receives it". CPU is the worker process's CPU time (every thread) over the streaming phase,
divided by :data:`CHUNKS` (one chunk up and one down per tick).

A worker builds its framework and says how chunk ``i`` is handed to it each way;
:func:`stream` runs the schedule (stamping each send) and times it.

Workers print one JSON line (the last line of their output) made by :func:`report`. This module
is imported by workers running in other virtual environments, so it uses only the standard
library.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
from collections.abc import Callable
from typing import Any

CHUNK_MS = 20
PERIOD_S = 0.004
CHUNKS = 5000
IN_RATE = 16000
OUT_RATE = 24000
IN_BYTES = IN_RATE * 2 * CHUNK_MS // 1000
OUT_BYTES = OUT_RATE * 2 * CHUNK_MS // 1000
SETTLE_S = 1.0
"""How long after the last chunk a worker waits for stragglers before it counts them lost."""


_TONES: dict[int, bytes] = {}


def chunk(i: int, size: int) -> bytes:
    """PCM16 bytes of ``size`` whose first two samples hold ``i`` (the rest a quiet tone)."""
    tone = _TONES.get(size)
    if tone is None:  # a quiet 2 kHz square wave: not silence, never loud enough to be voice
        tone = _TONES[size] = b"".join(
            struct.pack("<h", 64 if (k // 4) % 2 else -64) for k in range(size // 2))
    body = bytearray(tone)
    struct.pack_into("<hh", body, 0, i % 32768, i // 32768)
    return bytes(body)


def index_of(data: bytes | memoryview) -> int:
    """The index :func:`chunk` wrote into ``data`` (bytes, or an int16 memoryview)."""
    if isinstance(data, memoryview) and data.format == "h":
        return int(data[0]) + int(data[1]) * 32768
    lo, hi = struct.unpack_from("<hh", data, 0)
    return int(lo) + int(hi) * 32768


class Stamps:
    """Send and receive times of every chunk in one direction."""

    def __init__(self, n: int = CHUNKS) -> None:
        self.sent = [0.0] * n
        self.received = [0.0] * n

    def delays_us(self) -> list[float]:
        return [(r - s) * 1e6 for s, r in zip(self.sent, self.received, strict=True)
                if r and s]

    def lost(self) -> int:
        return sum(1 for r in self.received if not r)


async def paced(send: Callable[[int], Any], n: int = CHUNKS, period: float = PERIOD_S) -> None:
    """Call ``send(i)`` at ``t0 + i * period`` (awaiting it if it returns an awaitable)."""
    t0 = time.perf_counter()
    for i in range(n):
        delay = t0 + i * period - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        result = send(i)
        if asyncio.iscoroutine(result):
            await result


def stamped(stamps: Stamps, hand: Callable[[int], Any]) -> Callable[[int], Any]:
    """``hand`` with the send time of chunk ``i`` stamped in ``stamps`` just before it."""

    def send(i: int) -> Any:
        stamps.sent[i] = time.perf_counter()
        return hand(i)

    return send


async def stream(up: Stamps, hand_up: Callable[[int], Any], down: Stamps,
                 hand_down: Callable[[int], Any]) -> Run:
    """Run the schedule: hand chunk ``i`` up and down at each tick, then wait for stragglers.

    Args:
        up: Stamps of the user's audio (the send times are filled here).
        hand_up: Gives chunk ``i`` of user audio to the framework (may return an awaitable).
        down: Stamps of the reply audio.
        hand_down: Gives chunk ``i`` of reply audio to the framework, as its model would.

    Returns:
        The timing of the streaming phase (:data:`SETTLE_S` included).
    """
    with Run() as run:
        await asyncio.gather(paced(stamped(up, hand_up)), paced(stamped(down, hand_down)))
        await asyncio.sleep(SETTLE_S)
    return run


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolation percentile (as NumPy's default), ``nan`` for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100.0
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def report(name: str, up: Stamps, down: Stamps, cpu_s: float, wall_s: float,
           **extra: Any) -> dict[str, Any]:
    """Print (as one JSON line) and return the figures of one run."""
    ups, downs = up.delays_us(), down.delays_us()
    figures = {
        "name": name,
        "up_p50_us": round(percentile(ups, 50), 2), "up_p99_us": round(percentile(ups, 99), 2),
        "down_p50_us": round(percentile(downs, 50), 2),
        "down_p99_us": round(percentile(downs, 99), 2),
        "cpu_us_per_chunk": round(cpu_s / CHUNKS * 1e6, 2),
        "wall_s": round(wall_s, 2), "lost_up": up.lost(), "lost_down": down.lost(), **extra,
    }
    print(json.dumps(figures), flush=True)
    return figures


class Run:
    """Times the streaming phase: ``with Run() as run: ...`` then ``run.cpu_s``, ``run.wall_s``."""

    def __enter__(self) -> Run:
        self._cpu0 = time.process_time()
        self._wall0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu_s = time.process_time() - self._cpu0
        self.wall_s = time.perf_counter() - self._wall0
