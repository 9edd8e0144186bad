"""Scripts for :class:`~voicelive.testing.LiveEmulator`: triggers, steps and the pure runner.

A script is a list of :class:`Step` objects played in order. Each step waits for its trigger
(a setup, some bytes of user audio, a tool response with an id, a text turn, the end of user
activity) and then sends its server messages and optionally closes the socket::

    from voicelive.testing import messages as m
    from voicelive.testing.script import on_audio, on_setup, on_tool_response

    script = [
        on_setup(m.resumption_update("h1")),
        on_audio(3200, m.input_transcript("add one and two"), m.tool_call("c1", "add", {"a": 1})),
        on_tool_response("c1", m.audio(reply_pcm), m.turn_complete()),
    ]

Steps run across connections: when a step closes the socket, the next step waits on whatever
connection comes next. :class:`ScriptRunner` holds the decisions (which steps fire for which
received message) in plain synchronous code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from voicelive.testing.messages import ServerMessage

__all__ = [
    "ActivityEnd",
    "AudioBytes",
    "AudioStreamEnd",
    "Close",
    "Elapsed",
    "Received",
    "ScriptRunner",
    "Setup",
    "Step",
    "TextTurn",
    "ToolResponse",
    "Trigger",
    "close",
    "on_activity_end",
    "on_audio",
    "on_audio_end",
    "on_setup",
    "on_text",
    "on_tool_response",
    "then",
    "wait",
]


@dataclass(frozen=True, slots=True)
class Received:
    """One message the emulator received from a client.

    Attributes:
        connection: 1-based index of the connection it arrived on.
        kind: The top-level field in snake_case: ``setup``, ``realtime_input``,
            ``client_content``, ``tool_response`` ...
        body: The message body, keys in snake_case, blob data decoded to bytes.
    """

    connection: int
    kind: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Setup:
    """Fires when a client's ``setup`` has been answered (a new connection is live)."""


@dataclass(frozen=True, slots=True)
class AudioBytes:
    """Fires once ``count`` bytes of user audio arrived since the previous step ran."""

    count: int


@dataclass(frozen=True, slots=True)
class ToolResponse:
    """Fires once a function response with ``call_id`` has arrived (now or earlier)."""

    call_id: str


@dataclass(frozen=True, slots=True)
class TextTurn:
    """Fires on a user text turn, optionally one containing ``contains``."""

    contains: str | None = None


@dataclass(frozen=True, slots=True)
class ActivityEnd:
    """Fires when the client sends ``activityEnd`` (manual activity detection)."""


@dataclass(frozen=True, slots=True)
class AudioStreamEnd:
    """Fires when the client sends ``audioStreamEnd`` (its audio source ran out)."""


@dataclass(frozen=True, slots=True)
class Elapsed:
    """Fires ``ms`` milliseconds after the previous step ran (a timer step).

    The emulator arms a timer when this step becomes the next one; it then plays on the
    connection that is open (or, if none is, on the next one as soon as it sends anything).
    """

    ms: int

    def __post_init__(self) -> None:
        if self.ms < 0:
            raise ValueError(f"a wait step needs ms >= 0, not {self.ms}")


Trigger = Setup | AudioBytes | ToolResponse | TextTurn | ActivityEnd | AudioStreamEnd | Elapsed
"""Anything a step can wait for."""


@dataclass(frozen=True, slots=True)
class Close:
    """Close the socket with a WebSocket code and reason.

    Code 1006 is special: no close frame is sent; the TCP connection is dropped.
    """

    code: int = 1000
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Step:
    """Wait for ``when``, send ``send`` in order, then close with ``close`` if given.

    Attributes:
        when: The trigger; ``None`` runs the step right after the previous one (or, when that
            one closed the connection, as soon as the next connection sends anything).
        send: Server messages (see :mod:`voicelive.testing.messages`).
        close: Close the connection after sending.
    """

    when: Trigger | None = None
    send: Sequence[ServerMessage] = ()
    close: Close | None = None


def on_setup(*send: ServerMessage, close: Close | None = None) -> Step:
    """Step that runs when a connection's setup is answered."""
    return Step(when=Setup(), send=send, close=close)


def on_audio(count: int, *send: ServerMessage, close: Close | None = None) -> Step:
    """Step that runs after ``count`` bytes of user audio."""
    return Step(when=AudioBytes(count), send=send, close=close)


def on_tool_response(call_id: str, *send: ServerMessage, close: Close | None = None) -> Step:
    """Step that runs once the response to tool call ``call_id`` arrived."""
    return Step(when=ToolResponse(call_id), send=send, close=close)


def on_text(*send: ServerMessage, contains: str | None = None, close: Close | None = None) -> Step:
    """Step that runs on a user text turn."""
    return Step(when=TextTurn(contains), send=send, close=close)


def on_activity_end(*send: ServerMessage, close: Close | None = None) -> Step:
    """Step that runs when the client marks the end of user activity."""
    return Step(when=ActivityEnd(), send=send, close=close)


