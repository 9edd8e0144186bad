"""The browser wire protocol of ``/ws``: message models and pure parsing.

Client to server, JSON text messages (unknown extra fields are ignored)::

    {"type": "start", "mode": "audio" | "camera" | "screen",
     "voice": str | null, "user": str | null, "resume": str | null}
    {"type": "stop"}
    {"type": "ping", "id": any}
    {"type": "text", "text": str}
    {"type": "interrupt"}
    {"type": "mark", "name": str}

Client to server, binary messages: one tag byte, then the payload. ``0x01``: PCM16 little-endian
mono 16 kHz audio; ``0x02``: one JPEG frame.

Server to client: the JSON messages modelled below, every session event as its ``to_dict()``, and
untagged binary messages of PCM16 little-endian mono 24 kHz reply audio.

Nothing here touches a socket: :func:`parse_text` and :func:`parse_binary` turn raw messages into
models or raise :class:`ProtocolViolation`, which names the problem for the ``error`` reply.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

__all__ = [
    "ABORT_EXTENSION",
    "CLIENT_TYPES",
    "CLOSE_POLICY",
    "CLOSE_TOO_BIG",
    "INPUT_RATE",
    "MAX_INT_DIGITS",
    "MAX_PING_ID_CHARS",
    "MAX_TEXT_CHARS",
    "OUTPUT_RATE",
    "TAG_AUDIO",
    "TAG_FRAME",
    "AudioIn",
    "ClearMessage",
    "ClientMessage",
    "ErrorMessage",
    "FrameIn",
    "InterruptMessage",
    "MarkMessage",
    "PingId",
    "PingMessage",
    "PongMessage",
    "ProtocolViolation",
    "ReadyMessage",
    "StartMessage",
    "StopMessage",
    "StoppedMessage",
    "TextMessage",
    "check_size",
    "dump",
    "parse_binary",
    "parse_text",
]

INPUT_RATE = 16000
"""Sample rate of client audio (tag ``0x01``)."""

OUTPUT_RATE = 24000
"""Sample rate of reply audio sent to the client."""

TAG_AUDIO = 0x01
"""Binary tag: PCM16 LE mono 16 kHz audio follows."""

TAG_FRAME = 0x02
"""Binary tag: one JPEG frame follows."""

CLOSE_POLICY = 1008
"""Close code for policy failures (auth, origin, a client that stopped reading)."""

CLOSE_TOO_BIG = 1009
"""Close code for a message above the size limit."""

ABORT_EXTENSION = "voicelive.abort"
"""Key in a WebSocket scope's ``extensions``: a callable that drops the socket at once (offered
by :class:`~voicelive.server.transport.BoundedWebSocketProtocol`)."""

MAX_TEXT_CHARS = 8000
"""Longest typed turn (``text`` message) the server accepts, in characters."""

MAX_PING_ID_CHARS = 128
"""Longest string a ``ping`` may carry as its ``id``."""

MAX_INT_DIGITS = 20
"""Longest integer literal accepted in a client message (64-bit values fit)."""

_JPEG_MAGIC = b"\xff\xd8"


class _Message(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


# --- client -> server --------------------------------------------------------------------


class StartMessage(_Message):
    """Start a live session on this connection."""

    type: Literal["start"]
    mode: Literal["audio", "camera", "screen"] = "audio"
    voice: str | None = Field(default=None, min_length=1, max_length=64)
    user: str | None = Field(default=None, min_length=1, max_length=128)
    resume: str | None = Field(default=None, max_length=1024)


class StopMessage(_Message):
    """Stop the running session; the connection stays open for another ``start``."""

    type: Literal["stop"]


PingId = Annotated[str, Field(max_length=MAX_PING_ID_CHARS)] | int | float | bool | None
"""What a ping may carry as its ``id``: a JSON scalar, echoed back unchanged."""


class PingMessage(_Message):
    """Ask for a ``pong`` echoing ``id``.

    The id is a string of at most 128 characters, a number, a bool or ``null``.
    """

    type: Literal["ping"]
    id: PingId = None


class TextMessage(_Message):
    """A typed user turn of at most :data:`MAX_TEXT_CHARS` characters."""

    type: Literal["text"]
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class InterruptMessage(_Message):
    """The user cut the assistant off."""

    type: Literal["interrupt"]


class MarkMessage(_Message):
    """The browser finished playing the audio up to the mark ``name``."""

    type: Literal["mark"]
    name: str = Field(min_length=1, max_length=128)


ClientMessage = Annotated[
    StartMessage | StopMessage | PingMessage | TextMessage | InterruptMessage | MarkMessage,
    Field(discriminator="type"),
]
"""Any JSON message a client may send."""

CLIENT_TYPES = frozenset({"start", "stop", "ping", "text", "interrupt", "mark"})
"""The ``type`` values of client JSON messages."""

_CLIENT_ADAPTER: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)


@dataclass(frozen=True, slots=True)
class AudioIn:
    """A binary ``0x01`` message: user audio, PCM16 LE mono 16 kHz."""

    pcm: bytes


@dataclass(frozen=True, slots=True)
class FrameIn:
    """A binary ``0x02`` message: one JPEG frame."""

    jpeg: bytes


# --- server -> client --------------------------------------------------------------------


class ReadyMessage(_Message):
    """The session is live.

    Carries the audio formats of both directions and the voices ``start`` may name (empty:
    the backend has only its default voice).
    """

    type: Literal["ready"] = "ready"
    session_id: str
    backend: str
    model: str
    input_rate: int = INPUT_RATE
    output_rate: int = OUTPUT_RATE
    resumed: bool = False
    worker: int | None = None
    voices: tuple[str, ...] = ()


class ClearMessage(_Message):
    """Stop playback at once and drop buffered reply audio (interruption)."""

    type: Literal["clear"] = "clear"


class PongMessage(_Message):
    """Answer to ``ping``."""

    type: Literal["pong"] = "pong"
    id: PingId = None


class ErrorMessage(_Message):
    """Something the client sent or the session hit failed; the connection stays usable."""

    type: Literal["error"] = "error"
    code: str
    message: str
    retryable: bool = False


class StoppedMessage(_Message):
    """The session ended (``stopped`` by the client, ``shutdown``, ``closed``, ``error``...)."""

    type: Literal["stopped"] = "stopped"
    reason: str


def dump(message: BaseModel) -> dict[str, Any]:
    """Render a server message as a JSON-safe dict."""
    return message.model_dump(mode="json")


# --- parsing -----------------------------------------------------------------------------


class ProtocolViolation(Exception):
    """A client message breaks the protocol.

    Attributes:
        code: Machine-readable error code sent in the ``error`` message.
        message: Human-readable explanation.
        close_code: WebSocket close code when the connection must end, else ``None``.
    """

    def __init__(self, code: str, message: str, *, close_code: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.close_code = close_code

    def to_error(self) -> ErrorMessage:
        """The ``error`` message that reports this violation."""
        return ErrorMessage(code=self.code, message=self.message, retryable=False)


def check_size(nbytes: int, limit: int) -> None:
    """Raise a closing :class:`ProtocolViolation` when a message is above ``limit`` bytes."""
    if nbytes > limit:
        raise ProtocolViolation(
            "message_too_large",
            f"message of {nbytes} bytes is above the limit of {limit} bytes",
            close_code=CLOSE_TOO_BIG,
        )


_PING_ID_RULE = (
    f"bad 'ping' message: id must be a string of at most {MAX_PING_ID_CHARS} characters, "
    "a number, true, false or null"
)


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise ProtocolViolation(
            "invalid_json",
            f"integer of {len(literal.lstrip('-'))} digits; at most {MAX_INT_DIGITS} are accepted",
        )
    return int(literal)


def _parse_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise ProtocolViolation("invalid_json", f"number {literal[:20]}... is out of range")
    return value


def _parse_constant(literal: str) -> float:
    raise ProtocolViolation("invalid_json", f"{literal} is not valid JSON")


def _check_unicode(data: object) -> None:
    """Refuse strings holding lone surrogates (an escaped ``d800``): they cannot be encoded."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ProtocolViolation(
            "invalid_message", "message holds a lone UTF-16 surrogate escape (e.g. \\ud800)"
        ) from None


