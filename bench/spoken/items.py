"""The spoken test set's items and how an outcome is scored (plain code, no audio, no models).

An :class:`Item` is one recording: its turns, the calls it must end in and its category.
:func:`score` compares what a run produced with what the item expects:

* a request category: exactly the expected calls, in order; each with the right tool and the
  written arguments (text loosely: case, singular/plural, articles and number words ignored,
  either may contain the other, ``"a|b"`` accepts either; numbers by value);
* ``no_tool``: no call at all and a short reply (at most :data:`SHORT_REPLY_S` of speech);
* ``near_miss``: nothing written (a read-only call such as ``daily_summary`` is allowed).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DATA",
    "READ_ONLY",
    "SHORT_REPLY_S",
    "Call",
    "Item",
    "Outcome",
    "args_match",
    "load_items",
    "score",
    "wrong_writes",
]

DATA = Path(__file__).with_name("requests.toml")
SHORT_REPLY_S = 6.0
"""Longest reply (seconds of speech) that counts as short for a request no tool covers."""

READ_ONLY = frozenset({"lookup_food", "daily_summary", "substitute_food"})
"""Tools that only read: a near miss may call them, every other tool writes."""


@dataclass(frozen=True, slots=True)
class Call:
    """An expected tool call: the tool and the arguments that must be there."""

    tool: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Item:
    """One recording of the set.

    Attributes:
        id: ``category-NN``.
        category: fillers, context, questions, negation, two_in_one, follow_up, no_tool,
            near_miss or custom.
        turns: What the user says, one string per turn.
        expect: The calls it must end in, in order (empty: none, see :func:`score`).
        tools: A file of extra ``@tool`` functions to load, relative to this folder.
    """

    id: str
    category: str
    turns: tuple[str, ...]
    expect: tuple[Call, ...]
    tools: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one run of an item scored."""

    ok: bool
    reason: str = ""


def load_items(path: Path = DATA) -> list[Item]:
    """Read the set from its TOML file (see the comment at its top)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["item"]
    counts: dict[str, int] = {}
    items = []
    for entry in raw:
        category = str(entry["cat"])
        counts[category] = counts.get(category, 0) + 1
        calls = tuple(
            Call(str(c["tool"]), {k: v for k, v in c.items() if k != "tool"})
            for c in entry["expect"]
        )
        items.append(Item(f"{category}-{counts[category]:02d}", category,
                          tuple(str(t) for t in entry["say"]), calls, entry.get("tools")))
    return items


_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen", "twenty")
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(_UNITS)} | {
    "a": "1", "an": "1", "half": "0.5", "thirty": "30", "forty": "40", "fifty": "50"}


def _stem(w: str) -> str:
    """Crude stem: plural and -ing endings off (``potatoes``, ``berries``, ``running``)."""
    if len(w) <= 3:
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("ie"):  # "brownie" and "brownies", "cookie" and "cookies" alike
        return w[:-2] + "y"
    if w.endswith(("ses", "xes", "ches", "shes", "oes")):
        return w[:-2]
    for ending in ("ming", "ning", "ping", "ing"):
        if w.endswith(ending) and len(w) - len(ending) >= 3:
            return w[: -len(ending)]
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def _loose(text: str) -> str:
    """Lower case, no articles or punctuation, number words as digits, crude stems."""
    words = re.findall(r"[a-z0-9.]+", str(text).lower().replace("_", " "))
    return " ".join(_stem(_NUMBER_WORDS.get(w, w)) for w in words if w != "the")


def _same_number(want: float, got: Any) -> bool:
    try:
        return abs(float(got) - float(want)) < 1e-6
    except (TypeError, ValueError):
        return False


def args_match(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> bool:
    """Whether ``actual`` arguments carry every ``expected`` one (see the module docstring)."""
    for key, want in expected.items():
        got = actual.get(key)
        if got is None or got == "":
            return False
        if isinstance(want, int | float) and not isinstance(want, bool):
            if not _same_number(want, got):
                return False
            continue
        if not any(_same_text(option, str(got)) for option in str(want).split("|")):
            return False
    return True


def _same_text(want: str, got: str) -> bool:
    a, b = _loose(want), _loose(got)
    return bool(a and b) and (a in b or b in a)


def score(item: Item, calls: Sequence[tuple[str, Mapping[str, Any]]],
          reply_s: float) -> Outcome:
    """Score one run of ``item``: its tool calls in order and the seconds of reply audio."""
    if item.category == "near_miss":
        writes = [name for name, _ in calls if name not in READ_ONLY]
        return Outcome(not writes, f"wrote with {', '.join(writes)}" if writes else "")
    if not item.expect:
        if calls:
            return Outcome(False, f"called {', '.join(n for n, _ in calls)}")
        if reply_s > SHORT_REPLY_S:
            return Outcome(False, f"reply of {reply_s:.1f} s")
        return Outcome(True)
    if len(calls) != len(item.expect):
        return Outcome(False, f"{len(calls)} calls, expected {len(item.expect)}")
    for i, (want, (name, args)) in enumerate(zip(item.expect, calls, strict=True)):
        if name != want.tool:
            return Outcome(False, f"call {i + 1}: {name} instead of {want.tool}")
        if not args_match(want.args, args):
            return Outcome(False, f"call {i + 1}: {name}({dict(args)}) lacks {dict(want.args)}")
    return Outcome(True)


def wrong_writes(item: Item, calls: Sequence[tuple[str, Mapping[str, Any]]]) -> list[str]:
    """The calls of a run that wrote something the item does not expect ("wrote wrong").

    A call of a tool that writes (not in :data:`READ_ONLY`) is wrong unless some expected
    call has its tool and its arguments (:func:`args_match`); for ``near_miss`` and
    ``no_tool`` items every write is wrong. A question asked instead of a write is a miss
    but never a wrong write.
    """
    return [name for name, args in calls if name not in READ_ONLY and not any(
        want.tool == name and args_match(want.args, args) for want in item.expect)]
