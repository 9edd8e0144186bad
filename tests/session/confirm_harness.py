"""Harness of the confirmation tests (no tests here): tools that record what they write."""

from __future__ import annotations

from typing import Any

from voicelive.testing.clock import FakeClock
from voicelive.tools import ToolContext, tool

__all__ = ["WRITES", "FakeClock", "set_goal", "whats_left"]

WRITES: list[dict[str, Any]] = []


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
