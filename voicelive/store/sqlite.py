"""The embedded store: one SQLite file, shared by the threads and processes of one machine.

Every operation opens its own connection, so it may run in any worker thread. Writes run inside
``BEGIN IMMEDIATE``: SQLite takes the file's write lock before the read of a read-modify-write,
so two updates of the same day (from two threads or two ``voicelive serve`` workers on one
machine) are serialised and neither is lost. The journal is in WAL mode so readers never wait
for a writer. SQLite does not share state between machines: use
:class:`~voicelive.store.postgres.PostgresStore` for that.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from voicelive.exceptions import StoreError
from voicelive.store.base import SCHEMA_VERSION, Conversation, DayChange, Document

__all__ = ["SQLiteStore"]

_log = logging.getLogger(__name__)

T = TypeVar("T")

_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE IF NOT EXISTS day_state ("
        " user_id TEXT NOT NULL, day TEXT NOT NULL, state TEXT NOT NULL, updated REAL NOT NULL,"
        " PRIMARY KEY (user_id, day))",
    ),
    2: (
        "CREATE TABLE IF NOT EXISTS conversation ("
        " id TEXT PRIMARY KEY, user_id TEXT NOT NULL, state TEXT NOT NULL,"
        " expires_at REAL NOT NULL, updated REAL NOT NULL)",
        "CREATE INDEX IF NOT EXISTS conversation_expiry ON conversation (expires_at)",
    ),
}
assert max(_MIGRATIONS) == SCHEMA_VERSION


class SQLiteStore:
    """The :class:`~voicelive.store.Store` in one SQLite file.

    Args:
        path: The database file; it and its parent folders are created on first use.
        timeout: Seconds a write waits for another writer before failing.
    """

    def __init__(self, path: Path | str, *, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self._timeout = timeout
        self._ready = False
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """``sqlite:///`` and the file's path."""
        return f"sqlite:///{self.path}"

    # --- connections and schema -----------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _prepare(self) -> None:
        """Create the file and migrate the schema on first use (not in the constructor)."""
        with self._lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._open()
            try:
                self._use_wal(conn)
                conn.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait
                try:
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS voicelive_schema (version INTEGER NOT NULL)"
                    )
                    row = conn.execute("SELECT MAX(version) FROM voicelive_schema").fetchone()
                    current = int(row[0]) if row and row[0] is not None else 0
                    for version in range(current + 1, SCHEMA_VERSION + 1):
                        for statement in _MIGRATIONS[version]:
                            conn.execute(statement)
                        conn.execute("INSERT INTO voicelive_schema (version) VALUES (?)",
                                     (version,))
                        _log.info("store %s: schema migrated to version %d", self.path, version)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                conn.close()
            self._ready = True

    def _use_wal(self, conn: sqlite3.Connection) -> None:
        """Switch the file to WAL once; a busy file (another process switching) is retried.

        Changing the journal mode needs the file to itself and SQLite answers "locked" at once
        instead of waiting, so this retries for up to ``timeout`` seconds.
        """
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self._prepare()
        try:
            conn = self._open()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the SQLite store {self.path}: {exc}") from exc
        try:
            yield conn
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite store {self.path}: {exc}") from exc
        finally:
            conn.close()

    def schema_version(self) -> int:
        """The database's schema version."""
        with self._connect() as conn:
            row = conn.execute("SELECT MAX(version) FROM voicelive_schema").fetchone()
        return int(row[0])

    def close(self) -> None:
        """Nothing to release: every operation closes its own connection."""

    # --- day states -----------------------------------------------------------------------

    def load_day(self, user_id: str, day: str) -> Document | None:
        """The stored day of ``user_id``, or ``None``."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT state FROM day_state WHERE user_id = ? AND day = ?", (user_id, day)
            ).fetchone()
        return None if row is None else _loads(row[0])

    def update_day(self, user_id: str, day: str, change: DayChange[T]) -> T:
        """Read, change and write one day under SQLite's write lock."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT state FROM day_state WHERE user_id = ? AND day = ?", (user_id, day)
                ).fetchone()
                state, result = change(None if row is None else _loads(row[0]))
                conn.execute(
                    "INSERT INTO day_state (user_id, day, state, updated) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (user_id, day) DO UPDATE SET state = excluded.state, "
                    "updated = excluded.updated",
                    (user_id, day, json.dumps(state), time.time()),
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return result

    def latest_day_before(self, user_id: str, day: str) -> Document | None:
        """The user's most recent stored day before ``day``."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT state FROM day_state WHERE user_id = ? AND day < ? "
                "ORDER BY day DESC LIMIT 1",
                (user_id, day),
            ).fetchone()
        return None if row is None else _loads(row[0])

    def day_users(self) -> list[str]:
        """Every user with a stored day, sorted."""
        with self._connect() as conn:
            rows = conn.execute("SELECT DISTINCT user_id FROM day_state ORDER BY 1").fetchall()
        return [str(r[0]) for r in rows]

    # --- conversations --------------------------------------------------------------------

    def save_conversation(self, conversation: Conversation) -> None:
        """Insert or replace a conversation; expired ones are deleted on the way."""
        now = time.time()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM conversation WHERE expires_at < ?", (now,))
            conn.execute(
                "INSERT INTO conversation (id, user_id, state, expires_at, updated) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "user_id = excluded.user_id, state = excluded.state, "
                "expires_at = excluded.expires_at, updated = excluded.updated",
                (conversation.conversation_id, conversation.user_id,
                 json.dumps(conversation.state), conversation.expires_at, now),
            )
            conn.execute("COMMIT")

    def load_conversation(self, conversation_id: str, *, now: float) -> Conversation | None:
        """The conversation, unless unknown or expired."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT user_id, state, expires_at FROM conversation WHERE id = ?",
                (conversation_id,),
            ).fetchone()
        if row is None or float(row[2]) <= now:
            return None
        return Conversation(conversation_id=conversation_id, user_id=str(row[0]),
                            state=_loads(row[1]), expires_at=float(row[2]))


def _loads(text: str) -> Document:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("stored document is not a JSON object")
    return value