def parse_text(text: str) -> ClientMessage:
    """Parse one client JSON text message.

    Integers longer than :data:`MAX_INT_DIGITS` digits, ``NaN``/``Infinity`` and strings with a
    lone surrogate escape are refused here, before anything tries to convert or echo them.

    Raises:
        ProtocolViolation: ``invalid_json``, ``invalid_message`` (not an object, no ``type``,
            bad fields) or ``unknown_type``.
    """
    try:
        data = json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise ProtocolViolation("invalid_json", f"message is not valid JSON: {exc}") from None
    if "\\u" in text:  # only escapes can smuggle in a lone surrogate
        _check_unicode(data)
    if not isinstance(data, dict):
        raise ProtocolViolation("invalid_message", "message must be a JSON object")
    kind = data.get("type")
    if not isinstance(kind, str):
        raise ProtocolViolation("invalid_message", "message has no string 'type' field")
    if kind not in CLIENT_TYPES:
        raise ProtocolViolation(
            "unknown_type",
            f"unknown message type {kind[:40]!r}; expected one of {sorted(CLIENT_TYPES)}",
        )
    try:
        return _CLIENT_ADAPTER.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or kind
        if kind == "ping" and first["loc"][1:2] == ("id",):
            raise ProtocolViolation("invalid_message", _PING_ID_RULE) from None
        raise ProtocolViolation(
            "invalid_message", f"bad {kind!r} message: {where}: {first['msg']}"
        ) from None


def parse_binary(data: bytes) -> AudioIn | FrameIn:
    """Parse one client binary message by its tag byte.

    Raises:
        ProtocolViolation: ``empty_message``, ``unknown_tag``, ``bad_audio`` (empty or
            odd-length PCM16) or ``bad_frame`` (not a JPEG).
    """
    if not data:
        raise ProtocolViolation("empty_message", "binary message has no tag byte")
    tag = data[0]
    payload = data[1:]
    if tag == TAG_AUDIO:
        if not payload or len(payload) % 2:
            raise ProtocolViolation(
                "bad_audio",
                f"audio payload of {len(payload)} bytes is not a whole number of PCM16 samples",
            )
        return AudioIn(payload)
    if tag == TAG_FRAME:
        if not payload.startswith(_JPEG_MAGIC):
            raise ProtocolViolation("bad_frame", "frame payload is not a JPEG image")
        return FrameIn(payload)
    raise ProtocolViolation(
        "unknown_tag", f"unknown binary tag 0x{tag:02x}; expected 0x01 (audio) or 0x02 (frame)"
    )
