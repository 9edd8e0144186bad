"""The spoken set's texts run through the offline understanding alone: no audio, no models.

A quick check of what understanding makes of what was meant to be heard (a recognition
error cannot fail it), by category; the reply length is estimated at
:data:`CHARS_PER_SECOND` characters of Piper speech a second::

    python -m bench.spoken.texts [--set FILE] [--category NAME ...] [--json FILE] [-v]

``--set`` scores another set of the same format (a held-out one); its ``tools`` files are
found in ``bench/spoken/``. After a call to a tool that asks for confirmation
(``set_targets``), a turn that answers yes or no goes to the session's decision, as in a
session, and is not understood as a request; anything else ("No, sorry, 1700.") is. A call
that asked for confirmation and was refused or replaced never ran and does not count, as a
withdrawn ``tool_call`` does not in the spoken run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.spoken.items import DATA, load_items, score
from bench.spoken.run import _load_tools
from voicelive.backends.local.understand import DialogueState, Understander
from voicelive.nutrition import toolkit
from voicelive.tools.confirmation import classify_answer

CHARS_PER_SECOND = 16.0
"""Piper's speaking rate, about (measured replies of 93-111 characters took 6.1-7.0 s)."""


def main(argv: list[str] | None = None) -> dict[str, list[int]]:
    """Score every item on its texts; print failures with ``-v`` and a table by category."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DATA, help="the set's TOML file")
    parser.add_argument("--category", action="append", default=[], help="only these (repeat)")
    parser.add_argument("--json", type=Path, default=None, help="write every outcome here")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    args = parser.parse_args(argv)
    verbose = args.verbose
    tmp = Path(tempfile.mkdtemp())
    outcomes: list[dict[str, Any]] = []
    understanders: dict[str | None, Understander] = {}
    confirming: dict[str | None, set[str]] = {}
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    items = [i for i in load_items(args.set)
             if not args.category or i.category in args.category]
    for i, item in enumerate(items):
        if item.tools not in understanders:
            tools: list[Any] = list(toolkit(db_path=tmp / f"{i}.sqlite3"))
            if item.tools:
                tools += list(_load_tools(Path(__file__).parent / item.tools))
            understanders[item.tools] = Understander(tools)
            confirming[item.tools] = {t.name for t in tools if getattr(t, "confirm", None)}
        understander = understanders[item.tools]
        confirmed = confirming[item.tools]
        state = DialogueState()
        calls: list[tuple[str, dict[str, Any]]] = []
        reply = ""
        asking = False
        pending_at = -1
        for turn in item.turns:
            if asking and classify_answer(turn) != "other":
                if classify_answer(turn) == "no":
                    del calls[pending_at]  # refused: it never ran
                asking, reply = False, ""  # "yes" / "no" to the question: the session's
                continue
            if asking:
                del calls[pending_at]  # "No, sorry, make it 1,950.": withdrawn, as in a session
            result = understander.understand(turn, state)
            state = result.state
            calls += [(c.tool, dict(c.args)) for c in result.calls]
            asking = any(c.tool in confirmed for c in result.calls)
            pending_at = max((i for i, (name, _) in enumerate(calls) if name in confirmed),
                             default=-1)
            reply = result.reply
        outcome = score(item, calls, len(reply) / CHARS_PER_SECOND)
        table[item.category][0] += outcome.ok
        table[item.category][1] += 1
        outcomes.append({"item": item.id, "turns": list(item.turns), "calls": calls,
                         "reply": reply, "ok": outcome.ok, "reason": outcome.reason})
        if verbose and not outcome.ok:
            print(f"FAIL {item.id} {list(item.turns)} -> {calls} {reply!r}: {outcome.reason}")
    for category, (ok, n) in table.items():
        print(f"{category:12s} {ok}/{n}")
    print(f"{'total':12s} {sum(v[0] for v in table.values())}/"
          f"{sum(v[1] for v in table.values())}")
    if args.json:
        args.json.write_text(json.dumps({"table": table, "items": outcomes}, indent=1,
                                        default=str))
    return dict(table)


if __name__ == "__main__":
    main()
