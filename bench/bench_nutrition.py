"""Benchmark of voicelive.nutrition: data load, food search and tool calls.

Run: ``.venv/bin/python bench/bench_nutrition.py``. Prints a table and returns the figures from
``main()``: load times in milliseconds, search and tool-call latencies in milliseconds (median and
95th percentile over many calls). The target for a search once loaded is under 5 ms.
"""

from __future__ import annotations

import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import anyio

from voicelive.nutrition import NutritionService
from voicelive.nutrition.activities import ActivityTable
from voicelive.nutrition.foods import FoodDatabase
from voicelive.nutrition.tools import toolkit
from voicelive.tools import ToolContext

QUERIES = [
    "banana", "rice", "chicken breast", "eggs", "brocoli", "greek yogurt", "chiken brest",
    "salmon", "pizza", "peanut butter", "cheddar cheese", "orange juice", "whole wheat bread",
    "strawbery", "ground beef", "sweet potato", "almond milk", "cola", "oatmeal", "xqzvw",
]
ROUNDS = 25


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> dict[str, float]:
    """Run the benchmark, print a table, and return the figures (milliseconds)."""
    figures: dict[str, float] = {}

    start = time.perf_counter()
    db = FoodDatabase()
    db.load()
    figures["food_load_ms"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    ActivityTable().load()
    figures["activity_load_ms"] = (time.perf_counter() - start) * 1000

    searches: list[float] = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            searches.extend(_timed(functools.partial(db.search, query, 10), 1))
    figures["search_median_ms"], figures["search_p95_ms"] = _percentiles(searches)
    figures["search_max_ms"] = max(searches)

    with tempfile.TemporaryDirectory() as folder:
        service = NutritionService(Path(folder) / "bench.sqlite3", foods=db,
                                   today=lambda: date(2026, 1, 1))
        registry = toolkit(service=service)
        calls: dict[str, tuple[str, dict[str, Any]]] = {
            "lookup_food": ("lookup_food", {"food": "two eggs"}),
            "unplanned_food": ("unplanned_food", {"food": "a slice of pizza"}),
            "log_activity": ("log_activity", {"activity": "running", "minutes": 30}),
            "daily_summary": ("daily_summary", {}),
        }

        async def run() -> None:
            for label, (name, args) in calls.items():
                samples = []
                for i in range(ROUNDS * 2):
                    ctx = ToolContext(session_id="bench", user_id=f"user-{i % 5}")
                    begin = time.perf_counter()
                    response = await registry.call(name, args, context=ctx)
                    samples.append((time.perf_counter() - begin) * 1000)
                    assert "output" in response, response
                median, p95 = _percentiles(samples)
                figures[f"tool_{label}_median_ms"] = median
                figures[f"tool_{label}_p95_ms"] = p95

        anyio.run(run)

    width = max(len(k) for k in figures)
    print(f"{'figure':<{width}}  value (ms)")
    for key, value in figures.items():
        print(f"{key:<{width}}  {value:10.3f}")
    verdict = "met" if figures["search_p95_ms"] < 5.0 else "MISSED"
    print(f"search target (< 5 ms at p95 once loaded): {verdict}")
    return figures


if __name__ == "__main__":
    main()
