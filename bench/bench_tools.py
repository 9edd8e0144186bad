"""Benchmark of voicelive.tools: schema derivation and registry.call overhead.

Run: ``.venv/bin/python bench/bench_tools.py``. Prints a table and returns the figures from
``main()`` (microseconds). ``call_*`` figures are the full cost of ``await registry.call(...)``
minus the cost of calling the bare function the same way (awaiting it, or calling it), i.e. what
voicelive adds: validation, context, timeout scope, thread hop (when used), JSON conversion.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Literal

import anyio
from pydantic import BaseModel, Field

from voicelive.tools import ToolContext, ToolRegistry, tool

REPEATS = 5


class Portion(BaseModel):
    food: str = Field(min_length=1)
    grams: float = Field(gt=0)


def _simple(city: str, unit: Literal["c", "f"] = "c") -> str:
    """Weather.

    Args:
        city: City.
        unit: Unit.
    """
    return city


def _realistic(
    portions: list[Portion],
    ctx: ToolContext,
    day: datetime.date | None = None,
    note: Annotated[str, Field(max_length=200)] = "",
) -> int:
    """Log a meal.

    Args:
        portions: What was eaten.
        day: Day of the meal.
        note: Free text.
    """
    return len(portions)


def _add(a: int, b: int) -> int:
    return a + b


async def _add_async(a: int, b: int) -> int:
    return a + b


def _best_per_op(run: Callable[[int], float], n: int) -> float:
    """Best of REPEATS runs of ``n`` operations, in microseconds per operation."""
    return min(run(n) for _ in range(REPEATS)) / n * 1e6


def _time_sync(fn: Callable[[], object]) -> Callable[[int], float]:
    def run(n: int) -> float:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        return time.perf_counter() - start

    return run


async def _time_async(fn: Callable[[], Awaitable[object]], n: int) -> float:
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(n):
            await fn()
        timings.append(time.perf_counter() - start)
    return min(timings) / n * 1e6


async def _call_figures(n: int) -> dict[str, float]:
    registry = ToolRegistry(
        [
            tool(name="add_inline", thread=False)(_add),
            tool(name="add_inline_no_timeout", thread=False, timeout=None)(_add),
            tool(name="add_thread")(_add),
            tool(name="add_async")(_add_async),
            tool(name="add_async_no_timeout", timeout=None)(_add_async),
        ]
    )
    args = {"a": 1, "b": 2}
    ctx = ToolContext()
    bare_sync = min(_time_sync(lambda: _add(1, 2))(n) for _ in range(REPEATS)) / n * 1e6

    async def bare_async() -> int:
        return await _add_async(1, 2)

    bare_await = await _time_async(bare_async, n)

    def caller(name: str) -> Callable[[], Awaitable[object]]:
        async def go() -> object:
            result = await registry.call(name, args, ctx)
            assert result == {"output": 3}, result
            return result

        return go

    out = {
        "bare_sync_us": bare_sync,
        "bare_async_us": bare_await,
        "call_sync_inline_us": await _time_async(caller("add_inline"), n) - bare_sync,
        "call_sync_inline_no_timeout_us": (
            await _time_async(caller("add_inline_no_timeout"), n) - bare_sync
        ),
        "call_sync_thread_us": await _time_async(caller("add_thread"), max(n // 10, 50))
        - bare_sync,
        "call_async_us": await _time_async(caller("add_async"), n) - bare_await,
        "call_async_no_timeout_us": (
            await _time_async(caller("add_async_no_timeout"), n) - bare_await
        ),
    }
    validate = registry.get("add_inline").validate
    out["validate_us"] = _best_per_op(_time_sync(lambda: validate(args)), n)
    return out


def main(n: int = 5000) -> dict[str, float]:
    """Run the benchmark and print its figures.

    Args:
        n: Operations per timing run (call overhead); schema derivation uses ``n // 25``.

    Returns:
        Figures in microseconds, keyed by name.
    """
    realistic = ToolRegistry([tool(_realistic)])
    figures: dict[str, float] = {
        "schema_simple_us": _best_per_op(_time_sync(lambda: tool(_simple)), max(n // 25, 20)),
        "schema_realistic_us": _best_per_op(
            _time_sync(lambda: tool(_realistic)), max(n // 25, 20)
        ),
        "declarations_realistic_us": _best_per_op(
            _time_sync(realistic.to_json), max(n // 25, 20)
        ),
    }
    figures.update(anyio.run(_call_figures, n))
    width = max(map(len, figures))
    for name, value in figures.items():
        print(f"{name:<{width}}  {value:10.2f} us")
    return figures


if __name__ == "__main__":
    main()
