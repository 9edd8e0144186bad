"""Day state in SQLite: survives a restart, separates users, serialises concurrent updates."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pytest

from voicelive.nutrition import DayStore, Macros, NutritionService, default_db_path
from voicelive.nutrition.plan import new_day
from voicelive.nutrition.tools import toolkit
from voicelive.tools import ToolContext, ToolRegistry

DAY = date(2026, 3, 1)
ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from datetime import date
    import anyio
    from voicelive.nutrition import NutritionService
    from voicelive.nutrition.tools import toolkit
    from voicelive.tools import ToolContext

    db, name, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    registry = toolkit(service=NutritionService(db, today=lambda: date(2026, 3, 1)))

    async def main():
        ctx = ToolContext(session_id="proc", user_id="ana")
        print(json.dumps(await registry.call(name, args, context=ctx)))

    anyio.run(main)
    """
)


def run_process(db: Path, name: str, args: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(db), name, json.dumps(args)],
        capture_output=True, text=True, check=True, cwd=ROOT, timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_day_survives_across_two_processes(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    first = run_process(db, "missed_meal", {"meal": "breakfast"})
    assert first["output"]["meal"] == "breakfast"
    second = run_process(db, "daily_summary", {})["output"]
    statuses = {m["name"]: m["status"] for m in second["meals"]}
    assert statuses["breakfast"] == "missed"
    assert {m["name"]: m["planned"]["kcal"] for m in second["meals"]}["dinner"] == 800
    assert [e["kind"] for e in second["log"]] == ["missed"]


def test_restart_in_process_keeps_the_day(tmp_path: Path) -> None:
    db = tmp_path / "n.sqlite3"
    NutritionService(db, today=lambda: DAY).log_activity("ana", "yoga", 60, 60)  # 150 kcal
    reopened = NutritionService(db, today=lambda: DAY)
    assert reopened.daily_summary("ana").burned.kcal == 150
    tomorrow = NutritionService(db, today=lambda: date(2026, 3, 2))
    assert tomorrow.daily_summary("ana").burned.kcal == 0  # a new day starts fresh


def test_targets_carry_over_to_the_next_day(tmp_path: Path) -> None:
    db = tmp_path / "n.sqlite3"
    today = NutritionService(db, today=lambda: DAY)
    today.set_targets("ana", Macros(kcal=1800, protein_g=90, carbs_g=225, fat_g=60))
    tomorrow = NutritionService(db, today=lambda: date(2026, 3, 2)).daily_summary("ana")
    assert tomorrow.targets.kcal == 1800
    # 1800 x 0.35 = 630 kcal planned for lunch on the new day
    assert {m.name: m.planned.kcal for m in tomorrow.meals}["lunch"] == 630
    assert NutritionService(db, today=lambda: DAY).daily_summary("bob").targets.kcal == 2000


def _call(registry: ToolRegistry, user: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        return await registry.call(name, args, context=ToolContext(session_id=user, user_id=user))

    return anyio.run(run)


def test_two_users_in_parallel_never_see_each_other(tmp_path: Path) -> None:
    registry = toolkit(service=NutritionService(tmp_path / "n.sqlite3", today=lambda: DAY))

    async def session(user: str, calls: list[tuple[str, dict[str, Any]]]) -> None:
        ctx = ToolContext(session_id=f"s-{user}", user_id=user)
        for name, args in calls:
            response = await registry.call(name, args, context=ctx)
            assert "output" in response, response

    ana = [("unplanned_food", {"food": "two eggs"})] * 6 + [("missed_meal", {"meal": "lunch"})]
    bob = [("log_activity", {"activity": "running", "minutes": 30, "weight_kg": 70})] * 6 + [
        ("ate_meal", {"meal": "lunch"})
    ]

    async def both() -> None:
        async with anyio.create_task_group() as tg:
            tg.start_soon(session, "ana", ana)
            tg.start_soon(session, "bob", bob)

    anyio.run(both)
    ana_day = _call(registry, "ana", "daily_summary", {})["output"]
    bob_day = _call(registry, "bob", "daily_summary", {})["output"]
    assert [e["kind"] for e in ana_day["log"]] == ["added"] * 6 + ["missed"]
    assert [e["kind"] for e in bob_day["log"]] == ["burned"] * 6 + ["eaten"]
    assert ana_day["burned"]["kcal"] == 0
    assert bob_day["burned"]["kcal"] == 6 * 343  # 9.8 MET x 70 kg x 0.5 h each
    assert ana_day["consumed"]["kcal"] == 6 * 143
    assert {m["name"]: m["status"] for m in ana_day["meals"]}["lunch"] == "missed"
    assert {m["name"]: m["status"] for m in bob_day["meals"]}["lunch"] == "eaten"


def test_concurrent_updates_of_one_user_are_not_lost(tmp_path: Path) -> None:
    registry = toolkit(service=NutritionService(tmp_path / "n.sqlite3", today=lambda: DAY))

    async def many() -> None:
        ctx = ToolContext(session_id="s", user_id="ana")

        async def one() -> None:
            response = await registry.call("log_activity",
                                           {"activity": "yoga", "minutes": 60, "weight_kg": 60},
                                           context=ctx)
            assert "output" in response

        async with anyio.create_task_group() as tg:
            for _ in range(12):
                tg.start_soon(one)

    anyio.run(many)
    day = _call(registry, "ana", "daily_summary", {})["output"]
    assert len(day["log"]) == 12
    assert day["burned"]["kcal"] == 12 * 150  # 2.5 MET x 60 kg x 1 h each


def test_store_basics(tmp_path: Path) -> None:
    store = DayStore(tmp_path / "deep" / "dir" / "n.sqlite3")
    assert store.path == tmp_path / "deep" / "dir" / "n.sqlite3"
    assert not store.path.parent.exists()  # nothing is created before first use
    assert store.load("ana", "2026-03-01") is None
    assert store.path.is_file()
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def failing(_: object) -> tuple[Any, None]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.update("ana", "2026-03-01", failing)
    assert store.load("ana", "2026-03-01") is None  # nothing written on failure
    store.update("ana", "2026-03-01", lambda _: (new_day("ana", "2026-03-01"), None))
    assert store.users() == ["ana"]
    with pytest.raises(ValueError, match="cannot change its user"):
        store.update("bob", "2026-03-01", lambda _: (new_day("ana", "2026-03-01"), None))


def test_default_path_is_in_the_user_data_dir(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = default_db_path()
    assert path.name == "nutrition.sqlite3"
    if sys.platform.startswith("linux"):
        assert path.is_relative_to(tmp_path / "xdg")


def test_toolkit_default_file_lives_in_the_data_dir(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG_DATA_HOME steers platformdirs on Linux only")
    from voicelive.nutrition import toolkit as public_toolkit

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    registry = public_toolkit()
    assert not (tmp_path / "xdg").exists()  # building the registry writes nothing
    response = _call(registry, "ana", "ate_meal", {"meal": "breakfast"})
    assert response["output"]["meal"] == "breakfast"
    assert (tmp_path / "xdg" / "voicelive" / "nutrition.sqlite3").is_file()


def test_import_reads_no_data() -> None:
    code = (
        "import voicelive.nutrition as n, voicelive.nutrition.foods as f;"
        "print(f.default_database().loaded, len(n.SLOT_VALUES['food']) > 300)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=ROOT, timeout=120)
    assert done.stdout.split() == ["False", "True"]
