"""What one client connection may do next: a pure state machine in the style of h11.

:class:`ClientState` receives every raw client message together with the current time and
answers with one :class:`Action`. It checks size, rate, framing and ordering (no audio before
``start``, one session at a time) and never awaits; the connection handler only carries out the
action. Session lifecycle changes come back in through :meth:`ClientState.session_live` and
:meth:`ClientState.session_ended`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from voicelive.server.policy import RateLimiter
from voicelive.server.protocol import (
    AudioIn,
    FrameIn,
    InterruptMessage,
    MarkMessage,
    PingMessage,
    ProtocolViolation,
    StartMessage,
    StopMessage,
    TextMessage,
    check_size,
    parse_binary,
    parse_text,
)

__all__ = [
    "Action",
    "ClientState",
    "Close",
    "ForwardAudio",
    "ForwardFrame",
    "ForwardText",
    "Ignore",
    "Interrupt",
    "MarkPlayed",
    "Phase",
    "Pong",
    "Refuse",
    "Start",
    "Stop",
]


class Phase(enum.Enum):
    """Where the connection's session is."""

    IDLE = "idle"
    STARTING = "starting"
    LIVE = "live"
    STOPPING = "stopping"


@dataclass(frozen=True, slots=True)
class Refuse:
    """Reply with an ``error``; the connection stays usable."""

    violation: ProtocolViolation


@dataclass(frozen=True, slots=True)
class Close:
    """Send an ``error`` then close the connection with ``code``."""

    violation: ProtocolViolation
    code: int


@dataclass(frozen=True, slots=True)
class Ignore:
    """Drop the message silently (rate-limited again within the warning interval)."""


@dataclass(frozen=True, slots=True)
class Start:
    """Admit and start a session as ``message`` asks."""

    message: StartMessage


@dataclass(frozen=True, slots=True)
class Stop:
    """Stop the running session."""


@dataclass(frozen=True, slots=True)
class Pong:
    """Answer a ping."""

    id: object


@dataclass(frozen=True, slots=True)
class ForwardAudio:
    """Hand user audio to the session's source."""

    pcm: bytes


@dataclass(frozen=True, slots=True)
class ForwardFrame:
    """Hand a JPEG frame to the session's frame source."""

    jpeg: bytes


@dataclass(frozen=True, slots=True)
class ForwardText:
    """Send a typed user turn."""

    text: str


@dataclass(frozen=True, slots=True)
class Interrupt:
    """Cut the assistant off."""


@dataclass(frozen=True, slots=True)
class MarkPlayed:
    """The browser played the audio up to mark ``name``."""

    name: str


Action = (
    Refuse | Close | Ignore | Start | Stop | Pong | ForwardAudio | ForwardFrame | ForwardText
    | Interrupt | MarkPlayed
)
"""Everything the handler may be asked to do."""

_ACTIVE = (Phase.STARTING, Phase.LIVE)


class ClientState:
    """Decisions for one connection.

    Args:
        max_message_bytes: Messages above this close the connection with 1009.
        rate: Sustained messages per second.
        burst: Messages allowed in a burst.
        now: The current time, in seconds on any monotonic clock.
    """

    def __init__(self, *, max_message_bytes: int, rate: float, burst: int, now: float) -> None:
        self.max_message_bytes = max_message_bytes
        self.limiter = RateLimiter(rate, burst, now=now)
        self.phase = Phase.IDLE
        self.mode = "audio"
        self.refused = 0

    # --- messages from the client ---------------------------------------------------------

    def receive_text(self, text: str, now: float) -> Action:
        """Decide what to do with one JSON text message."""
        try:
            check_size(len(text.encode("utf-8", "surrogatepass")), self.max_message_bytes)
            if not self.limiter.allow(now):
                return self._rate_limited(now)
            message = parse_text(text)
        except ProtocolViolation as violation:
            return self._refuse(violation)
        if isinstance(message, StartMessage):
            return self._on_start(message)
        if isinstance(message, StopMessage):
            if self.phase not in _ACTIVE:
                return self._refuse(ProtocolViolation("not_started", "no session to stop"))
            self.phase = Phase.STOPPING
            return Stop()
        if isinstance(message, PingMessage):
            return Pong(message.id)
        if isinstance(message, MarkMessage):
            return MarkPlayed(message.name)
        if self.phase not in _ACTIVE:
            return self._refuse(
                ProtocolViolation("not_started", f"send 'start' before '{message.type}'")
            )
        if self.phase is Phase.STARTING:
            return self._refuse(
                ProtocolViolation("not_ready", f"wait for 'ready' before '{message.type}'")
            )
        if isinstance(message, TextMessage):
            return ForwardText(message.text)
        assert isinstance(message, InterruptMessage)
        return Interrupt()

    def receive_bytes(self, data: bytes, now: float) -> Action:
        """Decide what to do with one binary message."""
        try:
            check_size(len(data), self.max_message_bytes)
            if not self.limiter.allow(now):
                return self._rate_limited(now)
            item = parse_binary(data)
        except ProtocolViolation as violation:
            return self._refuse(violation)
        if self.phase not in _ACTIVE:
            kind = "audio" if isinstance(item, AudioIn) else "frames"
            return self._refuse(ProtocolViolation("not_started", f"send 'start' before {kind}"))
        if isinstance(item, AudioIn):
            return ForwardAudio(item.pcm)
        assert isinstance(item, FrameIn)
        if self.mode == "audio":
            return self._refuse(
                ProtocolViolation(
                    "frames_not_enabled", "frames need a session started in camera or screen mode"
                )
            )
        return ForwardFrame(item.jpeg)

    # --- lifecycle from the handler -------------------------------------------------------

    def start_refused(self) -> None:
        """The start was refused (busy, backend down): back to idle."""
        self.phase = Phase.IDLE

    def session_live(self) -> None:
        """The session connected to its backend."""
        if self.phase is Phase.STARTING:
            self.phase = Phase.LIVE

    def session_ended(self) -> None:
        """The session ended for any reason; a new ``start`` is allowed."""
        self.phase = Phase.IDLE

    # --- helpers --------------------------------------------------------------------------

    def _on_start(self, message: StartMessage) -> Action:
        if self.phase is not Phase.IDLE:
            return self._refuse(
                ProtocolViolation(
                    "already_started",
                    f"a session is {self.phase.value}; send 'stop' and wait for 'stopped'",
                )
            )
        self.phase = Phase.STARTING
        self.mode = message.mode
        return Start(message)

    def _refuse(self, violation: ProtocolViolation) -> Action:
        self.refused += 1
        if violation.close_code is not None:
            return Close(violation, violation.close_code)
        return Refuse(violation)

    def _rate_limited(self, now: float) -> Action:
        if not self.limiter.should_warn(now):
            return Ignore()
        return self._refuse(
            ProtocolViolation(
                "rate_limited",
                f"more than {self.limiter.rate:g} messages per second; messages are being dropped",
            )
        )
