"""The optional resumption hook of a backend connection.

A connection that can be continued by another connection, possibly in another process, offers
:meth:`Resumable.export_state`: a small JSON-safe dict of what a new connection needs. The
server stores it in the shared :class:`~voicelive.store.Store` as the session goes and, when a
client comes back with a resume token, opens the new connection with that dict as
:attr:`voicelive.SessionConfig.resume_state`.

Conventions of the dict:

* ``"handle"``: the Gemini Live session resumption handle (the newest resumable one); the
  server also passes it as :attr:`~voicelive.SessionConfig.resumption_handle`.
* ``"dialogue"``: the offline backend's dialogue state (its ``to_dict()``).

Backends without the method are resumed with a fresh connection (same user, same day state).
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["Resumable", "export_state"]


@runtime_checkable
class Resumable(Protocol):
    """A backend connection whose conversation another connection can continue."""

    def export_state(self) -> dict[str, Any]:
        """What a new connection needs to continue this conversation (JSON-safe)."""
        ...


def export_state(connection: object) -> dict[str, Any] | None:
    """``connection.export_state()`` when it has one, else ``None``."""
    if isinstance(connection, Resumable):
        return connection.export_state()
    return None
