"""The contract every backend fulfils.

A backend is a factory of connections (like an httpx transport, it is tiny): ``connect()`` returns
an async context manager yielding a :class:`BackendConnection`. The connection accepts the user's
audio (PCM16 mono, 16 kHz), video frames (JPEG), text and tool results, and yields
:mod:`voicelive.events` objects: :class:`~voicelive.events.AudioOut` (PCM16 mono at
``AudioOut.sample_rate``), transcripts, :class:`~voicelive.events.ToolCall`,
:class:`~voicelive.events.ToolCallCancellation`, ``Interrupted``, ``TurnComplete``, ``GoAway``,
``Resumed``, ``Usage`` and ``SessionError``.

A backend never touches sources or sinks and never runs tools itself: the session runs the tool
and hands the result back with :meth:`BackendConnection.send_tool_result`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from voicelive.events import Event

if TYPE_CHECKING:
    from voicelive.config import SessionConfig
    from voicelive.tools import ToolRegistry

__all__ = ["INPUT_RATE", "OUTPUT_RATE", "Backend", "BackendConnection"]

INPUT_RATE = 16000
"""Sample rate of audio sent to a backend."""

OUTPUT_RATE = 24000
"""Sample rate of audio a backend normally returns."""


@runtime_checkable
class BackendConnection(Protocol):
    """One live connection to a model."""

    async def send_audio(self, pcm: bytes) -> None:
        """Send user audio: PCM16 little-endian mono at 16 kHz, even length."""
        ...

    async def send_frame(self, jpeg: bytes) -> None:
        """Send one video frame as JPEG bytes."""
        ...

    async def send_text(self, text: str) -> None:
        """Send a user text turn."""
        ...

    async def end_audio(self) -> None:
        """Say that the user's audio stream has ended (the source ran out).

        The backend then treats what it has heard as a finished utterance instead of waiting
        for more audio.
        """
        ...

    async def send_activity(self, *, start: bool) -> None:
        """Mark the start or end of user speech (manual activity detection only)."""
        ...

    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        """Return a tool's response (``{"output": ...}`` or ``{"error": ...}``) for a call id."""
        ...

    def events(self) -> AsyncIterator[Event]:
        """Iterate over events from the model until the connection ends."""
        ...


@runtime_checkable
class Backend(Protocol):
    """A factory of live connections; one backend object may serve many sessions."""

    name: str
    """Short name used in events and on the command line (``gemini``, ``local``)."""

    def default_model(self) -> str:
        """Return the model used when the config names none."""
        ...

    def connect(
        self, config: SessionConfig, tools: ToolRegistry
    ) -> AbstractAsyncContextManager[BackendConnection]:
        """Open a connection configured by ``config`` with ``tools`` declared."""
        ...