def on_audio_end(*send: ServerMessage, close: Close | None = None) -> Step:
    """Step that runs when the client says its audio stream ended."""
    return Step(when=AudioStreamEnd(), send=send, close=close)


def then(*send: ServerMessage, close: Close | None = None) -> Step:
    """Step that runs right after the previous one."""
    return Step(when=None, send=send, close=close)


def wait(ms: int, *send: ServerMessage, close: Close | None = None) -> Step:
    """Step that runs ``ms`` milliseconds after the previous one (e.g. to let a deadline pass)."""
    return Step(when=Elapsed(ms), send=send, close=close)


def close(code: int = 1000, reason: str = "") -> Step:
    """Step that closes the connection right after the previous step."""
    return Step(when=None, close=Close(code, reason))


def _audio_bytes(message: Received) -> int:
    if message.kind != "realtime_input":
        return 0
    blobs: list[Any] = []
    if isinstance(message.body.get("audio"), dict):
        blobs.append(message.body["audio"])
    blobs.extend(message.body.get("media_chunks") or [])
    total = 0
    for blob in blobs:
        mime = str(blob.get("mime_type", ""))
        data = blob.get("data")
        if mime.startswith("audio/") and isinstance(data, bytes):
            total += len(data)
    return total


def _text_parts(message: Received) -> list[str]:
    if message.kind == "realtime_input" and isinstance(message.body.get("text"), str):
        return [message.body["text"]]
    if message.kind != "client_content":
        return []
    texts: list[str] = []
    for turn in message.body.get("turns") or []:
        for part in turn.get("parts") or []:
            if isinstance(part.get("text"), str):
                texts.append(part["text"])
    return texts


def tool_response_ids(message: Received) -> list[str]:
    """Return the call ids of the function responses in a ``tool_response`` message."""
    if message.kind != "tool_response":
        return []
    return [str(r.get("id")) for r in message.body.get("function_responses") or []]


@dataclass
class ScriptRunner:
    """Decides which steps of a script run for each message received.

    The emulator calls :meth:`observe` for every received message except ``setup``; once a setup
    is answered it calls it with the kind ``setup_complete``. It plays the steps returned.
    """

    steps: Sequence[Step]
    position: int = 0
    _audio: int = 0
    _texts: list[str] = field(default_factory=list)
    _activity_ends: int = 0
    _stream_ends: int = 0
    _setups: int = 0
    _tool_ids: set[str] = field(default_factory=set)
    _after_close: bool = False
    _timer_armed: bool = False
    _timer_fired: bool = False

    @property
    def done(self) -> bool:
        """Whether every step has run."""
        return self.position >= len(self.steps)

    def observe(self, message: Received) -> list[Step]:
        """Account for ``message`` and return the steps that run now, in order.

        The returned list stops after a step that closes the connection.
        """
        self._audio += _audio_bytes(message)
        self._texts.extend(_text_parts(message))
        self._tool_ids.update(tool_response_ids(message))
        if message.kind == "realtime_input" and message.body.get("activity_end") is not None:
            self._activity_ends += 1
        if message.kind == "realtime_input" and message.body.get("audio_stream_end"):
            self._stream_ends += 1
        if message.kind == "setup_complete":
            self._setups += 1
        if message.kind == "timer":
            self._timer_fired = True
        fired: list[Step] = []
        while not self.done:
            step = self.steps[self.position]
            if not self._ready(step.when):
                break
            fired.append(step)
            self.position += 1
            self._reset_counters()
            if step.close is not None:
                self._after_close = True
                break
        return fired

    def arm_timer(self) -> float | None:
        """Seconds until the next step when it is a timer step not yet armed, else ``None``.

        The caller sleeps that long and then calls :meth:`observe` with a message of kind
        ``timer``.
        """
        if self.done or self._timer_armed:
            return None
        when = self.steps[self.position].when
        if not isinstance(when, Elapsed):
            return None
        self._timer_armed = True
        return when.ms / 1000

    def _reset_counters(self) -> None:
        self._timer_armed = False
        self._timer_fired = False
        self._audio = 0
        self._texts.clear()
        self._activity_ends = 0
        self._stream_ends = 0
        self._setups = 0
        self._after_close = False

    def _ready(self, when: Trigger | None) -> bool:
        match when:
            case None:
                return not self._after_close or self._setups > 0
            case Setup():
                return self._setups > 0
            case AudioBytes(count=count):
                return self._audio >= count
            case ToolResponse(call_id=call_id):
                return call_id in self._tool_ids
            case TextTurn(contains=contains):
                return any(contains is None or contains in t for t in self._texts)
            case ActivityEnd():
                return self._activity_ends > 0
            case AudioStreamEnd():
                return self._stream_ends > 0
            case Elapsed():
                return self._timer_fired and (not self._after_close or self._setups > 0)
