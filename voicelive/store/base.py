"""The store interface: what a session persists, whatever database holds it.

Two kinds of state outlive one process and must be shared by every worker and machine:

* **day states** of the nutrition tools, one JSON document per (user, day), changed by
  read-modify-write in one transaction so two workers writing the same day lose no update;
* **conversations**, one JSON document per resumable conversation (the Gemini resumption handle
  or the offline backend's dialogue state), written as a session goes and read by whichever
  process the client reconnects to.

:class:`Store` is the small protocol both :class:`~voicelive.store.sqlite.SQLiteStore` (the
embedded default) and :class:`~voicelive.store.postgres.PostgresStore` fulfil. Every method is
synchronous and blocking (call it from a worker thread, never on the event loop) and safe to call
from several threads at once. Documents are plain JSON-safe dicts; the store never interprets
them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, runtime_checkable

__all__ = [
    "SCHEMA_VERSION",
    "Conversation",
    "DayChange",
    "Document",
    "Store",
    "redact_url",
]

T = TypeVar("T")

Document = dict[str, Any]
"""A JSON-safe document as the store keeps it."""

DayChange = Callable[[Document | None], tuple[Document, T]]
"""Gets the stored day (``None`` when there is none), returns the day to store and a result."""

SCHEMA_VERSION = 2
"""The schema version this code writes; older databases are migrated on start.

1: ``day_state`` (the table SQLite files made before versioning already have).
2: ``conversation`` (resumable conversations).
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Conversation:
    """One stored resumable conversation.

    Attributes:
        conversation_id: The opaque id a resume token names.
        user_id: Whose conversation it is (a token of another user does not resume it).
        state: What the backend needs to continue (JSON-safe).
        expires_at: Unix time after which it is no longer resumable.
    """

    conversation_id: str
    user_id: str
    state: Document
    expires_at: float


@runtime_checkable
class Store(Protocol):
    """Shared state of a voicelive deployment (day states and resumable conversations)."""

    @property
    def url(self) -> str:
        """Where the data lives, without any password (safe to log)."""
        ...

    def load_day(self, user_id: str, day: str) -> Document | None:
        """The stored day of ``user_id``, or ``None``."""
        ...

    def update_day(self, user_id: str, day: str, change: DayChange[T]) -> T:
        """Read, change and write one day in one transaction; concurrent updates serialise.

        If ``change`` raises, nothing is written and the exception propagates.
        """
        ...

    def latest_day_before(self, user_id: str, day: str) -> Document | None:
        """The user's most recent stored day strictly before ``day`` (ISO dates sort)."""
        ...

    def day_users(self) -> list[str]:
        """Every user with at least one stored day, sorted."""
        ...

    def save_conversation(self, conversation: Conversation) -> None:
        """Insert or replace a conversation (and forget expired ones now and then)."""
        ...

    def load_conversation(self, conversation_id: str, *, now: float) -> Conversation | None:
        """The conversation, or ``None`` when unknown or expired at ``now``."""
        ...

    def schema_version(self) -> int:
        """The schema version of the database (after migration, :data:`SCHEMA_VERSION`)."""
        ...

    def close(self) -> None:
        """Release connections; the store may not be used afterwards."""
        ...


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for logs and ``/health``).

    Args:
        url: A database URL such as ``postgresql://user:secret@host/db``.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    auth, _, host = rest.rpartition("@")
    user, colon, _ = auth.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{host}"
