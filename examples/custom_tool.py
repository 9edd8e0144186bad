"""A custom tool: typed, documented, with offline phrases, called like the model would call it.

Run: ``python examples/custom_tool.py``. With the offline backend, the same tool answers
"what is 12 percent of 80" spoken into ``voicelive ask`` once it is in your registry.
"""

from __future__ import annotations

import json
from typing import Annotated

import anyio
from pydantic import Field

from voicelive import ToolContext, ToolRegistry, tool


@tool(templates=[
    "what is {percent} percent of {amount}",
    "(work out|calculate) {percent} percent of {amount}",
])
def percent_of(
    percent: Annotated[float, Field(ge=0, le=1000)],
    amount: float,
    context: ToolContext,
) -> dict[str, object]:
    """Work out a percentage of an amount.

    Args:
        percent: The percentage, e.g. 12 for 12 %.
        amount: The amount to take the percentage of.
    """
    value = round(percent * amount / 100, 4)
    context.state["last"] = value
    return {"value": value, "summary": f"{percent:g} percent of {amount:g} is {value:g}."}


async def main() -> dict[str, object]:
    registry = ToolRegistry([percent_of])
    print(json.dumps(registry.to_json(), indent=2))
    context = ToolContext(session_id="example", user_id="me")
    good = await registry.call("percent_of", {"percent": "12", "amount": 80}, context=context)
    bad = await registry.call("percent_of", {"percent": -5, "amount": 80}, context=context)
    print(good)
    print(bad)
    return {"good": good, "bad": bad, "state": dict(context.state)}


if __name__ == "__main__":
    anyio.run(main)
