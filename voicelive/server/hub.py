"""What the connections of one server share: the backend, the tools, session slots, metrics.

Nothing user-specific lives here. Each connection builds its own :class:`~voicelive.SessionConfig`
(with its own ``user_id``) and each session gets its own tool context, so the only things two
sessions have in common are the loaded models behind the backend and the tool definitions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import anyio

from voicelive.backends.base import Backend
from voicelive.config import SessionConfig
from voicelive.server.metrics import ServerMetrics
from voicelive.server.policy import SessionSlots
from voicelive.server.protocol import StartMessage
from voicelive.server.settings import ServerSettings

if TYPE_CHECKING:
    from voicelive.server.resumption import Resumer
    from voicelive.tools import ToolRegistry

__all__ = ["GEMINI_VOICES", "Closable", "SessionHub", "backend_voices"]

GEMINI_VOICES = ("Puck", "Charon", "Kore", "Fenrir", "Aoede", "Leda", "Orus", "Zephyr")
"""Prebuilt Gemini Live voices offered when the Gemini backend does not list its own."""


def backend_voices(backend: Backend) -> tuple[str, ...]:
    """The voice names a backend can speak with; empty when it has only its default voice.

    A backend lists them in a ``voices`` attribute; the Gemini backend without one gets
    :data:`GEMINI_VOICES`; any other backend (the offline one has one Piper voice) offers none.
    """
    listed = getattr(backend, "voices", None)
    if listed is not None:
        return tuple(str(v) for v in listed)
    return GEMINI_VOICES if backend.name == "gemini" else ()

log = logging.getLogger(__name__)


class Closable(Protocol):
    """A live connection the hub can ask to finish."""

    def shutdown(self, reason: str) -> None:
        """Stop the session, say ``stopped`` with ``reason`` and close the socket."""
        ...


class SessionHub:
    """Shared state of one server process.

    Args:
        settings: The server settings.
        backend: The backend every session connects through.
        tools: The tool registry every session may call, or a factory called once per session.
        metrics: Where counters go.
    """

    def __init__(
        self,
        settings: ServerSettings,
        backend: Backend,
        tools: ToolRegistry | Callable[[], ToolRegistry] | None,
        metrics: ServerMetrics,
    ) -> None:
        self.settings = settings
        self.backend = backend
        self.metrics = metrics
        self.slots = SessionSlots(settings.max_sessions)
        self._tools = tools
        self.connections: set[Closable] = set()
        self.shutting_down = False
        self.ready = False
        self.ready_error: str | None = None
        self._idle: anyio.Event | None = None
        self.resumer: Resumer | None = None
        """Resume tokens and stored conversations (``None``: resumption is off)."""
        self.voices = backend_voices(backend)

    @property
    def model(self) -> str:
        """The model sessions use."""
        return self.settings.model or self.backend.default_model()

    def tools_for_session(self) -> ToolRegistry | None:
        """The tool registry of a new session."""
        if self._tools is None or not callable(self._tools):
            return self._tools
        return self._tools()

    def session_config(self, start: StartMessage, session_id: str) -> SessionConfig:
        """Build the config of one session; an anonymous user gets a per-session user id."""
        return SessionConfig(
            model=self.settings.model,
            instructions=self.settings.instructions,
            voice=start.voice,
            user_id=start.user or f"anon-{session_id}",
        )

    def register(self, conn: Closable) -> None:
        """Track an accepted connection."""
        self.connections.add(conn)

    def unregister(self, conn: Closable) -> None:
        """Forget a finished connection."""
        self.connections.discard(conn)
        if not self.connections and self._idle is not None:
            self._idle.set()

    async def close_all(self, reason: str = "shutdown", grace_s: float = 5.0) -> bool:
        """Ask every connection to finish, and wait up to ``grace_s`` for them to go.

        Returns:
            Whether every connection finished in time.
        """
        self.shutting_down = True
        pending = list(self.connections)
        if pending:
            log.info("closing %d connection(s): %s", len(pending), reason)
        self._idle = anyio.Event()
        for conn in pending:
            conn.shutdown(reason)
        if self.connections:
            with anyio.move_on_after(grace_s):
                await self._idle.wait()
        return not self.connections
