"""Shared state of a deployment: day states and resumable conversations, in SQLite or PostgreSQL.

::

    from voicelive.store import open_store

    store = open_store("postgresql://voicelive@db.internal/voicelive")   # or a file path
    store.update_day("ana", "2026-12-01", lambda day: ({"user_id": "ana", ...}, None))

:func:`open_store` picks the implementation from the location: a ``postgresql://`` (or
``postgres://``) URL selects :class:`~voicelive.store.postgres.PostgresStore` (the ``postgres``
extra, psycopg 3), ``memory://`` keeps everything in this process
(:class:`~voicelive.store.memory.MemoryStore`), anything else is a SQLite file path (or
``sqlite:///path``). See
``docs/server.md`` for running several workers on one database.
"""

from __future__ import annotations

from pathlib import Path

from voicelive.store.base import (
    SCHEMA_VERSION,
    Conversation,
    DayChange,
    Document,
    Store,
    redact_url,
)
from voicelive.store.memory import MemoryStore
from voicelive.store.sqlite import SQLiteStore

__all__ = [
    "SCHEMA_VERSION",
    "Conversation",
    "DayChange",
    "Document",
    "MemoryStore",
    "SQLiteStore",
    "Store",
    "is_postgres_url",
    "open_store",
    "redact_url",
]

_PG_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(location: str | Path) -> bool:
    """Whether ``location`` is a PostgreSQL URL rather than a SQLite path."""
    return isinstance(location, str) and location.lower().startswith(_PG_SCHEMES)


def open_store(location: str | Path, *, pool_size: int = 4) -> Store:
    """The store at ``location``.

    Args:
        location: ``postgresql://...`` for PostgreSQL; a file path or ``sqlite:///path`` for
            SQLite.
        pool_size: PostgreSQL connections this process keeps at most (ignored for SQLite).

    Raises:
        MissingExtraError: A PostgreSQL URL without psycopg installed (``voicelive[postgres]``).
    """
    if is_postgres_url(location):
        from voicelive.store.postgres import PostgresStore

        return PostgresStore(str(location), pool_size=pool_size)
    text = str(location)
    if text == "memory://":
        return MemoryStore()
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///"):]
    return SQLiteStore(Path(text))
