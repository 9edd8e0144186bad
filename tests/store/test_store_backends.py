"""The Store protocol on SQLite and on a real, throw-away PostgreSQL cluster: round trips,
schema versions and migration, expiry of conversations, and concurrent writers to one user's
day (two connections in two threads, and two processes) losing no update."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicelive.exceptions import StoreError
from voicelive.nutrition import DayStore
from voicelive.nutrition.plan import new_day
from voicelive.store import (
    SCHEMA_VERSION,
    Conversation,
    Document,
    SQLiteStore,
    Store,
    open_store,
    redact_url,
)
from voicelive.testing.services import PostgresCluster, ServiceUnavailable

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresCluster]:
    try:
        cluster = PostgresCluster()
    except ServiceUnavailable as exc:  # scripts/test.sh installs it; say so if it is missing
        pytest.fail(f"{exc}: run scripts/test.sh or apt-get install postgresql")
    with cluster:
        yield cluster


@pytest.fixture(params=["sqlite", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "state.sqlite3")
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    db = f"t{abs(hash(request.node.name)) % 10**8}"
    subprocess.run(["psql", cluster.url, "-qc", f"DROP DATABASE IF EXISTS {db}",
                    "-c", f"CREATE DATABASE {db}"], check=True, capture_output=True)
    return cluster.url.rsplit("/", 1)[0] + f"/{db}"


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    opened = open_store(location)
    yield opened
    opened.close()


def _bump(doc: Document | None) -> tuple[Document, int]:
    count = (doc or {}).get("count", 0) + 1
    return {"count": count}, count


def test_days_round_trip_per_user(store: Store) -> None:
    assert store.load_day("ana", "2026-03-01") is None
    assert store.update_day("ana", "2026-03-01", _bump) == 1
    assert store.update_day("ana", "2026-03-01", _bump) == 2
    store.update_day("ana", "2026-02-27", lambda d: ({"old": True}, None))
    store.update_day("ben", "2026-03-02", _bump)
    assert store.load_day("ana", "2026-03-01") == {"count": 2}
    assert store.load_day("ben", "2026-03-01") is None
    assert store.latest_day_before("ana", "2026-03-01") == {"old": True}
    assert store.latest_day_before("ana", "2026-02-27") is None
    assert store.day_users() == ["ana", "ben"]
    assert store.schema_version() == SCHEMA_VERSION


def test_a_failing_change_writes_nothing(store: Store) -> None:
    store.update_day("ana", "2026-03-01", _bump)

    def broken(doc: Document | None) -> tuple[Document, None]:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        store.update_day("ana", "2026-03-01", broken)
    assert store.load_day("ana", "2026-03-01") == {"count": 1}
    assert store.update_day("ana", "2026-03-01", _bump) == 2  # the connection is still usable


def test_conversations_expire_and_are_replaced(store: Store) -> None:
    now = time.time()
    store.save_conversation(Conversation(conversation_id="c1", user_id="ana",
                                         state={"handle": "h1"}, expires_at=now + 60))
    store.save_conversation(Conversation(conversation_id="c1", user_id="ana",
                                         state={"handle": "h2"}, expires_at=now + 60))
    store.save_conversation(Conversation(conversation_id="old", user_id="ana",
                                         state={}, expires_at=now - 1))
    got = store.load_conversation("c1", now=now)
    assert got is not None and got.state == {"handle": "h2"} and got.user_id == "ana"
    assert store.load_conversation("c1", now=now + 61) is None
    assert store.load_conversation("old", now=now) is None
    assert store.load_conversation("nobody", now=now) is None


def test_two_connections_in_two_threads_lose_no_update(location: str) -> None:
    stores = [open_store(location), open_store(location)]
    rounds = 60
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(store: Store) -> None:
        try:
            start.wait()
            for _ in range(rounds):
                store.update_day("ana", "2026-03-01", _bump)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert stores[0].load_day("ana", "2026-03-01") == {"count": 2 * rounds}
    for s in stores:
        s.close()


_WRITER = textwrap.dedent(
    """
    import sys
    from voicelive.store import open_store
    store = open_store(sys.argv[1])
    sys.stdin.readline()  # both processes start writing together
    for _ in range(int(sys.argv[2])):
        store.update_day("ana", "2026-03-01",
                         lambda d: ({"count": (d or {}).get("count", 0) + 1}, None))
    store.close()
    print("done")
    """
)


def test_two_processes_lose_no_update(location: str) -> None:
    rounds = 40
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, location, str(rounds)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        for _ in range(2)
    ]
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert all("done" in out for out in outs)
    assert open_store(location).load_day("ana", "2026-03-01") == {"count": 2 * rounds}


def test_an_old_sqlite_file_is_migrated_and_keeps_its_days(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    day = new_day("ana", "2026-03-01")
    with sqlite3.connect(path) as conn:  # the schema before versioning: one table, no version
        conn.execute("CREATE TABLE day_state (user_id TEXT NOT NULL, day TEXT NOT NULL, "
                     "state TEXT NOT NULL, updated REAL NOT NULL, PRIMARY KEY (user_id, day))")
        conn.execute("INSERT INTO day_state VALUES (?, ?, ?, 0)",
                     ("ana", "2026-03-01", day.model_dump_json()))
    store = SQLiteStore(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert DayStore(store).load("ana", "2026-03-01") == day
    with sqlite3.connect(path) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM voicelive_schema")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def test_postgres_schema_is_created_once_by_two_processes_starting_together(
    postgres: PostgresCluster,
) -> None:
    subprocess.run(["psql", postgres.url, "-qc", "DROP DATABASE IF EXISTS mig",
                    "-c", "CREATE DATABASE mig"], check=True, capture_output=True)
    url = postgres.url.rsplit("/", 1)[0] + "/mig"
    script = "import sys; from voicelive.store import open_store; " \
             "sys.stdin.readline(); print(open_store(sys.argv[1]).schema_version())"
    procs = [subprocess.Popen([sys.executable, "-c", script, url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT) for _ in range(2)]
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = [p.communicate(timeout=60)[0].strip() for p in procs]
    assert outs == [str(SCHEMA_VERSION)] * 2
    done = subprocess.run(["psql", url, "-Atc", "SELECT version FROM voicelive_schema"],
                          check=True, capture_output=True, text=True)
    assert done.stdout.split() == [str(v) for v in range(1, SCHEMA_VERSION + 1)]


def test_postgres_nutrition_tools_share_one_day(postgres: PostgresCluster) -> None:
    days = DayStore(postgres.url)
    days.update("ana", "2026-03-01", lambda d: (new_day("ana", "2026-03-01"), None))
    again = DayStore(postgres.url).load("ana", "2026-03-01")
    assert again is not None and again.user_id == "ana"
    assert days.path is None


def test_unreachable_postgres_is_a_clear_store_error() -> None:
    from voicelive.testing.services import free_port

    store = open_store(f"postgresql://nobody:hunter2@127.0.0.1:{free_port()}/x")
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as info:
        store.load_day("ana", "2026-03-01")
    assert "hunter2" not in str(info.value)
    assert store.url == f"postgresql://nobody:***@{store.url.split('@')[1]}"


def test_redact_url_hides_only_the_password() -> None:
    assert redact_url("postgresql://u:p@h:5/db") == "postgresql://u:***@h:5/db"
    assert redact_url("postgresql://u@h/db") == "postgresql://u@h/db"
    assert redact_url("/var/lib/x.sqlite3") == "/var/lib/x.sqlite3"
