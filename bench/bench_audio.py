"""Resampler throughput in x real time, fed 20 ms chunks, on one core.

Run: ``python -m bench.bench_audio``
"""

from __future__ import annotations

import time

import numpy as np

from voicelive.audio import AudioFormat, Chunker, StreamResampler

CASES = [(48000, 16000), (44100, 16000), (22050, 16000), (22050, 24000), (16000, 24000)]


def throughput(in_rate: int, out_rate: int, seconds: float = 20.0) -> float:
    fmt = AudioFormat(in_rate)
    rng = np.random.default_rng(0)
    pcm = (rng.standard_normal(int(in_rate * seconds)) * 3000).astype("<i2").tobytes()
    step = fmt.bytes_for(20)
    chunks = [pcm[i : i + step] for i in range(0, len(pcm), step)]
    best = float("inf")
    for _ in range(3):
        rs = StreamResampler(fmt, out_rate)
        t0 = time.perf_counter()
        for c in chunks:
            rs.process(c)
        rs.flush()
        best = min(best, time.perf_counter() - t0)
    return seconds / best


def chunker_throughput(seconds: float = 60.0) -> float:
    fmt = AudioFormat(16000)
    pcm = bytes(fmt.bytes_for(seconds * 1000))
    pieces = [pcm[i : i + 999] for i in range(0, len(pcm), 999)]
    ch = Chunker(fmt, 20)
    t0 = time.perf_counter()
    for p in pieces:
        ch.feed(p)
    return seconds / (time.perf_counter() - t0)


def main() -> dict[str, float]:
    results: dict[str, float] = {}
    for a, b in CASES:
        x = throughput(a, b)
        results[f"resample {a}->{b} (x real time, 20 ms chunks)"] = round(x, 1)
    results["chunker 16 kHz, 20 ms frames (x real time)"] = round(chunker_throughput(), 1)
    for k, v in results.items():
        print(f"{k:<55} {v:>10.1f}   (target > 500)" if "resample" in k else f"{k:<55} {v:>10.1f}")
    return results


if __name__ == "__main__":
    main()
