"""Which call of a turn a later part completes or repeats (plain functions over outcomes).

"I swam for half an hour, I weigh 64 kilos": the weight completes the swim; "I'm going to aim
for 2100 calories and 120 grams of protein": the protein completes the target; "It was the
planned salmon." after the salmon was logged repeats it.
"""

from __future__ import annotations

from .decide import Outcome
from .result import Call

__all__ = ["completed", "measured", "repeats"]


def completed(outcome: Outcome, calls: list[Call]) -> int | None:
    """The call of this turn that a part of optional values completes, if any.

    A question (or a call leaning on it) of a tool called earlier in the turn whose found
    values are all optional ones that call left out ("..., I weigh 64 kilos" after a swim
    logged) adds them to that call.
    """
    reading = outcome.reading
    if outcome.kind not in ("question", "call") or reading is None:
        return None
    found = [n for n in reading.hits if n not in reading.inherited]
    required = {p.name for p in reading.info.required}
    if outcome.kind == "call" and not required <= set(reading.inherited):
        return None  # a call with required values of its own is a request of its own
    at = next((i for i in range(len(calls) - 1, -1, -1)
               if calls[i].tool == reading.info.name), None)
    if at is None or not found or any(n in required or calls[at].args.get(n) not in ("", None)
                                      for n in found):
        return None
    return at


def measured(outcome: Outcome, calls: list[Call]) -> tuple[int, Outcome] | None:
    """A call of this turn that a part's measured values complete, read by another tool.

    "I'm going to aim for 2100 calories and 120 grams of protein": the part "120 grams of
    protein" reads best as a lookup of protein, but its only values are numbers in units
    that optional parameters of the target set just before take, and left out.
    """
    if outcome.kind == "call" and outcome.reading is not None and outcome.reading.fresh:
        return None  # a request of its own
    for r in outcome.ranked:
        at = next((i for i in range(len(calls) - 1, -1, -1) if calls[i].tool == r.info.name),
                  None)
        found = [n for n in r.hits if n not in r.inherited]
        required = {p.name for p in r.info.required}
        if at is None or not found or any(
                n in required or calls[at].args.get(n) not in ("", None)
                or r.hits[n].kind != "number" or r.hits[n].unit is None for n in found):
            continue
        return at, Outcome("call", r, dict(r.args), ranked=outcome.ranked,
                           clause=outcome.clause)
    return None


def repeats(outcome: Outcome, calls: list[Call]) -> bool:
    """Whether the outcome's call repeats one made earlier in the turn.

    A repeat is a call of the same tool whose values are the earlier call's, or left empty.
    """
    return any(c.tool == outcome.reading.info.name
               and all(v in ("", None) or c.args.get(k) == v for k, v in outcome.args.items())
               for c in calls if outcome.reading is not None)
