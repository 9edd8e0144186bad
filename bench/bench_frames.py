"""Benchmark of the frame pipeline: resize + JPEG cost and frame sizes per setting.

Run: ``.venv/bin/python bench/bench_frames.py``. Prints a table and returns the figures from
``main()``: for a 1920x1080 camera-like frame (and a 2560x1440 screen-like one), the median and
95th percentile milliseconds of ``prepare`` + ``encode_jpeg`` and the mean JPEG size in KiB,
for several ``max_side`` and ``jpeg_quality`` values. At the default 1 fps, anything under
100 ms per frame is a small share of one CPU core.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import numpy as np
from PIL import Image

from voicelive.video.imaging import encode_jpeg, prepare
from voicelive.video.pattern import pattern_frame

SIZES = [(1920, 1080), (2560, 1440)]
SETTINGS = [(1024, 80), (768, 80), (512, 80), (1024, 60)]
FRAMES = 15


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _noisy_frames(width: int, height: int) -> list[np.ndarray[Any, Any]]:
    """Pattern frames with sensor-like noise, so JPEG sizes resemble a real camera's."""
    rng = np.random.default_rng(7)
    out = []
    for i in range(FRAMES):
        frame = pattern_frame(width, height, i).astype(np.int16)
        frame += rng.integers(-6, 7, size=frame.shape, dtype=np.int16)
        out.append(np.clip(frame, 0, 255).astype(np.uint8))
    return out


def main() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for width, height in SIZES:
        frames = [Image.fromarray(f) for f in _noisy_frames(width, height)]
        for max_side, quality in SETTINGS:
            times: list[float] = []
            sizes: list[int] = []
            for frame in frames:
                t0 = time.perf_counter()
                jpeg = encode_jpeg(prepare(frame, max_side), quality)
                times.append((time.perf_counter() - t0) * 1000.0)
                sizes.append(len(jpeg))
            median, p95 = _percentiles(times)
            rows.append({
                "input": f"{width}x{height}", "max_side": max_side, "quality": quality,
                "median_ms": round(median, 2), "p95_ms": round(p95, 2),
                "mean_kib": round(statistics.mean(sizes) / 1024, 1),
            })
    print(f"{'input':>10} {'max_side':>8} {'quality':>7} {'median ms':>10} {'p95 ms':>8} "
          f"{'KiB':>7}")
    for r in rows:
        print(f"{r['input']:>10} {r['max_side']:>8} {r['quality']:>7} {r['median_ms']:>10.2f} "
              f"{r['p95_ms']:>8.2f} {r['mean_kib']:>7.1f}")
    return rows


if __name__ == "__main__":
    main()
