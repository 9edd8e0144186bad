"""A user's own tools, written as anyone would: ``@tool``, a Google-style docstring, no templates.

The spoken test set loads this file beside the nutrition toolkit (``voicelive ask --tools
bench/spoken/custom_tools.py``) to see whether the offline backend reaches tools it was never
given example sentences for, and whether they still lose to a nutrition tool that fits better.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from voicelive import tool

_water: dict[str, int] = {}


@tool
def log_water(ml: Annotated[int, Field(gt=0, le=5000)]) -> dict[str, object]:
    """Log water the person drank.

    Args:
        ml: How much water, in millilitres (a glass is about 250 ml, a litre is 1000 ml).
    """
    _water["today"] = _water.get("today", 0) + ml
    return {"ml": ml, "total_ml": _water["today"],
            "summary": f"Logged {ml} millilitres of water, {_water['today']} today."}


@tool
def record_weight(kg: Annotated[float, Field(gt=20, le=400)]) -> dict[str, object]:
    """Record the person's body weight from the scale.

    Args:
        kg: Body weight in kilograms.
    """
    return {"kg": kg, "summary": f"Noted your weight: {kg:g} kilos."}


@tool
def log_sleep(hours: Annotated[float, Field(gt=0, le=24)]) -> dict[str, object]:
    """Log how long the person slept last night.

    Args:
        hours: Hours of sleep.
    """
    return {"hours": hours, "summary": f"Logged {hours:g} hours of sleep."}
