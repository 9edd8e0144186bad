"""What a :class:`~voicelive.testing.LiveEmulator` received and did, for tests to assert on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from voicelive.testing.conversation import Conversation
from voicelive.testing.messages import ServerMessage
from voicelive.testing.script import Received

__all__ = ["EmulatorClose", "Recording"]


@dataclass(frozen=True, slots=True)
class EmulatorClose:
    """A close the emulator itself decided (a script step, a refusal, a deadline).

    Attributes:
        connection: 1-based index of the connection.
        code: The WebSocket close code.
        reason: The close reason.
    """

    connection: int
    code: int
    reason: str


class Recording:
    """Client messages received, per-connection state, and the emulator's own closes.

    Attributes:
        received: Every client message in arrival order (when recording).
        paths: The request path of every accepted connection (when recording).
        closes: Every close the emulator decided, in order.
    """

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.paths: list[str] = []
        self.closes: list[EmulatorClose] = []
        self._conversations: dict[int, Conversation] = {}

    @property
    def setups(self) -> list[dict[str, Any]]:
        """The ``setup`` bodies received, one per connection."""
        return [r.body for r in list(self.received) if r.kind == "setup"]

    def audio(self, connection: int | None = None) -> bytes:
        """Return the user audio received (``audio`` and ``mediaChunks`` blobs), concatenated."""
        out = bytearray()
        for r in self._of(connection, "realtime_input"):
            blobs = [r.body.get("audio"), *(r.body.get("media_chunks") or [])]
            for blob in blobs:
                if not isinstance(blob, dict) or not isinstance(blob.get("data"), bytes):
                    continue
                if str(blob.get("mime_type", "audio/")).startswith("audio/"):
                    out += blob["data"]
        return bytes(out)

    def realtime_inputs(self, connection: int | None = None) -> list[dict[str, Any]]:
        """Return the ``realtime_input`` bodies received."""
        return [r.body for r in self._of(connection, "realtime_input")]

    def tool_responses(self, connection: int | None = None) -> list[dict[str, Any]]:
        """Return every function response received (``id``, ``name``, ``response``)."""
        out: list[dict[str, Any]] = []
        for r in self._of(connection, "tool_response"):
            out.extend(r.body.get("function_responses") or [])
        return out

    def _of(self, connection: int | None, kind: str) -> list[Received]:
        return [
            r
            for r in list(self.received)
            if r.kind == kind and (connection is None or r.connection == connection)
        ]

    # --- what the profiles did --------------------------------------------------------------

    def conversation(self, connection: int) -> Conversation:
        """The profile state of connection ``connection`` (1-based).

        Raises:
            KeyError: No such connection sent a setup.
        """
        return self._conversations[connection]

    def profile_names(self) -> list[str]:
        """The profile each connection ran with, in connection order."""
        return [self._conversations[i].profile.name for i in sorted(self._conversations)]

    @property
    def withheld(self) -> list[ServerMessage]:
        """Script messages a profile held back, across connections.

        That is a ``turnComplete`` or a resumable handle sent while a tool call was pending.
        """
        return [m for c in self._all() for m in c.withheld]

    @property
    def suppressed(self) -> list[ServerMessage]:
        """Model content not sent because a function response was scheduled ``SILENT``."""
        return [m for c in self._all() for m in c.suppressed]

    @property
    def cancelled(self) -> list[str]:
        """Ids of ``BLOCKING`` calls the emulator cancelled because the user said something new."""
        return [i for c in self._all() for i in c.cancelled]

    @property
    def ignored_tool_responses(self) -> list[str]:
        """Ids of function responses ignored, as the service does: their call was answered.

        The service takes one function response per call (more only while a ``NON_BLOCKING``
        call is kept open with ``will_continue``); see :mod:`voicelive.testing.responses`.
        """
        return [i for c in self._all() for i in c.responses.ignored]

    def _all(self) -> list[Conversation]:
        return [self._conversations[i] for i in sorted(self._conversations)]
