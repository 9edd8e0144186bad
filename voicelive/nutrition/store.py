"""Per-user day state in one SQLite file.

One row per (user, day) holds the day as JSON. Every operation opens its own connection, so
tools can run in any worker thread; writes run inside ``BEGIN IMMEDIATE`` so two updates of the
same file are serialised by SQLite itself (across threads and processes), and the journal is in
WAL mode so readers never wait for a writer. Rows are keyed by user, so two people's sessions
never read or write each other's day.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import platformdirs

from voicelive.nutrition.plan import DayState

__all__ = ["DayStore", "default_db_path"]

_log = logging.getLogger(__name__)

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS day_state (
    user_id TEXT NOT NULL,
    day     TEXT NOT NULL,
    state   TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (user_id, day)
)
"""


def default_db_path() -> Path:
    """``nutrition.sqlite3`` in the user's data directory for voicelive (platformdirs)."""
    return Path(platformdirs.user_data_dir("voicelive", appauthor=False)) / "nutrition.sqlite3"


class DayStore:
    """Reads and updates day states in one SQLite file.

    Args:
        path: The database file; :func:`default_db_path` when ``None``. The file and its parent
            folders are created on first use.
        timeout: Seconds a write waits for another writer before failing.
    """

    def __init__(self, path: Path | str | None = None, *, timeout: float = 10.0) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self._timeout = timeout
        self._ready = False
        self._lock = threading.Lock()

    def _prepare(self) -> None:
        """Create the folder, the file and the table on first use (not in the constructor)."""
        with self._lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(_SCHEMA)
            finally:
                conn.close()
            self._ready = True

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self._ready:
            self._prepare()
        conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            yield conn
        finally:
            conn.close()

    def load(self, user_id: str, day: str) -> DayState | None:
        """The stored day, or ``None`` when that user has nothing for that day."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT state FROM day_state WHERE user_id = ? AND day = ?", (user_id, day)
            ).fetchone()
        return None if row is None else DayState.model_validate_json(row[0])

    def update(
        self,
        user_id: str,
        day: str,
        change: Callable[[DayState | None], tuple[DayState, T]],
    ) -> T:
        """Read, change and write one day atomically.

        Args:
            user_id: Whose day.
            day: ISO date.
            change: Gets the stored day (``None`` if there is none) and returns the day to store
                and a value to hand back. If it raises, nothing is written.

        Returns:
            The value ``change`` returned.
        """
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT state FROM day_state WHERE user_id = ? AND day = ?", (user_id, day)
                ).fetchone()
                current = None if row is None else DayState.model_validate_json(row[0])
                state, result = change(current)
                if state.user_id != user_id or state.day != day:
                    raise ValueError("a day state cannot change its user or day")
                conn.execute(
                    "INSERT INTO day_state (user_id, day, state, updated) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (user_id, day) DO UPDATE SET state = excluded.state, "
                    "updated = excluded.updated",
                    (user_id, day, state.model_dump_json(), time.time()),
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        _log.debug("stored day %s for user %s", day, user_id)
        return result

    def latest_before(self, user_id: str, day: str) -> DayState | None:
        """The user's most recent stored day before ``day`` (to carry targets over)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT state FROM day_state WHERE user_id = ? AND day < ? "
                "ORDER BY day DESC LIMIT 1",
                (user_id, day),
            ).fetchone()
        return None if row is None else DayState.model_validate_json(row[0])

    def users(self) -> list[str]:
        """Every user with at least one stored day (sorted)."""
        with self._connect() as conn:
            rows = conn.execute("SELECT DISTINCT user_id FROM day_state ORDER BY 1").fetchall()
        return [str(r[0]) for r in rows]
