"""One phone call: moves bytes between Twilio's Media Stream and one isolated LiveSession.

Decisions live elsewhere: :class:`~voicelive.server.telephony.frames.StreamState` reads Twilio's
frames, :class:`~voicelive.server.telephony.playback.PlaybackLedger` turns mark echoes into
what the caller heard, :class:`~voicelive.server.outbound.OutboundQueue` bounds what waits to
be sent. This module only carries them out.

Three tasks share one task group: the receive loop (Twilio's frames), the send loop (the bounded
outbox: ``media`` + ``mark`` per reply chunk, ``clear`` on barge-in, an end mark per reply) and
the session (its events; a transfer once its announcement was heard). The call takes one of the
server's session slots, its tools and backend, and reports to its metrics. Caller audio is
8 kHz mu-law, decoded and upsampled here to 16 kHz for the model; the session resamples the
reply down to the sink's 8 kHz, which encodes it.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from typing import TYPE_CHECKING

import anyio
import anyio.lowlevel
import anyio.to_thread
from anyio.abc import TaskGroup
from starlette.websockets import WebSocket, WebSocketDisconnect

from voicelive.audio.format import PCM16_16K, AudioFormat
from voicelive.audio.memory import MemorySource
from voicelive.audio.mulaw import PCM16_8K, pcm16_to_mulaw
from voicelive.audio.resample import StreamResampler
from voicelive.config import SessionConfig
from voicelive.events import ToolResult, TurnComplete
from voicelive.exceptions import ClosedError, VoiceLiveError
from voicelive.server.hub import SessionHub
from voicelive.server.outbound import OutboundQueue
from voicelive.server.telephony.frames import (
    BadFrame,
    CallAudio,
    CallStarted,
    CallStopped,
    MarkEcho,
    StreamState,
    clear_message,
    mark_message,
    media_message,
)
from voicelive.server.telephony.playback import PlaybackLedger
from voicelive.server.telephony.transfer import CALL_CONTROL_KEY, RestTransfer, TransferError
from voicelive.session import LiveSession
from voicelive.tools import ToolRegistry

if TYPE_CHECKING:
    from voicelive.server.telephony.routes import Telephony

__all__ = ["TwilioCall", "TwilioSink"]

log = logging.getLogger(__name__)

SOURCE_CHUNKS = 250
"""Caller frames (20 ms each) held for a slow backend: 5 s, then dropped and counted."""

MAX_OUT_AUDIO_MS = 10_000
"""Reply audio queued for Twilio before the oldest is dropped (counted)."""

MAX_CONTROLS = 256
"""Marks and clears queued for Twilio before the call counts as stalled."""

TRANSFER_WAIT_S = 15.0
"""Longest wait for the transfer announcement's end mark before redirecting anyway."""

_CLEAR = "clear"
_END = "end"


