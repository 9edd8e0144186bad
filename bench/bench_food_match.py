"""Score what a write logs for food names as people say them (bench/foods/names.toml).

Run: ``python -m bench.bench_food_match [--rule write|search] [-v] [--rounds N]``.

Each row of the table is a food as said ("a nanaimo bar", "two weetabix") with the SR28 entries
that really are that food, or none. ``--rule search`` scores what writes logged before the write
rule: the top search result (``FoodDatabase.best``). ``--rule write`` (the default) scores
:func:`voicelive.nutrition.matching.match_for_write`, which logs only an entry that is the food
said and otherwise asks (two candidates) or says it does not know the food.

Outcomes: ``right`` (an entry that is the food; for a row with none, logging nothing), ``wrong``
(logged an entry that is not the food), ``none`` (logged nothing although an entry fits), ``asked``
(named two candidates; right when one of them is the food, else counted with none). Then the
time of one write match and one search over the table's names (median and p95 in ms, after the
table is loaded; ``--rounds`` passes).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from voicelive.nutrition.amounts import split_amount
from voicelive.nutrition.foods import FoodDatabase, default_database
from voicelive.nutrition.models import FoodMatch

TABLE = Path(__file__).with_name("foods") / "names.toml"


@dataclass(frozen=True)
class Row:
    """One food as said, and what counts as right."""

    said: str
    right: tuple[str, ...]
    like: str
    note: str

    def fits(self, food: FoodMatch) -> bool:
        """Whether logging ``food`` is right for this row."""
        return food.ndb_no in self.right or bool(self.like and re.search(self.like, food.name))

    @property
    def none_fits(self) -> bool:
        """Whether no entry of the table is this food."""
        return not self.right and not self.like


def load(path: Path = TABLE) -> list[Row]:
    """The rows of the table."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Row(said=r["said"], right=tuple(r.get("right", ())), like=r.get("like", ""),
                note=r.get("note", "")) for r in data["food"]]


def outcome(row: Row, rule: str, database: FoodDatabase) -> tuple[str, str]:
    """``(outcome, what was logged or asked)`` for one row under one rule."""
    _, food = split_amount(row.said)
    if rule == "search":
        found = database.search(food, limit=1)
        logged = found[0] if found else None
        candidates: tuple[FoodMatch, ...] = ()
    else:
        from voicelive.nutrition.matching import match_for_write  # not in older trees

        match = match_for_write(database, food)
        logged, candidates = match.food, match.candidates
    if candidates:
        names = " | ".join(c.name for c in candidates)
        if row.none_fits or any(row.fits(c) for c in candidates):
            return "right", f"asked: {names}"
        return "none", f"asked: {names}"
    if logged is None:
        return ("right" if row.none_fits else "none"), "-"
    return ("right" if row.fits(logged) else "wrong"), logged.name


def _timings(
    names: list[str], rounds: int, database: FoodDatabase
) -> dict[str, tuple[float, float]]:
    from voicelive.nutrition.matching import match_for_write

    out: dict[str, tuple[float, float]] = {}
    for label, call in (("write match", lambda q: match_for_write(database, q)),
                        ("search", lambda q: database.search(q))):
        samples: list[float] = []
        for _ in range(rounds):
            for name in names:
                start = time.perf_counter()
                call(split_amount(name)[1])
                samples.append((time.perf_counter() - start) * 1000)
        ordered = sorted(samples)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        out[label] = (statistics.median(ordered), p95)
    return out


def main(argv: list[str] | None = None) -> dict[str, int]:
    """Score the table; print the counts (and every row with ``-v``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rule", choices=("write", "search"), default="write")
    parser.add_argument("--table", type=Path, default=TABLE)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    database = default_database()
    database.load()
    rows = load(args.table)
    counts = {"right": 0, "wrong": 0, "none": 0}
    for row in rows:
        result, what = outcome(row, args.rule, database)
        counts[result] += 1
        if args.verbose or result == "wrong":
            print(f"{result:5}  {row.said!r:32} -> {what}")
    print(f"rule={args.rule}: {len(rows)} names: right {counts['right']}, "
          f"wrong {counts['wrong']}, none {counts['none']}"
          f" ({sum(r.none_fits for r in rows)} have no fitting entry)")
    if args.rounds > 0:
        for label, (median, p95) in _timings([r.said for r in rows], args.rounds,
                                             database).items():
            print(f"{label}: median {median:.2f} ms, p95 {p95:.2f} ms")
    return counts


if __name__ == "__main__":
    main()
