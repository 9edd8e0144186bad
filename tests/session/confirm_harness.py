"""Harness of the confirmation tests (no tests here): a fake clock and a tool that records."""

from __future__ import annotations

from typing import Any

import anyio

from voicelive.tools import ToolContext, tool

WRITES: list[dict[str, Any]] = []


class FakeClock:
    """A clock that moves only when the test says so; sleepers wake when it passes them."""

    def __init__(self) -> None:
        self.t = 1000.0
        self._moved = anyio.Event()

    def now(self) -> float:
        return self.t

    async def sleep_until(self, deadline: float) -> None:
        while self.t < deadline:
            moved = self._moved
            await moved.wait()

    def advance(self, seconds: float) -> None:
        self.t += seconds
        self._moved.set()
        self._moved = anyio.Event()


@tool(confirm="Set your daily goal to {kcal} kcal?", thread=False)
def set_goal(kcal: float, ctx: ToolContext, note: str = "") -> dict[str, Any]:
    """Set the daily calorie goal.

    Args:
        kcal: Calories per day.
        ctx: Injected.
        note: Anything to remember with it.
    """
    WRITES.append({"kcal": kcal, "note": note, "user": ctx.user_id})
    return {"kcal": kcal, "summary": f"Your goal is now {kcal:g} kcal."}


@tool(thread=False)
def whats_left() -> dict[str, Any]:
    """How much is left today."""
    return {"kcal_left": 700}
