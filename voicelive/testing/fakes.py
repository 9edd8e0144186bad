"""A scripted backend for tests of code that uses LiveSession (like httpx's MockTransport).

:class:`ScriptedBackend` plays a list of steps: events to emit, and :class:`Await` conditions
on what the session has sent (audio bytes, a tool result, a text, the end of the audio). It
records everything the session sent, so a test can assert on it without sockets or models.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio

from voicelive.events import Event
from voicelive.exceptions import BackendError

if TYPE_CHECKING:
    from voicelive.config import SessionConfig
    from voicelive.tools import ToolRegistry

__all__ = ["Await", "Fail", "ScriptedBackend", "ScriptedConnection"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Await:
    """Wait until the session has sent all of this before playing the next step.

    Attributes:
        audio_bytes: At least this many bytes of user audio in total.
        tool_result: A tool result for this call id.
        texts: At least this many text turns.
        audio_end: The session said the audio stream ended.
    """

    audio_bytes: int = 0
    tool_result: str | None = None
    texts: int = 0
    audio_end: bool = False


@dataclass(frozen=True, slots=True)
class Fail:
    """End the connection with a :class:`BackendError`."""

    message: str = "scripted failure"
    retryable: bool = False


Step = Event | Await | Fail


@dataclass
class ScriptedConnection:
    """What one session sent to a :class:`ScriptedBackend`, and the steps it plays back."""

    steps: Sequence[Step]
    audio: bytearray = field(default_factory=bytearray)
    frames: list[bytes] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    tool_results: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    activity: list[bool] = field(default_factory=list)
    audio_ended: bool = False
    closed: bool = False
    _changed: anyio.Event = field(default_factory=anyio.Event)

    def _touch(self) -> None:
        self._changed.set()
        self._changed = anyio.Event()

    def _satisfied(self, cond: Await) -> bool:
        return (
            len(self.audio) >= cond.audio_bytes
            and len(self.texts) >= cond.texts
            and (not cond.audio_end or self.audio_ended)
            and (cond.tool_result is None
                 or any(r[0] == cond.tool_result for r in self.tool_results))
        )

    async def send_audio(self, pcm: bytes) -> None:
        """Record user audio."""
        self.audio += pcm
        self._touch()

    async def send_frame(self, jpeg: bytes) -> None:
        """Record a frame."""
        self.frames.append(jpeg)
        self._touch()

    async def send_text(self, text: str) -> None:
        """Record a text turn."""
        self.texts.append(text)
        self._touch()

    async def end_audio(self) -> None:
        """Record the end of the audio stream."""
        self.audio_ended = True
        self._touch()

    async def send_activity(self, *, start: bool) -> None:
        """Record a manual activity marker."""
        self.activity.append(start)
        self._touch()

    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        """Record a tool result."""
        self.tool_results.append((call_id, name, response))
        self._touch()

    async def events(self) -> AsyncIterator[Event]:
        """Play the steps; after the last one, stay open until the session closes."""
        for step in self.steps:
            if isinstance(step, Await):
                while not self._satisfied(step):
                    await self._changed.wait()
            elif isinstance(step, Fail):
                raise BackendError(step.message, retryable=step.retryable)
            else:
                yield step
        await anyio.sleep_forever()


class ScriptedBackend:
    """A backend that plays the same script to every session and keeps each connection.

    Attributes:
        connections: One :class:`ScriptedConnection` per session, in order.
    """

    name = "scripted"

    def __init__(self, steps: Sequence[Step], *, model: str = "scripted-model") -> None:
        self.steps = list(steps)
        self.model = model
        self.connections: list[ScriptedConnection] = []

    def default_model(self) -> str:
        """Return the model name reported in ``session_started``."""
        return self.model

    @asynccontextmanager
    async def connect(
        self, config: SessionConfig, tools: ToolRegistry
    ) -> AsyncIterator[ScriptedConnection]:
        """Open a scripted connection."""
        conn = ScriptedConnection(self.steps)
        self.connections.append(conn)
        try:
            yield conn
        finally:
            conn.closed = True
