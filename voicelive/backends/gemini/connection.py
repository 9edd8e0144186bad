"""GeminiConnection: one conversation with Gemini Live, possibly spanning several sockets.

:class:`~voicelive.backends.gemini.backend.GeminiBackend` opens connections. A connection
owns one background task that reads the socket, turns server messages into
:mod:`voicelive.events`, and keeps the conversation alive across ``goAway`` hand-overs and
retryable drops (1011, 1006) by resuming with the newest resumable handle. While no socket is
open, sends are held in a bounded backlog and replayed in order.

The decisions live in plain code: close codes, backoff, when to hand over and which handle in
:mod:`~voicelive.backends.gemini.handover`; which ``turnComplete`` ends the user's turn in
:mod:`~voicelive.backends.gemini.turns`; what differs per model in
:mod:`~voicelive.backends.gemini.families`; translations in
:mod:`~voicelive.backends.gemini.mapping`, :mod:`~voicelive.backends.gemini.setup` and
:mod:`~voicelive.backends.gemini.declarations`.

google-genai connects, runs the setup handshake and sends the rare messages (tool responses,
text, activity marks). User audio and server messages, 25 a second each way, go through a
:mod:`voicelive.backends.gemini.wire` wire: JSON written and read directly on the SDK session's
WebSocket when it can be reached, else public SDK calls (:attr:`GeminiConnection.wire_path`).

Foreign exceptions (google-genai, websockets, ssl, OS errors) become
:mod:`voicelive.exceptions` at this boundary and nowhere else; the translation table is
:func:`voicelive.backends.gemini.errors.map_error`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from typing import Any, Final

import anyio
import websockets.exceptions as ws_errors
from google import genai
from google.genai import types

from voicelive._streams import HandOff
from voicelive.backends.gemini.declarations import function_response
from voicelive.backends.gemini.errors import map_error
from voicelive.backends.gemini.families import ModelFamily
from voicelive.backends.gemini.handover import (
    NORMAL_CLOSE,
    Backlog,
    Backoff,
    HandoverPlanner,
    RetryBudget,
)
from voicelive.backends.gemini.mapping import interpret
from voicelive.backends.gemini.setup import build_live_config, history_content
from voicelive.backends.gemini.turns import AudioAligner, TurnLedger
from voicelive.backends.gemini.wire import Wire, WirePath, open_wire
from voicelive.config import SessionConfig
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    Event,
    Interrupted,
    Resumed,
    SessionError,
    TurnComplete,
)
from voicelive.exceptions import (
    BackendError,
    ClosedError,
    ConnectError,
    ConnectionClosedError,
    ProtocolError,
)
from voicelive.tools.declaration import ToolDeclaration

__all__ = ["GeminiConnection"]

logger = logging.getLogger(__name__)

_Op = Callable[[Wire], Awaitable[None]]
_ANNOUNCED_END: Final = frozenset({NORMAL_CLOSE, 1001, 1011})
"""Close codes that, after ``goAway``, are the announced end rather than a failure."""
_TIMED_OUT: Final = object()


class GeminiConnection:
    """One conversation with Gemini Live, possibly spanning several sockets.

    Created by :meth:`GeminiBackend.connect
    <voicelive.backends.gemini.backend.GeminiBackend.connect>`; implements
    :class:`~voicelive.backends.base.BackendConnection`.

    Attributes:
        family: The model's family (what the service does around tools, text and thinking).
        handovers: Hand-overs made after ``goAway``.
        reconnects: Successful reconnections after a retryable drop.
        dropped_frames: Video frames dropped while no socket was open.
        ignored_messages: Server messages that were not JSON objects (malformed, nested too
            deep) or had unknown or unreadable parts, such as audio with an unplayable rate
            (skipped, logged at DEBUG, the conversation goes on).
    """

    def __init__(
        self,
        client: genai.Client,
        *,
        model: str,
        family: ModelFamily,
        config: SessionConfig,
        declarations: Sequence[ToolDeclaration] = (),
        backoff: Backoff,
        direct_wire: bool = True,
    ) -> None:
        self._client = client
        self._direct_wire = direct_wire
        self._model = model
        self.family = family
        self._config = config
        self._declarations = tuple(declarations)
        self._by_name = {d.name: d for d in self._declarations}
        self._setup_timeout_s = config.setup_timeout_s
        self._budget = RetryBudget(config.max_reconnects, config.reconnect_window_s)
        self._ledger = TurnLedger(family)
        self._aligner = AudioAligner()
        self._seeded = not config.initial_history
        self._resumption = config.resumption
        self._backoff = backoff
        self._planner = HandoverPlanner(handle=config.resumption_handle)
        self._backlog: Backlog[_Op] = Backlog()
        self._send_lock = anyio.Lock(fast_acquire=True)
        self._events = HandOff[Event](256)
        self._live: Wire | None = None  # accepts sends (the backlog is replayed)
        self._wire: Wire | None = None  # the open socket, read by pump()
        self._wire_path: WirePath | None = None
        self._stack: AsyncExitStack | None = None
        self._error: BackendError | None = None
        self._closed = False
        self.handovers = 0
        self.reconnects = 0
        self.dropped_frames = 0
        self.ignored_messages = 0

    @property
    def wire_path(self) -> WirePath | None:
        """How the newest socket carries audio and server messages: ``"direct"`` or ``"sdk"``.

        ``None`` before the first socket opened. See :mod:`voicelive.backends.gemini.wire`.
        """
        return self._wire_path

    def export_state(self) -> dict[str, Any]:
        """The newest resumable handle, for a new connection to resume with (``{"handle": h}``).

        Empty until the service has sent a resumable ``sessionResumptionUpdate``.
        """
        handle = self._planner.handle
        return {"handle": handle} if handle else {}

    @property
    def dropped_audio_chunks(self) -> int:
        """Audio chunks dropped because the backlog was full during a hand-over."""
        return self._backlog.dropped_chunks

    @property
    def odd_audio_parts(self) -> int:
        """Reply audio parts with an odd byte count (their odd byte carried to the next part)."""
        return self._aligner.odd_parts

    @property
    def dropped_reply_bytes(self) -> int:
        """Carried odd bytes dropped because the turn ended before another part came."""
        return self._aligner.dropped_bytes

    @property
    def tool_turn_completes(self) -> int:
        """``turnComplete`` messages that only closed a tool call (not the user's turn)."""
        return self._ledger.tool_turn_completes

    def _make_config(self, handle: str | None) -> types.LiveConnectConfig:
        return build_live_config(self._config, self._declarations, family=self.family,
                                 handle=handle)

    # --- sending ---------------------------------------------------------------------------

    async def send_audio(self, pcm: bytes) -> None:
        """Send user audio: PCM16 little-endian mono at 16 kHz."""
        await self._submit(lambda w: w.send_audio(pcm), audio_bytes=len(pcm))

    async def send_frame(self, jpeg: bytes) -> None:
        """Send one JPEG video frame; frames are dropped (and counted) during a hand-over."""
        self._check_usable()
        if self._live is None or self._backlog or self._planner.going_away:
            self.dropped_frames += 1
            return
        blob = types.Blob(data=jpeg, mime_type="image/jpeg")
        await self._submit(lambda w: w.session.send_realtime_input(video=blob))

    async def send_text(self, text: str) -> None:
        """Send a user text turn.

        Gemini 3 models take typed text as realtime input (``realtimeInput.text``);
        ``clientContent`` only seeds their initial history. Gemini 2.5 models take a
        ``clientContent`` user turn.
        """
        if self.family.text_input == "realtime":
            await self._submit(lambda w: w.session.send_realtime_input(text=text))
        else:
            content = types.Content(role="user", parts=[types.Part(text=text)])
            await self._submit(
                lambda w: w.session.send_client_content(turns=content, turn_complete=True)
            )
        self._ledger.on_speech_end(anyio.current_time())

    async def end_audio(self) -> None:
        """Say that the user's audio stream ended (``audioStreamEnd``)."""
        await self._submit(lambda w: w.session.send_realtime_input(audio_stream_end=True))
        self._ledger.on_speech_end(anyio.current_time())

    async def send_activity(self, *, start: bool) -> None:
        """Mark the start or end of user speech (manual activity detection)."""
        if start:
            begin = types.ActivityStart()
            await self._submit(lambda w: w.session.send_realtime_input(activity_start=begin))
        else:
            end = types.ActivityEnd()
            await self._submit(lambda w: w.session.send_realtime_input(activity_end=end))
            self._ledger.on_speech_end(anyio.current_time())

    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        """Return a tool's response for a call id.

        The response is made informative (a ``status``; for errors ``retryable`` and a
        ``reason``) and carries the tool's ``scheduling`` where the family honours it; see
        :mod:`voicelive.backends.gemini.declarations`.
        """
        result = function_response(call_id, name, response,
                                   declaration=self._by_name.get(name), family=self.family)
        await self._submit(lambda w: w.session.send_tool_response(function_responses=[result]),
                           to_old=True)
        self._planner.on_tool_result(call_id)

    def _check_usable(self) -> None:
        if self._error is not None:
            raise self._error
        if self._closed:
            raise ClosedError("the Gemini conversation has ended")

    async def _submit(self, op: _Op, *, audio_bytes: int = 0, to_old: bool = False) -> None:
        """Send now, or hold in the backlog for the next socket.

        After ``goAway`` everything but tool results is held (``to_old`` marks those): the
        old connection's state is what the next one resumes, so user audio sent to it after the
        newest handle would be lost; held, it reaches the new connection in order. A tool result
        still goes to the old connection, whose next resumable handle then includes it.
        """
        self._check_usable()
        async with self._send_lock:
            live = self._live
            if live is None or (not to_old and (self._backlog or self._planner.going_away)):
                self._hold(op, audio_bytes)
                return
            try:
                await op(live)
            except ws_errors.ConnectionClosed:
                # The reader notices the drop too; it reconnects and replays, or fails.
                self._hold(op, audio_bytes)
            except Exception as exc:
                raise map_error(exc) from exc

    def _hold(self, op: _Op, audio_bytes: int) -> None:
        already = self._backlog.dropped_chunks
        if self._backlog.push(op, audio_bytes=audio_bytes):
            level = logging.WARNING if already == 0 else logging.DEBUG
            logger.log(level, "hand-over backlog full: %d audio chunks dropped so far",
                       self._backlog.dropped_chunks)

    # --- receiving -------------------------------------------------------------------------

    async def events(self) -> AsyncIterator[Event]:
        """Yield events until the conversation ends.

        Raises:
            ConnectionClosedError: The service closed with a non-retryable code, or reconnecting
                failed ``max_reconnects`` times.
            ConnectError: A reconnection could not be set up.
        """
        async for event in self._events:
            yield event
            if type(event) is not AudioOut:
                # Let tasks the consumer started for this event (a tool call) run before the
                # next one (its cancellation) is taken; reply audio needs no such turn.
                await anyio.lowlevel.checkpoint()
        if self._error is not None and not self._events.closed:  # closed: the context was left
            raise self._error

    # --- lifecycle -------------------------------------------------------------------------

    async def open(self) -> None:
        """Open the first socket (no retries: a failing first connect is reported at once)."""
        await self._open(self._planner.handle)

    async def aclose(self) -> None:
        """Close the socket and end :meth:`events`."""
        self._closed = True
        self._live = None
        await self._drop_socket()
        self._events.close()

    async def pump(self) -> None:
        """Read the socket for the whole conversation (run in the connection's task group)."""
        try:
            while True:
                try:
                    await self._read_until_handover()
                except ConnectionClosedError as exc:
                    if self._planner.going_away and exc.code in _ANNOUNCED_END:
                        # The announced end came first (at the goAway deadline the service
                        # closes with 1011 "Deadline expired"): hand over, no error to report.
                        logger.info("closed (%d) after goAway; handing over", exc.code)
                    elif exc.code == NORMAL_CLOSE:
                        return
                    elif not exc.retryable:
                        raise
                    else:
                        await self._reconnect(exc)
                        continue
                await self._hand_over()
        except Exception as exc:
            self._error = map_error(exc)
            logger.info("Gemini connection failed: %s", self._error)
        finally:
            self._live = None
            self._closed = True
            self._events.end()

    async def _read_until_handover(self) -> None:
        planner = self._planner
        while True:
            message: object
            if not planner.going_away:  # no deadline to watch: the usual case, no clock read
                message = await self._next_message()
            else:
                now = anyio.current_time()
                if planner.handover_due(now):
                    return
                wait = planner.seconds_until_forced(now)
                message = _TIMED_OUT
                with anyio.move_on_after(wait):
                    message = await self._next_message()
            if isinstance(message, dict):
                await self._dispatch(message)
            elif message is None:
                self.ignored_messages += 1
                logger.debug("skipped a server message that is not a JSON object")

    async def _next_message(self) -> dict[str, Any] | None:
        wire = self._wire
        if wire is None:
            raise ConnectionClosedError(1006, "no open socket", retryable=True)
        try:
            return await wire.receive()
        except Exception as exc:
            raise map_error(exc) from exc

    async def _dispatch(self, message: dict[str, Any]) -> None:
        meaning = interpret(message)
        if meaning.ignored:
            self.ignored_messages += 1
            logger.debug("ignored parts of a server message: %s", ", ".join(meaning.ignored))
        if meaning.speech_ended:
            self._ledger.on_speech_end(anyio.current_time())
        if meaning.tool_call_ids:
            self._planner.on_tool_calls(meaning.tool_call_ids)
            self._ledger.on_tool_call()
        if meaning.cancelled_ids:
            self._planner.on_tool_cancelled(meaning.cancelled_ids)
        if meaning.resumption is not None:
            handle, resumable = meaning.resumption
            self._planner.on_resumption_update(handle, resumable=resumable)
        if meaning.go_away_s is not None:
            self._planner.on_go_away(meaning.go_away_s, anyio.current_time())
            logger.info("goAway: %.1f s left", meaning.go_away_s)
        for event in meaning.events:
            kind = type(event)
            if kind is AudioOut:
                assert isinstance(event, AudioOut)
                data = self._aligner.feed(event.data)
                if not data:
                    continue
                if len(data) != len(event.data):
                    event = AudioOut(data=data, sample_rate=event.sample_rate)
                self._ledger.on_reply(anyio.current_time(), audio=True)
            elif kind is AssistantTranscript:
                self._ledger.on_reply(anyio.current_time(), audio=False)
            elif kind is Interrupted:
                self._ledger.on_interrupted()
                self._aligner.end_turn()
            elif kind is TurnComplete:
                done = self._ledger.on_turn_complete()
                if done is None:
                    logger.debug("turnComplete closed a tool call; the turn goes on")
                    continue
                self._aligner.end_turn()
                event = done
            await self._events.send(event)

    # --- hand-over and reconnect -----------------------------------------------------------

    async def _hand_over(self) -> None:
        """Open the next connection, then close the one going away (make before break).

        Sends wait in the backlog meanwhile. The old socket stays open until the new one is
        set up, or until the service closes it at the ``goAway`` deadline (1011), whichever
        comes first; either way nothing sent is lost.
        """
        self.handovers += 1
        logger.info("handing over to a new connection (pending tool calls: %d)",
                    len(self._planner.pending_calls))
        self._live = None
        old = self._stack, self._wire
        self._stack = self._wire = None
        try:
            try:
                await self._open(self._planner.handle)
            except BackendError as exc:
                if not exc.retryable:
                    raise
                await self._close_socket(*old)
                old = (None, None)
                await self._open_with_retries(exc)
        finally:
            await self._close_socket(*old)

    async def _reconnect(self, cause: ConnectionClosedError) -> None:
        logger.info("connection dropped (%d); reconnecting", cause.code)
        self._live = None
        await self._drop_socket()
        await self._events.send(SessionError(code=f"closed_{cause.code}",
                                                message=str(cause), retryable=True))
        await self._open_with_retries(cause)
        self.reconnects += 1

    async def _open_with_retries(self, cause: BackendError) -> None:
        """Reopen with backoff until it works or the retry budget is spent (then raise)."""
        while True:
            if not self._budget.spend(anyio.current_time()):
                logger.info("reconnect budget spent: %d attempts within %.0f s",
                            self._budget.limit, self._budget.window_s)
                raise cause
            await anyio.sleep(self._backoff.delay(self._budget.attempts - 1))
            try:
                await self._open(self._planner.handle)
                return
            except BackendError as exc:
                if not exc.retryable:
                    raise
                logger.info("reconnect attempt %d failed: %s", self._budget.attempts, exc)
                cause = exc

    async def _open(self, handle: str | None) -> None:
        handle = handle if self._resumption else None
        stack = AsyncExitStack()
        try:
            with anyio.fail_after(self._setup_timeout_s):
                session = await stack.enter_async_context(
                    self._client.aio.live.connect(model=self._model,
                                                  config=self._make_config(handle))
                )
            if session.setup_complete is None:
                raise ProtocolError("the first message from the Live API was not setupComplete")
        except BaseException as exc:
            with anyio.CancelScope(shield=True):
                await stack.aclose()
            if isinstance(exc, TimeoutError):
                raise ConnectError(
                    f"no setupComplete within {self._setup_timeout_s:g} s", retryable=True
                ) from exc
            if isinstance(exc, Exception):
                raise map_error(exc) from exc
            raise
        wire = open_wire(session, direct=self._direct_wire)
        self._stack, self._wire, self._wire_path = stack, wire, wire.path
        self._planner.on_connected()
        try:
            if handle is None and not self._seeded:
                await self._seed_history(wire)
            await self._replay_backlog(wire)
        except BaseException:
            await self._drop_socket()
            raise
        if handle is not None:
            await self._events.send(Resumed(handle=handle))

    async def _seed_history(self, wire: Wire) -> None:
        """Send the initial history, once, before any realtime input.

        Gemini 3 (``historyConfig`` at setup): one ``clientContent`` ending with
        ``turnComplete: true``, which ends the history without a model call. Gemini 2.5:
        ``turnComplete: false``, so the history is context and the model waits for the user.
        """
        turns = history_content(self._config)
        try:
            await wire.session.send_client_content(turns=turns,
                                                   turn_complete=self.family.history_config)
        except Exception as exc:
            raise map_error(exc) from exc
        self._seeded = True

    async def _replay_backlog(self, wire: Wire) -> None:
        async with self._send_lock:
            while (entry := self._backlog.pop()) is not None:
                try:
                    await entry[0](wire)
                except ws_errors.ConnectionClosed as exc:
                    self._backlog.unpop(entry)
                    raise map_error(exc) from exc
            self._live = wire

    async def _drop_socket(self) -> None:
        stack, self._stack = self._stack, None
        wire, self._wire = self._wire, None
        await self._close_socket(stack, wire)

    async def _close_socket(self, stack: AsyncExitStack | None, wire: Wire | None) -> None:
        with anyio.CancelScope(shield=True):
            if wire is not None:
                await wire.aclose()
            if stack is not None:
                try:
                    await stack.aclose()
                except Exception as exc:  # the socket is gone either way
                    logger.debug("closing the old socket failed: %r", exc)
