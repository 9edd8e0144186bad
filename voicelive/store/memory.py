"""A store in this process's memory: for tests, and for a server with nowhere to persist.

Nothing survives the process and nothing is shared with another one, so a conversation kept
here resumes only on the same process. Safe across threads (one lock around every operation).
"""

from __future__ import annotations

import copy
import threading
from typing import TypeVar

from voicelive.store.base import SCHEMA_VERSION, Conversation, DayChange, Document

__all__ = ["MemoryStore"]

T = TypeVar("T")


class MemoryStore:
    """The :class:`~voicelive.store.Store` in a dict.

    Args:
        max_conversations: Conversations kept at most; the oldest-expiring go first.
    """

    def __init__(self, *, max_conversations: int = 10_000) -> None:
        self._days: dict[tuple[str, str], Document] = {}
        self._conversations: dict[str, Conversation] = {}
        self._max_conversations = max_conversations
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """``memory://``."""
        return "memory://"

    def load_day(self, user_id: str, day: str) -> Document | None:
        """The stored day of ``user_id``, or ``None``."""
        with self._lock:
            doc = self._days.get((user_id, day))
            return copy.deepcopy(doc) if doc is not None else None

    def update_day(self, user_id: str, day: str, change: DayChange[T]) -> T:
        """Read, change and write one day under the store's lock."""
        with self._lock:
            current = self._days.get((user_id, day))
            state, result = change(copy.deepcopy(current) if current is not None else None)
            self._days[(user_id, day)] = copy.deepcopy(state)
            return result

    def latest_day_before(self, user_id: str, day: str) -> Document | None:
        """The user's most recent stored day before ``day``."""
        with self._lock:
            earlier = sorted(d for (u, d) in self._days if u == user_id and d < day)
            return copy.deepcopy(self._days[(user_id, earlier[-1])]) if earlier else None

    def day_users(self) -> list[str]:
        """Every user with a stored day, sorted."""
        with self._lock:
            return sorted({u for (u, _) in self._days})

    def save_conversation(self, conversation: Conversation) -> None:
        """Insert or replace a conversation (bounded: the soonest to expire are dropped)."""
        with self._lock:
            self._conversations[conversation.conversation_id] = conversation
            excess = len(self._conversations) - self._max_conversations
            if excess > 0:
                for old in sorted(self._conversations.values(),
                                  key=lambda c: c.expires_at)[:excess]:
                    del self._conversations[old.conversation_id]

    def load_conversation(self, conversation_id: str, *, now: float) -> Conversation | None:
        """The conversation, unless unknown or expired."""
        with self._lock:
            found = self._conversations.get(conversation_id)
        return found if found is not None and found.expires_at > now else None

    def schema_version(self) -> int:
        """Always :data:`~voicelive.store.SCHEMA_VERSION`."""
        return SCHEMA_VERSION

    def close(self) -> None:
        """Nothing to release."""