class _Outbox:
    """The bounded, ordered queue to Twilio with a wake-up for the sender."""

    def __init__(self) -> None:
        self.queue = OutboundQueue(PCM16_8K.bytes_for(MAX_OUT_AUDIO_MS) // 2, MAX_CONTROLS)
        self._ready = anyio.Event()
        self.closed = False

    def push_audio(self, mulaw: bytes) -> int:
        dropped = self.queue.push_audio(mulaw)
        self._ready.set()
        return dropped

    def push(self, token: str) -> None:
        self.queue.push_control(token)
        self._ready.set()

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    async def next(self) -> bytes | str | None:
        while True:
            item = self.queue.pop()
            if item is not None:
                return item
            if self.closed:
                return None
            self._ready = anyio.Event()
            await self._ready.wait()


class TwilioSink:
    """The session's :class:`~voicelive.audio.AudioSink` on a call: PCM16 8 kHz in, mu-law out.

    Args:
        outbox: The call's queue to Twilio.
        on_drop: Called with the number of reply chunks dropped (queue full).
    """

    format: AudioFormat = PCM16_8K

    def __init__(self, outbox: _Outbox, on_drop: object = None) -> None:
        self._outbox = outbox
        self._on_drop = on_drop
        self._closed = False
        self._since_clear = False
        self.dropped = 0

    async def write(self, chunk: bytes) -> None:
        """Encode a chunk of reply audio and queue it for the caller."""
        if self._closed:
            raise ClosedError("TwilioSink is closed; cannot write")
        self.format.check(chunk)
        if chunk:
            self._since_clear = True
            self.dropped += self._outbox.push_audio(pcm16_to_mulaw(chunk))

    async def clear(self) -> None:
        """Barge-in: drop queued audio and have Twilio drop what it holds (``clear``)."""
        self._outbox.queue.clear_audio()
        if self._since_clear and not self._closed:
            self._since_clear = False
            self._outbox.push(_CLEAR)

    async def drain(self) -> None:
        """Nothing to wait for: Twilio paces playback and marks say when it is heard."""

    async def aclose(self) -> None:
        """Stop accepting audio."""
        self._closed = True


class TwilioCall:
    """Serve one ``/twilio/stream`` WebSocket until the call ends.

    Args:
        websocket: The (not yet accepted) WebSocket.
        hub: The server's shared state (slots, backend, tools, metrics).
        telephony: The telephony settings and the transfer, if configured.
    """

    def __init__(self, websocket: WebSocket, hub: SessionHub, telephony: Telephony) -> None:
        self.ws = websocket
        self.hub = hub
        self.telephony = telephony
        self.id = uuid.uuid4().hex[:12]
        self.state = StreamState()
        self.ledger = PlaybackLedger()
        self.outbox = _Outbox()
        self.source = MemorySource(PCM16_16K, max_chunks=SOURCE_CHUNKS)
        # soxr's high-quality filter holds about 100 ms of 8 kHz audio fed in 20 ms frames
        # before it answers; the quick one answers every frame (measured in bench_phone.py)
        self._upsampler = StreamResampler(PCM16_8K, PCM16_16K.sample_rate, quality="QQ")
        self.session: LiveSession | None = None
        self.transfer_requested = False
        self.transferred = False
        self.end_reason = "closed"
        self._transfer_mark: str | None = None
        self._tg: TaskGroup | None = None
        self._session_scope = anyio.CancelScope()
        self._session_done = anyio.Event()

    # --- lifecycle ------------------------------------------------------------------------

    async def serve(self) -> None:
        """Accept the socket and serve it until Twilio stops the stream or the server ends."""
        await self.ws.accept()
        self.hub.register(self)
        self.hub.metrics.connection_opened()
        log.info("call %s: stream opened", self.id)
        try:
            async with anyio.create_task_group() as tg:
                self._tg = tg
                tg.start_soon(self._send_loop)
                await self._receive_loop()
                await self._finish_session()
                tg.cancel_scope.cancel()
        finally:
            self.hub.unregister(self)
            self.hub.metrics.connection_closed()
            with contextlib.suppress(OSError, RuntimeError, WebSocketDisconnect):
                await self.ws.close(1000)
            bad = dict(self.state.bad)
            log.info("call %s: ended (%s); bad frames %s, caller frames dropped %d", self.id,
                     self.end_reason, bad or 0, self.source.dropped)

    def shutdown(self, reason: str) -> None:
        """Server shutdown: end the session and the stream."""
        self.end_reason = reason
        self.source.end()
        if self.session is not None and self._tg is not None:
            self._tg.start_soon(self.session.close)
        self._session_scope.deadline = anyio.current_time() + self.hub.settings.stop_grace_s
        if self._tg is not None:
            self._tg.start_soon(self._close_ws)

    async def _close_ws(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, WebSocketDisconnect):
            await self.ws.close(1001)

    async def _finish_session(self) -> None:
        """The stream ended: let the session close, within the grace period."""
        self.source.end()
        if self.session is None:
            self._session_scope.cancel()
            return
        await self.session.close()
        with anyio.move_on_after(self.hub.settings.stop_grace_s + 1.0):
            await self._session_done.wait()
        self._session_scope.cancel()

    # --- Twilio -> us ---------------------------------------------------------------------

    async def _receive_loop(self) -> None:
        while True:
            try:
                message = await self.ws.receive()
            except (WebSocketDisconnect, RuntimeError):
                return
            if message["type"] == "websocket.disconnect":
                if self.end_reason == "closed":
                    self.end_reason = "hung up"
                return
            text = message.get("text")
            if text is None:
                self.state.bad["binary"] += 1
                self._bad(BadFrame("binary", "Twilio sends JSON text frames only"))
                continue
            inbound = self.state.receive(text)
            if isinstance(inbound, CallAudio):
                with contextlib.suppress(VoiceLiveError):  # the session is ending
                    if not self.source.push_nowait(self._upsampler.process(inbound.pcm)):
                        self.hub.metrics.audio_dropped("in", 1)  # counted as it happens
                await anyio.lowlevel.checkpoint()  # let the session's pump take it
            elif isinstance(inbound, MarkEcho):
                self._on_mark(inbound.name)
            elif isinstance(inbound, CallStarted):
                assert self._tg is not None
                self._tg.start_soon(self._run_session, inbound)
            elif isinstance(inbound, CallStopped):
                if self.end_reason == "closed":
                    self.end_reason = "stopped"
                return
            elif isinstance(inbound, BadFrame):
                self._bad(inbound)

    def _bad(self, frame: BadFrame) -> None:
        self.hub.metrics.protocol_error(f"twilio_{frame.reason}")
        log.warning("call %s: bad frame (%s): %s", self.id, frame.reason, frame.detail)

    def _on_mark(self, name: str) -> None:
        kind = self.ledger.echo(name)
        if kind == "unknown":
            self.state.bad["mark"] += 1
            self._bad(BadFrame("mark", "echo of a mark this call never sent"))
        if self._transfer_mark and kind != "unknown" and not self.ledger.is_pending(
            self._transfer_mark
        ):
            self._start_transfer()

    # --- us -> Twilio ---------------------------------------------------------------------

    async def _send_loop(self) -> None:
        try:
            while True:
                item = await self.outbox.next()
                if item is None or self.state.stream_sid is None:
                    return
                sid = self.state.stream_sid
                if isinstance(item, bytes):
                    await self.ws.send_text(media_message(sid, item))
                    mark = self.ledger.audio_sent(len(item) * 1000.0 / PCM16_8K.sample_rate)
                    await self.ws.send_text(mark_message(sid, mark))
                elif item == _CLEAR:
                    await self.ws.send_text(clear_message(sid))
                    for cut in self.ledger.cleared():
                        log.info("call %s: reply %d cut after %.0f of %.0f ms heard", self.id,
                                 cut.reply, cut.heard_ms, cut.sent_ms)
                elif item == _END:
                    end = self.ledger.reply_ended()
                    if end is not None:
                        await self.ws.send_text(mark_message(sid, end))
                    if self.transfer_requested and self._transfer_mark is None:
                        self._transfer_mark = end or ""
                        if end is None:
                            self._start_transfer()
                        elif self._tg is not None:
                            self._tg.start_soon(self._transfer_deadline)
        except (OSError, RuntimeError, WebSocketDisconnect):
            if self._tg is not None:  # the socket is gone: end everything now
                self._tg.cancel_scope.cancel()

    # --- the session ----------------------------------------------------------------------

    def request_transfer(self) -> bool:
        """:class:`~voicelive.server.telephony.transfer.CallControl`: transfer after this reply."""
        if self.telephony.transfer is None or self.state.call_sid is None:
            return False
        self.transfer_requested = True
        return True

    def _tools(self) -> ToolRegistry:
        tools = self.hub.tools_for_session() or ToolRegistry([])
        transfer = self.telephony.transfer
        if transfer is not None and transfer.tool.name not in tools:
            tools = tools.merge([transfer.tool])
        return tools

    async def _run_session(self, start: CallStarted) -> None:
        hub = self.hub
        holder = f"call-{self.id}"
        if hub.shutting_down or not hub.slots.acquire(holder):
            hub.metrics.rejected("busy")
            log.warning("call %s: refused, the server runs its session limit", self.id)
            self.end_reason = "busy"
            self._session_done.set()
            await self._close_ws()
            return
        hub.metrics.session_started()
        caller = start.parameters.get("caller") or f"phone-{start.call_sid[-12:]}"
        config = SessionConfig(  # 20 ms chunks: Twilio's frame, no waiting for a second one
            model=hub.settings.model, instructions=hub.settings.instructions, user_id=caller,
            chunk_ms=20,
        )
        sink = TwilioSink(self.outbox)
        try:
            with self._session_scope:
                session = LiveSession(hub.backend, config, source=self.source, sink=sink,
                                      tools=self._tools(), session_id=f"call-{self.id}")
                session.context.state[CALL_CONTROL_KEY] = self
                async with session:
                    self.session = session
                    log.info("call %s: session %s live", self.id, session.session_id)
                    async for event in session:
                        if isinstance(event, TurnComplete):
                            self.outbox.push(_END)
                            hub.metrics.turn_completed(event.latency_ms)
                        elif isinstance(event, ToolResult):
                            hub.metrics.tool_finished(event.duration_ms)
        except Exception as exc:  # the boundary: one failing call must not end the server
            log.warning("call %s: session failed: %s", self.id, type(exc).__name__)
            self.end_reason = f"error: {type(exc).__name__}"
        finally:
            hub.slots.release(holder)
            hub.metrics.session_ended()
            hub.metrics.audio_dropped("out", sink.dropped)
            self.session = None
            self._session_done.set()
            self.outbox.close()
            if self.end_reason == "closed" and self._tg is not None:
                self.end_reason = "session ended"  # the call cannot go on without it
                self._tg.start_soon(self._close_ws)

    # --- transfer -------------------------------------------------------------------------

    async def _transfer_deadline(self) -> None:
        await anyio.sleep(TRANSFER_WAIT_S)
        self._start_transfer()

    def _start_transfer(self) -> None:
        if self.transferred or not self.transfer_requested or self._tg is None:
            return
        self.transferred = True
        self._tg.start_soon(self._transfer)

    async def _transfer(self) -> None:
        transfer: RestTransfer | None = self.telephony.transfer
        call_sid = self.state.call_sid
        if transfer is None or call_sid is None:
            return
        try:
            await anyio.to_thread.run_sync(transfer.redirect, call_sid)
        except TransferError as exc:
            log.warning("call %s: transfer failed: %s", self.id, exc)
            self.transferred = False
            self.transfer_requested = False  # the call goes on; the tool may be asked again
            self._transfer_mark = None
            return
        log.info("call %s: transferred to a person", self.id)
        self.end_reason = "transferred"
        self.source.end()
        if self.session is not None:
            await self.session.close()
        with anyio.move_on_after(self.hub.settings.stop_grace_s + 1.0):
            await self._session_done.wait()
        await self._close_ws()
