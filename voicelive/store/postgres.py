"""The shared store in PostgreSQL (psycopg 3), for several workers or machines.

Select it with a URL: ``voicelive serve --db postgresql://user@host/db``. Connections come from
a small bounded pool per process (``pool_size``, 4 by default; a caller waits up to
``acquire_timeout_s`` for one, then gets :class:`~voicelive.exceptions.StoreError`).

A day is changed in one transaction that first takes a transaction-scoped advisory lock on the
(user, day) pair and then reads the row ``FOR UPDATE``: the lock also covers the first write of
a day, when there is no row to lock yet, so two workers changing one user's day run one after
the other and neither update is lost. The schema is created or migrated on first use, under an
advisory lock, so workers that start together migrate once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from voicelive._extras import require
from voicelive.exceptions import StoreError
from voicelive.store.base import SCHEMA_VERSION, Conversation, DayChange, Document, redact_url

require("psycopg", extra="postgres", feature="the PostgreSQL store")

import psycopg  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

__all__ = ["PostgresStore"]

_log = logging.getLogger(__name__)

T = TypeVar("T")

_MIGRATION_LOCK = 0x766C6976  # "vliv": the advisory lock key held while migrating

_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE IF NOT EXISTS day_state ("
        " user_id TEXT NOT NULL, day TEXT NOT NULL, state JSONB NOT NULL,"
        " updated DOUBLE PRECISION NOT NULL, PRIMARY KEY (user_id, day))",
    ),
    2: (
        "CREATE TABLE IF NOT EXISTS conversation ("
        " id TEXT PRIMARY KEY, user_id TEXT NOT NULL, state JSONB NOT NULL,"
        " expires_at DOUBLE PRECISION NOT NULL, updated DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX IF NOT EXISTS conversation_expiry ON conversation (expires_at)",
    ),
}
assert max(_MIGRATIONS) == SCHEMA_VERSION


class PostgresStore:
    """The :class:`~voicelive.store.Store` in a PostgreSQL database.

    Args:
        url: A libpq connection URL (``postgresql://user:password@host:port/dbname``).
        pool_size: Connections this process keeps open at most.
        acquire_timeout_s: How long an operation waits for a free connection.
        connect_timeout_s: How long opening a connection may take.
    """

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 4,
        acquire_timeout_s: float = 10.0,
        connect_timeout_s: float = 5.0,
    ) -> None:
        if pool_size < 1:
            raise ValueError("pool_size must be at least 1")
        self._dsn = url
        self._acquire_timeout_s = acquire_timeout_s
        self._connect_timeout_s = connect_timeout_s
        self._slots = threading.BoundedSemaphore(pool_size)
        self._idle: list[psycopg.Connection[Any]] = []
        self._idle_lock = threading.Lock()
        self._ready = False
        self._ready_lock = threading.Lock()
        self._closed = False

    @property
    def url(self) -> str:
        """The URL with any password hidden."""
        return redact_url(self._dsn)

    # --- the pool -------------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        if self._closed:
            raise StoreError("the store is closed")
        if not self._slots.acquire(timeout=self._acquire_timeout_s):
            raise StoreError(
                f"no free PostgreSQL connection within {self._acquire_timeout_s:g} s "
                "(pool exhausted)"
            )
        conn: psycopg.Connection[Any] | None = None
        try:
            conn = self._take_idle() or self._open()
            yield conn
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL store {self.url}: {type(exc).__name__}: {exc}") from exc
        finally:
            if conn is not None:
                self._give_back(conn)
            self._slots.release()

    def _give_back(self, conn: psycopg.Connection[Any]) -> None:
        """Keep a connection that is idle and healthy for the next operation; close the rest."""
        if not conn.closed and not self._closed:
            status = conn.info.transaction_status
            if status == psycopg.pq.TransactionStatus.INTRANS:
                try:
                    conn.rollback()  # an operation left its implicit transaction open
                except psycopg.Error:
                    conn.close()
                    return
                status = conn.info.transaction_status
            if status == psycopg.pq.TransactionStatus.IDLE:
                with self._idle_lock:
                    self._idle.append(conn)
                return
        conn.close()

    def _take_idle(self) -> psycopg.Connection[Any] | None:
        with self._idle_lock:
            while self._idle:
                conn = self._idle.pop()
                if not conn.closed:
                    return conn
        return None

    def _open(self) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(self._dsn, connect_timeout=max(1, int(self._connect_timeout_s)))
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {self.url}: {exc}") from exc
        if not self._ready:
            self._migrate(conn)
        return conn

    def _migrate(self, conn: psycopg.Connection[Any]) -> None:
        with self._ready_lock:
            if self._ready:
                return
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS voicelive_schema (version INTEGER NOT NULL)"
                )
                row = conn.execute("SELECT MAX(version) FROM voicelive_schema").fetchone()
                current = int(row[0]) if row and row[0] is not None else 0
                for version in range(current + 1, SCHEMA_VERSION + 1):
                    for statement in _MIGRATIONS[version]:
                        conn.execute(statement)  # constants, no user input
                    conn.execute("INSERT INTO voicelive_schema (version) VALUES (%s)", (version,))
                    _log.info("store %s: schema migrated to version %d", self.url, version)
            self._ready = True

    def schema_version(self) -> int:
        """The database's schema version."""
        with self._connection() as conn:
            row = conn.execute("SELECT MAX(version) FROM voicelive_schema").fetchone()
        assert row is not None
        return int(row[0])

    def close(self) -> None:
        """Close every idle connection; operations after this raise ``StoreError``."""
        self._closed = True
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    # --- day states -----------------------------------------------------------------------

    def load_day(self, user_id: str, day: str) -> Document | None:
        """The stored day of ``user_id``, or ``None``."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT state FROM day_state WHERE user_id = %s AND day = %s", (user_id, day)
            ).fetchone()
            conn.commit()
        return None if row is None else _document(row[0])

    def update_day(self, user_id: str, day: str, change: DayChange[T]) -> T:
        """Read, change and write one day under a per-(user, day) lock."""
        with self._connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                         (f"day\x1f{user_id}\x1f{day}",))
            row = conn.execute(
                "SELECT state FROM day_state WHERE user_id = %s AND day = %s FOR UPDATE",
                (user_id, day),
            ).fetchone()
            state, result = change(None if row is None else _document(row[0]))
            conn.execute(
                "INSERT INTO day_state (user_id, day, state, updated) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (user_id, day) DO UPDATE SET state = EXCLUDED.state, "
                "updated = EXCLUDED.updated",
                (user_id, day, Jsonb(state), time.time()),
            )
        return result

    def latest_day_before(self, user_id: str, day: str) -> Document | None:
        """The user's most recent stored day before ``day``."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT state FROM day_state WHERE user_id = %s AND day < %s "
                "ORDER BY day DESC LIMIT 1",
                (user_id, day),
            ).fetchone()
            conn.commit()
        return None if row is None else _document(row[0])

    def day_users(self) -> list[str]:
        """Every user with a stored day, sorted."""
        with self._connection() as conn:
            rows = conn.execute("SELECT DISTINCT user_id FROM day_state ORDER BY 1").fetchall()
            conn.commit()
        return [str(r[0]) for r in rows]

    # --- conversations --------------------------------------------------------------------

    def save_conversation(self, conversation: Conversation) -> None:
        """Insert or replace a conversation; expired ones are deleted on the way."""
        now = time.time()
        with self._connection() as conn, conn.transaction():
            conn.execute("DELETE FROM conversation WHERE expires_at < %s", (now,))
            conn.execute(
                "INSERT INTO conversation (id, user_id, state, expires_at, updated) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET "
                "user_id = EXCLUDED.user_id, state = EXCLUDED.state, "
                "expires_at = EXCLUDED.expires_at, updated = EXCLUDED.updated",
                (conversation.conversation_id, conversation.user_id, Jsonb(conversation.state),
                 conversation.expires_at, now),
            )

    def load_conversation(self, conversation_id: str, *, now: float) -> Conversation | None:
        """The conversation, unless unknown or expired."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT user_id, state, expires_at FROM conversation WHERE id = %s",
                (conversation_id,),
            ).fetchone()
            conn.commit()
        if row is None or float(row[2]) <= now:
            return None
        return Conversation(conversation_id=conversation_id, user_id=str(row[0]),
                            state=_document(row[1]), expires_at=float(row[2]))


def _document(value: Any) -> Document:
    if not isinstance(value, dict):
        raise StoreError("stored document is not a JSON object")
    return value
