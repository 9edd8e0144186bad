"""The server's connection-level limits, applied inside uvicorn's protocol objects.

Three things cannot be decided by the ASGI app because they happen before it runs or below it:

- **Connection cap and handshake timeout.** :class:`ConnectionGuard` decides (plain code, no
  sockets); :class:`GuardedHttpProtocol` applies it in uvicorn's HTTP protocol. A connection
  above the cap gets ``503`` with a one-line reason at once; a request whose headers are not
  complete within ``handshake_timeout_s`` (a half-sent WebSocket upgrade included) gets ``408``
  and is closed, before any token check, so unfinished requests cannot pile up file descriptors.
- **Pings that are never read.** :class:`BoundedWebSocketProtocol` stops reading from a client
  while the socket's write buffer is full, so a client that sends pings and never reads the
  pongs is held back by TCP instead of growing the server's memory.
- **Oversized messages and stalled clients.** A frame above ``ws_max_size`` is answered with
  the ``message_too_large`` error before close 1009, and the app can drop a stalled client's
  socket at once (``abort``) instead of waiting for megabytes of unsent audio to drain.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import PayloadTooBig

from voicelive.server.protocol import ABORT_EXTENSION

try:  # uvicorn's "auto" choice, made the same way
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _BaseHttp
except ImportError:  # pragma: no cover - httptools ships with uvicorn[standard]
    from uvicorn.protocols.http.h11_impl import H11Protocol as _BaseHttp  # type: ignore[assignment]

__all__ = [
    "ABORT_EXTENSION",
    "GUARD_ATTRIBUTE",
    "BoundedWebSocketProtocol",
    "ConnectionGuard",
    "GuardedHttpProtocol",
]



@dataclass
class ConnectionGuard:
    """Admission of TCP connections: the cap and the handshake deadline, with counters.

    Attributes:
        max_connections: Open connections (HTTP and WebSocket) the process keeps.
        handshake_timeout_s: Time a client has to finish a request's headers.
        on_refused: Called with ``"connections"`` or ``"handshake_timeout"`` per refusal.
        refused: Connections refused because the cap was reached.
        timed_out: Requests closed because their headers did not arrive in time.
    """

    max_connections: int
    handshake_timeout_s: float
    on_refused: Callable[[str], object] | None = None
    refused: int = field(default=0, init=False)
    timed_out: int = field(default=0, init=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle without ``on_refused`` (a worker process finds its own metrics)."""
        state = dict(self.__dict__)
        state["on_refused"] = None
        return state

    def admit(self, open_connections: int) -> bool:
        """Whether a new connection may stay, given how many are open counting itself."""
        if open_connections <= self.max_connections:
            return True
        self.refused += 1
        self._report("connections")
        return False

    def handshake_expired(self) -> None:
        """Count one request whose headers did not arrive in time."""
        self.timed_out += 1
        self._report("handshake_timeout")

    def refusal(self) -> bytes:
        """The response sent to a connection above the cap."""
        return _plain_response(
            503, "Service Unavailable",
            f"the server has reached its limit of {self.max_connections} open connections; "
            "try again later", retry_after=5,
        )

    def timeout_response(self) -> bytes:
        """The response sent when a request's headers did not arrive in time."""
        return _plain_response(
            408, "Request Timeout",
            f"the request headers did not arrive within {self.handshake_timeout_s:g} s",
        )

    def _report(self, reason: str) -> None:
        if self.on_refused is not None:
            self.on_refused(reason)


