"""Session start against LiveEmulator: connect + setupComplete through GeminiBackend.

Measures the time from ``GeminiBackend.connect()`` to a usable connection (TLS handshake,
WebSocket upgrade, ``setup`` sent, ``setupComplete`` received) with the real google-genai client,
``n`` times in a row on one backend, and reports p50/p99. The first connect also builds the
``genai.Client`` (CA bundle loading), so it is reported on its own as well.

Run: ``python -m bench.bench_emulator_connect [N]``
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

import anyio

from voicelive.config import SessionConfig
from voicelive.testing.emulator import LiveEmulator
from voicelive.tools import ToolRegistry


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def _measure(n: int) -> list[float]:
    durations: list[float] = []
    async with LiveEmulator() as emu:
        backend = emu.backend()
        config = SessionConfig()
        for _ in range(n):
            start = time.perf_counter()
            async with backend.connect(config, ToolRegistry([])):
                durations.append((time.perf_counter() - start) * 1000)
        assert emu.connections == n
    return durations


def main(n: int = 50) -> dict[str, Any]:
    """Run the benchmark and print the result; return it as a dict (milliseconds)."""
    durations = anyio.run(_measure, n)
    result = {
        "benchmark": "emulator_connect",
        "connects": n,
        "p50_ms": round(statistics.median(durations), 2),
        "p99_ms": round(_percentile(durations, 0.99), 2),
        "min_ms": round(min(durations), 2),
        "max_ms": round(max(durations), 2),
        "first_ms": round(durations[0], 2),
        "p99_warm_ms": round(_percentile(durations[1:] or durations, 0.99), 2),
    }
    print(
        f"session start (connect + setupComplete) over {n} connects: "
        f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms "
        f"(min {result['min_ms']}, max {result['max_ms']}; the first, which builds the "
        f"genai client, {result['first_ms']} ms; p99 without it {result['p99_warm_ms']} ms)"
    )
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
