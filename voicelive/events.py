"""The session's vocabulary: frozen, slotted, keyword-only event dataclasses.

Every event has a class-level ``type`` (the name used in the JSON event stream of DESIGN.md) and
``to_dict()`` that renders it as one JSON-safe object. Events carry no global ids and are never
mutated; two events with equal fields are equal.

Backends produce these events (plus :class:`AudioOut` and :class:`ToolCallCancellation`, which
only travel from a backend to the session); :class:`voicelive.LiveSession` yields them to the
application.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "AssistantTranscript",
    "AudioOut",
    "Event",
    "GoAway",
    "Interrupted",
    "Resumed",
    "SessionClosed",
    "SessionError",
    "SessionStarted",
    "ToolCall",
    "ToolCallCancellation",
    "ToolCancelled",
    "ToolConfirmation",
    "ToolResult",
    "TurnComplete",
    "Usage",
    "UserTranscript",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base class of every event."""

    type: ClassVar[str] = "event"

    def to_dict(self) -> dict[str, Any]:
        """Render the event as a JSON-safe dict with its ``type`` first."""
        out: dict[str, Any] = {"type": self.type}
        for f in dataclasses.fields(self):
            if f.metadata.get("internal"):
                continue
            out[f.name] = getattr(self, f.name)
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionStarted(Event):
    """The backend connected and the session is live."""

    type: ClassVar[str] = "session_started"
    backend: str
    model: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UserTranscript(Event):
    """Text of what the user said; partial until ``final``."""

    type: ClassVar[str] = "user_transcript"
    text: str
    final: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class AssistantTranscript(Event):
    """Text of what the assistant says; partial until ``final``."""

    type: ClassVar[str] = "assistant_transcript"
    text: str
    final: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCall(Event):
    """The model asked for a tool to run."""

    type: ClassVar[str] = "tool_call"
    id: str
    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolResult(Event):
    """A tool finished; ``result`` holds its output or ``error`` its structured error."""

    type: ClassVar[str] = "tool_result"
    id: str
    name: str
    ok: bool
    result: Any = None
    error: dict[str, Any] | None = None
    duration_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Render with ``result`` when ok, else ``error``."""
        out: dict[str, Any] = {"type": self.type, "id": self.id, "name": self.name, "ok": self.ok}
        if self.ok:
            out["result"] = self.result
        else:
            out["error"] = self.error
        out["duration_ms"] = self.duration_ms
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCancelled(Event):
    """A running tool call was cancelled; no result was sent for it."""

    type: ClassVar[str] = "tool_cancelled"
    id: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolConfirmation(Event):
    """A call of a confirm tool awaits the user's yes, or that wait ended.

    ``status`` is ``pending`` (the details are read back as a question; nothing ran),
    ``confirmed`` (the user said yes; ``tool_result`` follows), ``declined`` (no, or a different
    request) or ``expired`` (no answer in time, or the session ended); after the last two,
    ``tool_cancelled`` follows. ``args`` are the arguments read back, the ones that run.
    """

    type: ClassVar[str] = "tool_confirmation"
    id: str
    name: str
    args: dict[str, Any] = field(default_factory=dict)
    status: str = "pending"
    question: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Interrupted(Event):
    """The user spoke over the assistant; its audio was cut."""

    type: ClassVar[str] = "interrupted"


@dataclass(frozen=True, slots=True, kw_only=True)
class TurnComplete(Event):
    """The assistant finished its turn.

    Attributes:
        latency_ms: End of user speech to first reply audio, when known.
        tool_ms: Time spent in tools during the turn.
        chunks_in: Audio chunks sent to the backend during the turn.
        chunks_out: Audio chunks written to the sink during the turn.
        dropped_chunks: Chunks dropped (gated input, interrupted output, full queues).
        stages_ms: Where ``latency_ms`` went, when the backend knows (the offline backend
            does): ``silence`` (the end-of-speech wait), ``stt`` (speech-to-text still running
            after it), ``understand`` (intent and slot check), ``tool``, ``first_audio``
            (text-to-speech until the first reply audio). ``None`` otherwise.
    """

    type: ClassVar[str] = "turn_complete"
    latency_ms: float | None = None
    tool_ms: float = 0.0
    chunks_in: int = 0
    chunks_out: int = 0
    dropped_chunks: int = 0
    stages_ms: dict[str, float] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GoAway(Event):
    """The service will close this connection soon; the session hands over."""

    type: ClassVar[str] = "go_away"
    time_left_s: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Resumed(Event):
    """A new connection resumed the conversation with a resumption handle."""

    type: ClassVar[str] = "resumed"
    handle: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Usage(Event):
    """Token counts reported by the model."""

    type: ClassVar[str] = "usage"
    prompt_tokens: int = 0
    response_tokens: int = 0
    total_tokens: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionError(Event):
    """Something failed; ``retryable`` says whether the session recovers by itself."""

    type: ClassVar[str] = "error"
    code: str
    message: str
    retryable: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionClosed(Event):
    """The session ended; ``reason`` says why (``closed``, ``error: ...``, ``cancelled``)."""

    type: ClassVar[str] = "session_closed"
    reason: str


# --- backend -> session only -------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class AudioOut(Event):
    """A chunk of reply audio from the backend (PCM16 mono at the backend's output rate)."""

    type: ClassVar[str] = "audio_out"
    data: bytes = field(metadata={"internal": True})
    sample_rate: int = 24000


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolCallCancellation(Event):
    """The backend withdrew tool calls by id."""

    type: ClassVar[str] = "tool_call_cancellation"
    ids: tuple[str, ...]