def _plain_response(status: int, phrase: str, text: str, retry_after: int | None = None) -> bytes:
    body = (text + "\n").encode()
    head = [
        f"HTTP/1.1 {status} {phrase}",
        "content-type: text/plain; charset=utf-8",
        f"content-length: {len(body)}",
        "connection: close",
    ]
    if retry_after is not None:
        head.append(f"retry-after: {retry_after}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


GUARD_ATTRIBUTE = "voicelive_guard"
"""Attribute of the ``uvicorn.Config`` holding the :class:`ConnectionGuard` in force."""

_DEFAULT_GUARD = ConnectionGuard(max_connections=256, handshake_timeout_s=10.0)


def _metrics_sink(app: Any) -> Callable[[str], object] | None:
    """``hub.metrics.rejected`` of the voicelive app inside uvicorn's wrappers, if any."""
    for _ in range(8):
        hub = getattr(getattr(app, "state", None), "hub", None)
        if hub is not None:
            rejected: Callable[[str], object] = hub.metrics.rejected
            return rejected
        app = getattr(app, "app", None)
        if app is None:
            break
    return None


class GuardedHttpProtocol(_BaseHttp):
    """uvicorn's HTTP protocol with the connection cap and the header deadline applied.

    The guard is the ``voicelive_guard`` attribute of the uvicorn config (set by
    :func:`~voicelive.server.run.build_server`). The class lives at module level and the guard
    pickles without its metrics hook, so a config can go to worker processes; there the hook
    is found again on the loaded app.
    """

    _deadline: asyncio.TimerHandle | None = None
    _refused = False

    @property
    def guard(self) -> ConnectionGuard:
        """The guard in force for this server."""
        guard: ConnectionGuard = getattr(self.config, GUARD_ATTRIBUTE, None) or _DEFAULT_GUARD
        if guard.on_refused is None and guard is not _DEFAULT_GUARD:
            guard.on_refused = _metrics_sink(self.config.loaded_app)
        return guard

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Count the connection in; above the cap it gets 503 and is closed at once."""
        super().connection_made(transport)
        guard = self.guard
        if not guard.admit(len(self.connections)):
            self._refused = True
            self.transport.write(guard.refusal())
            self.transport.close()
            return
        self._arm()

    def data_received(self, data: bytes) -> None:
        """Parse as uvicorn does; the deadline runs from a request's first byte to its headers."""
        if self._refused:
            return
        if self._deadline is None and self._between_requests():
            self._arm()
        super().data_received(data)
        if self._deadline is not None and (
            not self._between_requests()
            or self.transport.is_closing()
            or self.transport.get_protocol() is not self  # upgraded to a WebSocket
        ):
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the deadline, then let uvicorn clean up."""
        self._disarm()
        super().connection_lost(exc)

    def _between_requests(self) -> bool:
        cycle = self.cycle
        return cycle is None or bool(cycle.response_complete)

    def _arm(self) -> None:
        self._deadline = self.loop.call_later(self.guard.handshake_timeout_s, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing() or not self._between_requests():
            return
        guard = self.guard
        guard.handshake_expired()
        self.transport.write(guard.timeout_response())
        self.transport.close()


class BoundedWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O WebSocket protocol with bounded buffering (see the module notes)."""

    _write_blocked = False

    def handle_connect(self, event: Any) -> None:
        """Offer the app an ``abort`` extension along with the usual handshake."""
        super().handle_connect(event)
        scope: Any = getattr(self, "scope", None)
        if scope is not None:
            scope["extensions"][ABORT_EXTENSION] = self.abort

    def abort(self) -> None:
        """Drop the connection now, discarding whatever is still unsent."""
        self.close_sent = True
        self.transport.abort()

    def pause_writing(self) -> None:
        """The write buffer is full: stop reading too, so pongs cannot pile up."""
        super().pause_writing()
        self._write_blocked = True
        self.transport.pause_reading()

    def resume_writing(self) -> None:
        """The write buffer drained: read again unless the app itself is behind."""
        super().resume_writing()
        self._write_blocked = False
        if not self.read_paused and not self.transport.is_closing():
            self.transport.resume_reading()

    async def receive(self) -> Any:
        """The next ASGI event; reading resumes only while the client reads our writes."""
        message = await self.queue.get()
        if self.read_paused and self.queue.empty():
            self.read_paused = False
            if not self._write_blocked:
                self.transport.resume_reading()
        return message

    def handle_parser_exception(self) -> None:
        """A frame broke the protocol; for an oversized one, say so before closing 1009."""
        if isinstance(self.conn.parser_exc, PayloadTooBig) and self.handshake_complete:
            limit = self.config.ws_max_size
            self.transport.write(_text_frame(json.dumps({
                "type": "error",
                "code": "message_too_large",
                "message": f"message is above the limit of {limit} bytes",
                "retryable": False,
            })))
        super().handle_parser_exception()


def _text_frame(text: str) -> bytes:
    """One unmasked, final server text frame."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = bytes([0x81, size])
    elif size < 1 << 16:
        header = bytes([0x81, 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x81, 127]) + size.to_bytes(8, "big")
    return header + payload
