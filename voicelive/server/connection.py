"""One browser connection: moves bytes between a WebSocket and at most one LiveSession at a time.

The connection runs three tasks in one task group: the receive loop (client messages, decided by
:class:`~voicelive.server.state.ClientState`), the send loop (draining the bounded
:class:`~voicelive.server.sink.Outbox`) and, while a session runs, the session task that forwards
its events. When the client disconnects the task group is cancelled, which ends the session and
its backend connection at once; on ``stop`` or server shutdown the session is closed gracefully,
``stopped`` is sent and the socket closes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import anyio
from anyio.abc import TaskGroup
from starlette.websockets import WebSocket, WebSocketDisconnect

from voicelive.audio.format import PCM16_16K, PCM16_24K
from voicelive.audio.memory import MemorySource
from voicelive.events import Event, SessionClosed, ToolResult, TurnComplete
from voicelive.exceptions import BackendError, VoiceLiveError
from voicelive.server.frames import FrameInbox
from voicelive.server.hub import SessionHub
from voicelive.server.protocol import (
    ABORT_EXTENSION,
    ErrorMessage,
    PongMessage,
    ReadyMessage,
    StartMessage,
    StoppedMessage,
    dump,
)
from voicelive.server.resumption import Checkpointer
from voicelive.server.sink import Outbox, WebSocketSink
from voicelive.server.state import (
    Action,
    ClientState,
    Close,
    ForwardAudio,
    ForwardFrame,
    ForwardText,
    Ignore,
    Interrupt,
    MarkPlayed,
    Pong,
    Refuse,
    Start,
    Stop,
)
from voicelive.session import LiveSession

__all__ = ["ClientConnection"]

log = logging.getLogger(__name__)

_INTERNAL_EVENTS = frozenset({"audio_out", "tool_call_cancellation"})
_CLOSE_GOING_AWAY = 1001
_CLOSE_POLICY = 1008
_CLOSE_INTERNAL = 1011
_SOURCE_CHUNKS = 50  # user audio held for a slow backend: 1-2 s, then dropped and counted


@dataclass(eq=False)
class _Run:
    """One live session of a connection."""

    start: StartMessage
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    scope: anyio.CancelScope = field(default_factory=anyio.CancelScope)
    source: MemorySource = field(
        default_factory=lambda: MemorySource(PCM16_16K, max_chunks=_SOURCE_CHUNKS)
    )
    frames: FrameInbox | None = None
    session: LiveSession | None = None
    stop_reason: str | None = None
    done: anyio.Event = field(default_factory=anyio.Event)


class ClientConnection:
    """Serve one accepted WebSocket until it closes.

    Args:
        websocket: The Starlette WebSocket (not yet accepted).
        hub: The server's shared state.
    """

    def __init__(self, websocket: WebSocket, hub: SessionHub) -> None:
        settings = hub.settings
        self.ws = websocket
        self.hub = hub
        self.id = uuid.uuid4().hex[:12]
        self.state = ClientState(
            max_message_bytes=settings.max_message_bytes,
            rate=settings.rate_limit,
            burst=settings.rate_burst,
            now=anyio.current_time(),
        )
        self.outbox = Outbox(
            PCM16_24K.bytes_for(settings.max_outgoing_audio_ms),
            on_drop=lambda n: hub.metrics.audio_dropped("out", n),
        )
        self._tg: TaskGroup | None = None
        self._recv_scope = anyio.CancelScope()
        self._closing: tuple[int, str] | None = None
        self._aborted = False
        self._run: _Run | None = None
        self._sender_done = anyio.Event()
        self._sending_since: float | None = None

    # --- lifecycle ------------------------------------------------------------------------

    async def serve(self) -> None:
        """Accept the socket and serve it until the client or the server ends it."""
        await self.ws.accept()
        self.hub.register(self)
        self.hub.metrics.connection_opened()
        log.debug("connection %s opened", self.id)
        try:
            async with anyio.create_task_group() as tg:
                self._tg = tg
                tg.start_soon(self._send_loop)
                tg.start_soon(self._watch_sends)
                with self._recv_scope:
                    await self._receive_loop()
                if self._closing is not None and not self._aborted:
                    await self._close_gracefully(*self._closing)
                tg.cancel_scope.cancel()
            if self._aborted:
                with anyio.move_on_after(0.2):
                    await self._close_socket(_CLOSE_POLICY, "client stopped reading")
                self._drop_socket()
        finally:
            self.hub.unregister(self)
            self.hub.metrics.connection_closed()
            log.debug("connection %s closed", self.id)

    def shutdown(self, reason: str) -> None:
        """Stop the session, send ``stopped`` with ``reason`` and close with 1001."""
        if self._closing is None:
            self._closing = (_CLOSE_GOING_AWAY, reason)
        self._recv_scope.cancel()

    async def _close_gracefully(self, code: int, reason: str) -> None:
        run = self._run
        if run is not None:
            self._request_stop(run, reason)
            with anyio.move_on_after(self.hub.settings.stop_grace_s + 1.0):
                await run.done.wait()
        self.outbox.close()
        with anyio.move_on_after(1.0):
            await self._sender_done.wait()
        with anyio.move_on_after(1.0):
            await self._close_socket(code, reason)

    def _drop_socket(self) -> None:
        """Release a stalled client's socket now; what it never read is discarded."""
        abort = self.ws.scope.get("extensions", {}).get(ABORT_EXTENSION)
        if callable(abort):
            abort()

    async def _close_socket(self, code: int, reason: str) -> None:
        with contextlib.suppress(OSError, RuntimeError):  # already closed by either side
            await self.ws.close(code, reason[:120])

    # --- receiving ------------------------------------------------------------------------

    async def _receive_loop(self) -> None:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            now = anyio.current_time()
            text = message.get("text")
            try:
                if text is not None:
                    action = self.state.receive_text(text, now)
                else:
                    action = self.state.receive_bytes(message.get("bytes") or b"", now)
            except Exception as exc:  # the boundary: a parser bug closes cleanly, never crashes
                log.warning("connection %s: could not handle a message (%s)", self.id,
                            type(exc).__name__)
                self.hub.metrics.protocol_error("internal_error")
                self.outbox.send_json(dump(ErrorMessage(
                    code="internal_error", message="the server could not handle that message",
                )))
                self._closing = (_CLOSE_INTERNAL, "internal_error")
                return
            if await self._act(action):
                return

    async def _act(self, action: Action) -> bool:
        """Carry out one decision; ``True`` when the connection must close."""
        run = self._run
        if isinstance(action, ForwardAudio):
            if run is not None:
                with contextlib.suppress(VoiceLiveError):  # a session ending drops late audio
                    run.source.push_nowait(action.pcm)
        elif isinstance(action, ForwardFrame):
            if run is not None and run.frames is not None:
                run.frames.push_nowait(action.jpeg)
        elif isinstance(action, Refuse | Close):
            violation = action.violation
            self.hub.metrics.protocol_error(violation.code)
            log.debug("connection %s: refused message (%s)", self.id, violation.code)
            self.outbox.send_json(dump(violation.to_error()))
            if isinstance(action, Close):
                self._closing = (action.code, violation.code)
                return True
        elif isinstance(action, Ignore):
            self.hub.metrics.protocol_error("rate_limited")
        elif isinstance(action, Pong):
            self.outbox.send_json(dump(PongMessage(id=action.id)))
        elif isinstance(action, MarkPlayed):
            self.outbox.last_mark_played = action.name
        elif isinstance(action, Start):
            assert self._tg is not None
            self._run = _Run(action.message)
            if action.message.mode != "audio":
                self._run.frames = FrameInbox()
            self._tg.start_soon(self._run_session, self._run)
        elif isinstance(action, Stop):
            if run is not None:
                self._request_stop(run, "stopped")
        else:
            await self._call_session(run, action)
        return False

    async def _call_session(self, run: _Run | None, action: ForwardText | Interrupt) -> None:
        session = run.session if run is not None else None
        if session is None:
            return
        try:
            if isinstance(action, ForwardText):
                await session.send_text(action.text)
            else:
                await session.interrupt()
        except VoiceLiveError as exc:
            self.outbox.send_json(self._error("session_error", exc))

    # --- the session ----------------------------------------------------------------------

    def _request_stop(self, run: _Run, reason: str) -> None:
        if run.stop_reason is None:
            run.stop_reason = reason
        run.scope.deadline = min(
            run.scope.deadline, anyio.current_time() + self.hub.settings.stop_grace_s
        )
        if run.session is not None and self._tg is not None:
            self._tg.start_soon(run.session.close)
        else:
            run.scope.cancel()

    async def _run_session(self, run: _Run) -> None:
        hub = self.hub
        voice = run.start.voice
        if voice is not None and voice not in hub.voices:
            offered = ", ".join(hub.voices) or "none besides the default (send null)"
            self.outbox.send_json(dump(ErrorMessage(
                code="unknown_voice",
                message=f"the {hub.backend.name} backend has no voice {voice[:40]!r}; "
                f"voices: {offered}",
            )))
            self.state.start_refused()
            self._run = None
            run.done.set()
            return
        if hub.shutting_down or not hub.slots.acquire(self.id):
            hub.metrics.rejected("busy")
            self.outbox.send_json(dump(ErrorMessage(
                code="busy",
                message=f"the server already runs its limit of {hub.slots.limit} session(s); "
                "try again later",
                retryable=True,
            )))
            self.state.start_refused()
            self._run = None
            run.done.set()
            return
        hub.metrics.session_started()
        reason = "closed"
        checkpoints: Checkpointer | None = None
        try:
            with run.scope:
                plan = await hub.resumer.begin(run.start, run.session_id) if hub.resumer else None
                config = hub.session_config(run.start, run.session_id)
                if plan is not None:
                    self._send_optional(plan.refusal_message())
                    config = plan.apply(config)
                session = LiveSession(
                    hub.backend,
                    config,
                    source=run.source,
                    sink=WebSocketSink(self.outbox),
                    frames=run.frames,
                    tools=hub.tools_for_session(),
                    session_id=run.session_id,
                )
                async with session:
                    run.session = session
                    self.state.session_live()
                    self.outbox.send_json(dump(ReadyMessage(
                        session_id=run.session_id,
                        backend=hub.backend.name,
                        model=session.config.model or hub.backend.default_model(),
                        resumed=plan is not None and plan.resumed, worker=os.getpid(),
                        voices=hub.voices,
                    )))
                    log.info("connection %s: session %s live", self.id, run.session_id)
                    if plan is not None and hub.resumer is not None and self._tg is not None:
                        checkpoints = Checkpointer(hub.resumer, plan, session.export_state,
                                                   self.outbox.send_json)
                        self._tg.start_soon(checkpoints.run)
                    async for event in session:
                        self._forward(event)
                        if checkpoints is not None and isinstance(event, TurnComplete):
                            checkpoints.poke()
                        if isinstance(event, SessionClosed):
                            reason = event.reason
        except Exception as group:  # the boundary: one failing session must not end the server
            exc = _unwrap(group)
            if isinstance(exc, VoiceLiveError):
                log.warning("session %s failed: %s", run.session_id, type(exc).__name__)
                self.outbox.send_json(self._error("session_failed", exc))
            else:
                log.exception("session %s crashed", run.session_id)
                self.outbox.send_json(self._error("internal_error", exc))
            reason = "error"
        finally:
            if checkpoints is not None:
                checkpoints.stop()
            hub.slots.release(self.id)
            hub.metrics.session_ended()
            hub.metrics.audio_dropped("in", run.source.dropped)
            run.session = None
            if self._run is run:
                self._run = None
            self.state.session_ended()
            self.outbox.send_json(dump(StoppedMessage(reason=run.stop_reason or reason)))
            log.info("connection %s: session %s ended", self.id, run.session_id)
            run.done.set()

    def _forward(self, event: Event) -> None:
        if event.type in _INTERNAL_EVENTS:
            return
        if isinstance(event, TurnComplete):
            self.outbox.send_mark()
            self.hub.metrics.turn_completed(event.latency_ms)
        elif isinstance(event, ToolResult):
            self.hub.metrics.tool_finished(event.duration_ms)
        self.outbox.send_json(event.to_dict())

    def _send_optional(self, message: dict[str, Any] | None) -> None:
        if message is not None:
            self.outbox.send_json(message)

    @staticmethod
    def _error(code: str, exc: Exception) -> dict[str, Any]:
        retryable = isinstance(exc, BackendError) and exc.retryable
        message = str(exc) if isinstance(exc, VoiceLiveError) else type(exc).__name__
        return dump(ErrorMessage(code=code, message=message, retryable=retryable))

    # --- sending --------------------------------------------------------------------------

    async def _send_loop(self) -> None:
        try:
            while True:
                item = await self.outbox.next()
                if item is None:
                    return
                self._sending_since = anyio.current_time()
                if isinstance(item, bytes):
                    await self.ws.send_bytes(item)
                else:
                    await self.ws.send_text(_encodable(item))
                self._sending_since = None
                if self.outbox.stalled:
                    self._abort()
                    return
        except (OSError, RuntimeError, WebSocketDisconnect):
            if self._tg is not None:  # the socket is gone: end everything now
                self._tg.cancel_scope.cancel()
        finally:
            self._sender_done.set()

    async def _watch_sends(self) -> None:
        """Abort when one send has been blocked for ``send_timeout_s``: the client stopped reading.

        A watchdog instead of a timeout around every send keeps the hot path cheap.
        """
        timeout = self.hub.settings.send_timeout_s
        while True:
            await anyio.sleep(timeout / 4)
            since = self._sending_since
            if since is not None and anyio.current_time() - since >= timeout:
                self._abort()
                return

    def _abort(self) -> None:
        log.warning("connection %s: client stopped reading; closing", self.id)
        self.hub.metrics.rejected("stalled")
        self._aborted = True
        self.outbox.close()
        if self._tg is not None:
            self._tg.cancel_scope.cancel()


def _encodable(text: str) -> str:
    """``text`` with lone surrogates escaped, so it can go out as UTF-8 (JSON stays valid)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _unwrap(exc: Exception) -> Exception:
    """The single error inside (nested) exception groups, or the group itself."""
    while isinstance(exc, ExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc
