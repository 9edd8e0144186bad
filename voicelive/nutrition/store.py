"""Per-user day states, kept in the deployment's :class:`~voicelive.store.Store`.

:class:`DayStore` turns the store's JSON documents into :class:`DayState` models and back. By
default the store is one SQLite file in the user's data directory; give a path for another file,
a ``postgresql://`` URL to share the days between workers and machines, or a store object
already open (the server passes the one it opened). Rows are keyed by user, so two people's
sessions never read or write each other's day, and every change is one transaction, so two
workers changing the same day lose no update.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import platformdirs

from voicelive.nutrition.plan import DayState
from voicelive.store import Document, SQLiteStore, Store, open_store

__all__ = ["DayStore", "default_db_path"]

_log = logging.getLogger(__name__)

T = TypeVar("T")


def default_db_path() -> Path:
    """``nutrition.sqlite3`` in the user's data directory for voicelive (platformdirs)."""
    return Path(platformdirs.user_data_dir("voicelive", appauthor=False)) / "nutrition.sqlite3"


class DayStore:
    """Reads and updates day states.

    Args:
        path: A SQLite file, a ``postgresql://`` URL, or an open :class:`~voicelive.store.Store`;
            :func:`default_db_path` when ``None``. A SQLite file and its folders are created on
            first use.
        timeout: Seconds a SQLite write waits for another writer before failing.
    """

    def __init__(self, path: Path | str | Store | None = None, *, timeout: float = 10.0) -> None:
        if path is None:
            path = default_db_path()
        self.backend: Store = open_store(path) if isinstance(path, str | Path) else path
        self.path: Path | None = (
            self.backend.path if isinstance(self.backend, SQLiteStore) else None
        )
        """The SQLite file, or ``None`` when the days live in another kind of store."""

    def load(self, user_id: str, day: str) -> DayState | None:
        """The stored day, or ``None`` when that user has nothing for that day."""
        doc = self.backend.load_day(user_id, day)
        return None if doc is None else DayState.model_validate(doc)

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

        def on_document(doc: Document | None) -> tuple[Document, T]:
            current = None if doc is None else DayState.model_validate(doc)
            state, result = change(current)
            if state.user_id != user_id or state.day != day:
                raise ValueError("a day state cannot change its user or day")
            return state.model_dump(mode="json"), result

        result = self.backend.update_day(user_id, day, on_document)
        _log.debug("stored day %s for user %s", day, user_id)
        return result

    def latest_before(self, user_id: str, day: str) -> DayState | None:
        """The user's most recent stored day before ``day`` (to carry targets over)."""
        doc = self.backend.latest_day_before(user_id, day)
        return None if doc is None else DayState.model_validate(doc)

    def users(self) -> list[str]:
        """Every user with at least one stored day (sorted)."""
        return self.backend.day_users()
