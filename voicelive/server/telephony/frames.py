"""Twilio Media Streams messages, both ways, as plain synchronous code.

:class:`StreamState` reads each text frame Twilio sends on ``/twilio/stream`` and answers with
one typed value: :class:`CallStarted`, :class:`CallAudio`, :class:`MarkEcho`,
:class:`CallStopped`, :class:`Ignored` or :class:`BadFrame`. It checks the JSON, the event name,
the base64 payload and the order (no ``media`` before ``start``), never raises for what Twilio
(or an impostor) sends, and counts every bad frame by reason. The builders at the bottom make
the three messages sent to Twilio: ``media``, ``mark`` and ``clear``.

Twilio's side, for reference (all JSON text frames)::

    {"event": "connected", "protocol": "Call", "version": "1.0.0"}
    {"event": "start", "streamSid": "MZ...", "start": {"streamSid": "MZ...", "callSid": "CA...",
     "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
     "customParameters": {...}}}
    {"event": "media", "streamSid": "MZ...", "media": {"payload": "<base64 mu-law>"}}
    {"event": "mark", "streamSid": "MZ...", "mark": {"name": "..."}}
    {"event": "dtmf", "streamSid": "MZ...", "dtmf": {"digit": "1"}}
    {"event": "stop", "streamSid": "MZ...", "stop": {"callSid": "CA..."}}
"""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from voicelive.audio.mulaw import mulaw_to_pcm16

__all__ = [
    "BadFrame",
    "CallAudio",
    "CallStarted",
    "CallStopped",
    "Ignored",
    "Inbound",
    "MarkEcho",
    "StreamState",
    "clear_message",
    "mark_message",
    "media_message",
]

MAX_FRAME_CHARS = 64 * 1024
"""Largest text frame accepted from Twilio (a 20 ms media frame is about 300 characters)."""

MAX_PARAMETERS = 32
"""Custom parameters kept from ``start``; more are a bad frame."""


@dataclass(frozen=True, slots=True)
class CallStarted:
    """The stream started: ids and the ``<Parameter>`` values of the TwiML."""

    stream_sid: str
    call_sid: str
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CallAudio:
    """Caller audio, decoded to PCM16 mono 8 kHz."""

    pcm: bytes


@dataclass(frozen=True, slots=True)
class MarkEcho:
    """Twilio played the audio sent before the mark called ``name`` (or cleared it)."""

    name: str


@dataclass(frozen=True, slots=True)
class CallStopped:
    """The call hung up or the stream was stopped."""


@dataclass(frozen=True, slots=True)
class Ignored:
    """A well-formed message with nothing to do (``connected``, ``dtmf``)."""

    event: str


@dataclass(frozen=True, slots=True)
class BadFrame:
    """A frame that was refused; ``reason`` is a short code, ``detail`` says what was wrong."""

    reason: str
    detail: str


Inbound = CallStarted | CallAudio | MarkEcho | CallStopped | Ignored | BadFrame
"""What :meth:`StreamState.receive` may answer."""


class StreamState:
    """Decisions for one Media Streams connection.

    Attributes:
        stream_sid: The stream id once ``start`` arrived.
        call_sid: The call id once ``start`` arrived.
        bad: Refused frames by reason (``json``, ``event``, ``base64``, ``order``, ...).
        frames: Frames received.
    """

    def __init__(self) -> None:
        self.stream_sid: str | None = None
        self.call_sid: str | None = None
        self.stopped = False
        self.bad: Counter[str] = Counter()
        self.frames = 0

    def receive(self, text: str) -> Inbound:
        """Decide what one text frame from Twilio means."""
        self.frames += 1
        if len(text) > MAX_FRAME_CHARS:
            return self._bad("size", f"frame of {len(text)} characters (limit {MAX_FRAME_CHARS})")
        try:
            message = json.loads(text)
        except ValueError:
            return self._bad("json", "frame is not JSON")
        if not isinstance(message, dict):
            return self._bad("json", "frame is not a JSON object")
        event = message.get("event")
        if event == "media":
            return self._media(message)
        if event == "mark":
            return self._mark(message)
        if event == "start":
            return self._start(message)
        if event == "stop":
            self.stopped = True
            return CallStopped()
        if event in ("connected", "dtmf"):
            return Ignored(str(event))
        return self._bad("event", f"unknown event {str(event)[:40]!r}")

    def _start(self, message: dict[str, Any]) -> Inbound:
        if self.stream_sid is not None:
            return self._bad("order", "a second 'start' on the same stream")
        start = message.get("start")
        if not isinstance(start, dict):
            return self._bad("start", "'start' carries no start object")
        stream_sid = start.get("streamSid") or message.get("streamSid")
        call_sid = start.get("callSid")
        if not isinstance(stream_sid, str) or not isinstance(call_sid, str):
            return self._bad("start", "'start' lacks streamSid or callSid")
        media_format = start.get("mediaFormat")
        if isinstance(media_format, dict) and (
            media_format.get("encoding", "audio/x-mulaw") != "audio/x-mulaw"
            or media_format.get("sampleRate", 8000) != 8000
        ):
            return self._bad("format", f"unsupported media format {media_format!r}")
        raw = start.get("customParameters") or {}
        if not isinstance(raw, dict) or len(raw) > MAX_PARAMETERS:
            return self._bad("start", "customParameters is not a small object")
        params = {str(k)[:64]: str(v)[:256] for k, v in raw.items()}
        self.stream_sid, self.call_sid = stream_sid, call_sid
        return CallStarted(stream_sid=stream_sid, call_sid=call_sid, parameters=params)

    def _media(self, message: dict[str, Any]) -> Inbound:
        if self.stream_sid is None:
            return self._bad("order", "'media' before 'start'")
        media = message.get("media")
        payload = media.get("payload") if isinstance(media, dict) else None
        if not isinstance(payload, str):
            return self._bad("media", "'media' carries no payload")
        if isinstance(media, dict) and media.get("track", "inbound") not in ("inbound",
                                                                              "inbound_track"):
            return Ignored("media")  # the caller's side only; outbound echoes are not input
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            return self._bad("base64", "media payload is not valid base64")
        return CallAudio(mulaw_to_pcm16(data))

    def _mark(self, message: dict[str, Any]) -> Inbound:
        mark = message.get("mark")
        name = mark.get("name") if isinstance(mark, dict) else None
        if not isinstance(name, str):
            return self._bad("mark", "'mark' carries no name")
        return MarkEcho(name)

    def _bad(self, reason: str, detail: str) -> BadFrame:
        self.bad[reason] += 1
        return BadFrame(reason, detail)


def _dump(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


def media_message(stream_sid: str, mulaw: bytes) -> str:
    """The ``media`` message that plays ``mulaw`` (8 kHz) to the caller."""
    payload = base64.b64encode(mulaw).decode("ascii")
    return _dump({"event": "media", "streamSid": stream_sid, "media": {"payload": payload}})


def mark_message(stream_sid: str, name: str) -> str:
    """The ``mark`` message Twilio echoes once the audio before it has played."""
    return _dump({"event": "mark", "streamSid": stream_sid, "mark": {"name": name}})


def clear_message(stream_sid: str) -> str:
    """The ``clear`` message: Twilio drops the audio it holds and echoes the pending marks."""
    return _dump({"event": "clear", "streamSid": stream_sid})
