"""LiveSession: one task group that pumps audio, frames, tool calls and events.

The session is the only place where sources, sinks, frames, tools and a backend meet. It owns
one anyio task group; every task it starts ends when the session ends, and sources, sinks and
the backend connection are closed on the way out, whatever the reason.

Decisions (is this chunk sent, is this reply audio written, what did the turn measure) are made
by :class:`voicelive.turns.TurnTracker`; this module only moves bytes and calls it.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import anyio
from anyio.abc import TaskGroup, TaskStatus

from voicelive._event_queue import EventQueue
from voicelive._uplink import pump_audio, pump_frames
from voicelive.audio.format import AudioFormat
from voicelive.audio.protocols import AudioSink, AudioSource
from voicelive.audio.resample import StreamResampler
from voicelive.backends.base import Backend, BackendConnection
from voicelive.backends.resumable import export_state
from voicelive.config import SessionConfig
from voicelive.confirming import SessionConfirmations
from voicelive.events import (
    AudioOut,
    Event,
    Interrupted,
    SessionClosed,
    SessionError,
    SessionStarted,
    ToolCall,
    ToolCallCancellation,
    ToolCancelled,
    ToolResult,
    TurnComplete,
    UserTranscript,
)
from voicelive.exceptions import (
    BackendError,
    ConnectionClosedError,
    FrameError,
    UsageError,
    VoiceLiveError,
)
from voicelive.tools import ToolContext, ToolRegistry
from voicelive.turns import TurnTracker
from voicelive.video.protocols import FrameSource

__all__ = ["LiveSession", "SessionStats"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SessionStats:
    """Counters of a session so far.

    Attributes:
        chunks_in: Audio chunks sent to the backend.
        chunks_out: Reply chunks written to the sink.
        dropped_in: Input chunks dropped (input gated while a blocking tool ran).
        dropped_out: Reply chunks dropped after an interruption.
        frames: Frames sent; ``dropped_frames`` frames dropped while gated.
        dropped_frames: Frames dropped while input was gated.
        dropped_events: Events the application did not read in time.
        turns: Completed turns.
        interruptions: Barge-ins.
    """

    chunks_in: int
    chunks_out: int
    dropped_in: int
    dropped_out: int
    frames: int
    dropped_frames: int
    dropped_events: int
    turns: int
    interruptions: int


class LiveSession:
    """A live conversation: ``async with LiveSession(...) as s: async for event in s: ...``.

    Args:
        backend: The model side (``GeminiBackend`` or ``LocalBackend``).
        config: Session settings; defaults apply when ``None``.
        source: Where the user's audio comes from (any format; resampled to 16 kHz mono).
        sink: Where the reply audio goes (resampled to the sink's rate).
        frames: Optional camera or screen frames (JPEG) sent beside the audio.
        tools: Tools the model may call.
        session_id: An id for logs and tool contexts; random when ``None``.
        max_events: Events buffered for the application before new ones are dropped (counted).
    """

    def __init__(
        self,
        backend: Backend,
        config: SessionConfig | None = None,
        *,
        source: AudioSource | None = None,
        sink: AudioSink | None = None,
        frames: FrameSource | None = None,
        tools: ToolRegistry | None = None,
        session_id: str | None = None,
        max_events: int = 4096,
    ) -> None:
        self.backend = backend
        self.config = config or SessionConfig()
        self.source = source
        self.sink = sink
        self.frames = frames
        self.tools = tools if tools is not None else ToolRegistry([])
        self.session_id = session_id or uuid.uuid4().hex[:12]
        self.context = ToolContext(session_id=self.session_id, user_id=self.config.user_id)
        self.error: VoiceLiveError | None = None
        self._connect_error: VoiceLiveError | None = None
        self.tracker = TurnTracker(policy=self.config.input_policy)
        self._events = EventQueue(max_events)  # opened on entering, settled on leaving
        self._outer: TaskGroup | None = None
        self._inner = anyio.CancelScope()
        self._conn: BackendConnection | None = None
        self._tool_scopes: dict[str, tuple[str, anyio.CancelScope]] = {}
        self._out_resampler: StreamResampler | None = None
        self._entered = False
        self._close_reason = "closed"
        self.confirmations = SessionConfirmations(self)
        """Spoken confirmation of ``@tool(confirm=...)`` calls (its clock and timeout)."""

    # --- lifecycle -----------------------------------------------------------------------

    async def __aenter__(self) -> LiveSession:
        if self._entered:
            raise UsageError("a LiveSession can be entered only once")
        self._entered = True
        self._events.open()
        self._outer = anyio.create_task_group()
        await self._outer.__aenter__()
        try:
            await self._outer.start(self._supervise)
        except BaseException as exc:
            try:
                await self._outer.__aexit__(type(exc), exc, exc.__traceback__)
            finally:
                self._events.settle()
            raise
        if self._connect_error is not None:
            # the supervisor has finished; the group exits cleanly and the caller gets our error
            try:
                await self._outer.__aexit__(None, None, None)
            finally:
                self._events.settle()
            raise self._connect_error
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        if exc_type is not None and issubclass(exc_type, anyio.get_cancelled_exc_class()):
            self._close_reason = "cancelled"
        elif exc is not None:
            self._close_reason = f"error: {type(exc).__name__}"
        self._inner.cancel()
        assert self._outer is not None
        try:
            return await self._outer.__aexit__(exc_type, exc, tb)
        finally:
            self._events.settle()

    async def close(self) -> None:
        """End the session: stop every task, close the source, sink and connection."""
        self._inner.cancel()

    async def _supervise(self, *, task_status: TaskStatus[None]) -> None:
        started = False
        try:
            async with self.backend.connect(self.config, self.tools) as conn:
                self._conn = conn
                model = self.config.model or self.backend.default_model()
                self._emit(SessionStarted(backend=self.backend.name, model=model))
                log.info("session %s started (%s, %s)", self.session_id, self.backend.name, model)
                started = True
                task_status.started()
                with self._inner:
                    async with anyio.create_task_group() as tg:
                        tg.start_soon(self._guard, self._pump_backend, tg)
                        tg.start_soon(self._guard, self.confirmations.watch, tg)
                        if self.source is not None:
                            tg.start_soon(self._guard, self._pump_input)
                        if self.frames is not None:
                            tg.start_soon(self._guard, self._pump_frames)
        except VoiceLiveError as exc:
            if not started:
                self._connect_error = exc
                self._close_reason = f"error: {exc}"
            else:
                self._fail(exc)
        finally:
            with anyio.CancelScope(shield=True):
                await self._release()
            if not started and self._connect_error is not None:
                task_status.started()  # __aenter__ raises the connect error itself

    async def _guard(self, pump: Any, *args: Any) -> None:
        """Run one pump; a library error ends the session with that error."""
        try:
            await pump(*args)
        except VoiceLiveError as exc:
            self._fail(exc)
            self._inner.cancel()

    def _fail(self, exc: VoiceLiveError) -> None:
        if self.error is not None:
            return
        self.error = exc
        code = str(exc.code) if isinstance(exc, ConnectionClosedError) else type(exc).__name__
        retryable = isinstance(exc, BackendError) and exc.retryable
        self._emit(SessionError(code=code, message=str(exc), retryable=retryable))
        self._close_reason = f"error: {exc}"
        log.warning("session %s failed: %s", self.session_id, type(exc).__name__)

    async def _release(self) -> None:
        for closer in (self.source, self.sink, self.frames):
            if closer is None:
                continue
            try:
                if closer is self.sink and self.error is None and self._close_reason == "closed":
                    await self._flush_output()
                await closer.aclose()
            except Exception as exc:  # a broken device must not hide the session's own end
                log.warning("closing %s failed: %s", type(closer).__name__, exc)
        self.confirmations.end()
        self._emit(SessionClosed(reason=self._close_reason))
        self._events.end()

    async def _flush_output(self) -> None:
        if self._out_resampler is not None and self.sink is not None:
            tail = self._out_resampler.flush()
            if tail:
                await self.sink.write(tail)

    # --- the application's side ----------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[Event]:
        return self._events.iterate()

    def _emit(self, event: Event) -> None:
        self._events.emit(event)

    def _connection(self) -> BackendConnection:
        if self._conn is None:
            raise UsageError("the session is not connected; use 'async with LiveSession(...)'")
        return self._conn

    async def send_text(self, text: str) -> None:
        """Send a user text turn."""
        if not text.strip():
            raise UsageError("send_text needs non-empty text")
        await self._connection().send_text(text)

    async def interrupt(self) -> None:
        """Cut the assistant off: clear the sink and drop the rest of this turn's audio."""
        self._connection()
        await self._on_interrupted()

    def export_state(self) -> dict[str, Any] | None:
        """What a new connection needs to continue this conversation, or ``None``.

        The backend connection's :meth:`~voicelive.backends.resumable.Resumable.export_state`;
        ``None`` before connecting or when the backend keeps nothing resumable.
        """
        return export_state(self._conn)

    @property
    def stats(self) -> SessionStats:
        """Counters so far."""
        t = self.tracker.totals
        return SessionStats(
            chunks_in=t["in"], chunks_out=t["out"], dropped_in=t["dropped_in"],
            dropped_out=t["dropped_out"], frames=t["frames"], dropped_frames=t["dropped_frames"],
            dropped_events=self._events.dropped, turns=t["turns"],
            interruptions=t["interruptions"],
        )

    # --- pumps ---------------------------------------------------------------------------

    async def _pump_input(self) -> None:
        assert self.source is not None
        await pump_audio(self.source, self._connection(), self.tracker, self.config.chunk_ms)

    async def _pump_frames(self) -> None:
        assert self.frames is not None
        await pump_frames(self.frames, self._connection(), self.tracker, self._on_frame_error)

    def _on_frame_error(self, exc: FrameError) -> None:
        # frames are context, not the conversation: report, stop frames, keep talking
        self._emit(SessionError(code="frame_error", message=str(exc), retryable=False))
        log.warning("session %s: frame source stopped: %s", self.session_id, exc)

    async def _pump_backend(self, tg: TaskGroup) -> None:
        conn = self._connection()
        async for event in conn.events():
            if type(event) is AudioOut:  # the per-chunk case first, one call less
                await self._write_reply(event)
            else:
                await self._on_backend_event(event, tg)
        if self.error is None:
            self._close_reason = "backend closed"
        self._inner.cancel()

    async def _on_backend_event(self, event: Event, tg: TaskGroup) -> None:
        if isinstance(event, AudioOut):
            await self._write_reply(event)
        elif isinstance(event, ToolCall):
            self._emit(event)
            if not await self.confirmations.on_tool_call(event, tg):
                self._start_tool(event, tg)
        elif isinstance(event, ToolCallCancellation):
            for call_id in event.ids:
                entry = self._tool_scopes.get(call_id)
                if entry is not None:
                    entry[1].cancel()
            await self.confirmations.on_withdrawn(event.ids, tg)
        elif isinstance(event, Interrupted):
            await self._on_interrupted()
            await self.confirmations.on_turn_end(tg, interrupted=True)
        elif isinstance(event, TurnComplete):
            self._emit(self.tracker.on_turn_complete(event))  # the backend's, filled in
            await self.confirmations.on_turn_end(tg)
        else:
            if isinstance(event, UserTranscript):
                self.tracker.on_user_speech()
            self._emit(event)
            if isinstance(event, UserTranscript):
                await self.confirmations.on_transcript(event, tg)

    def _start_tool(self, event: ToolCall, tg: TaskGroup) -> None:
        blocking = event.name not in self.tools or (
            self.tools.get(event.name).behavior == "blocking"
        )
        self.tracker.on_tool_start(event.id, blocking=blocking, now=time.monotonic())
        scope = anyio.CancelScope()
        self._tool_scopes[event.id] = (event.name, scope)
        tg.start_soon(self._run_tool, event, scope)

    async def _write_reply(self, event: AudioOut) -> None:
        if not self.tracker.on_reply_audio(time.monotonic()) or self.sink is None:
            return
        rs = self._out_resampler
        if rs is None or rs.source.sample_rate != event.sample_rate:
            rs = self._out_resampler = StreamResampler(
                AudioFormat(event.sample_rate), self.sink.format.sample_rate
            )
        data = rs.process(event.data)
        if data:
            await self.sink.write(data)

    async def _on_interrupted(self) -> None:
        self.tracker.on_interrupted()
        if self.sink is not None:
            await self.sink.clear()
        self._out_resampler = None
        self._emit(Interrupted())

    async def _run_tool(self, call: ToolCall, scope: anyio.CancelScope) -> None:
        conn = self._connection()
        t0 = time.perf_counter()
        response: dict[str, Any] | None = None
        with scope:
            response = await self.tools.call(call.name, call.args, context=self.context)
        self._tool_scopes.pop(call.id, None)
        self.tracker.on_tool_end(call.id, time.monotonic())
        if scope.cancelled_caught or response is None:
            self._emit(ToolCancelled(id=call.id, name=call.name))
            return
        duration = round((time.perf_counter() - t0) * 1000.0, 2)
        ok = "error" not in response
        self._emit(ToolResult(
            id=call.id, name=call.name, ok=ok, result=response.get("output"),
            error=None if ok else response["error"], duration_ms=duration,
        ))
        await conn.send_tool_result(call.id, call.name, response)
