"""GeminiConnection: one conversation with Gemini Live, possibly spanning several sockets.

:class:`~voicelive.backends.gemini.backend.GeminiBackend` opens connections. A connection
owns one background task (:meth:`GeminiConnection.pump`) that reads the socket, turns server
messages into :mod:`voicelive.events`, and keeps the conversation alive across ``goAway``
hand-overs and retryable drops (1011, 1006) by resuming with the newest resumable handle. While
no socket is open, sends are held in a bounded backlog and replayed in order.

This module is the public face and the read loop; each job beside it has its own module:

* :mod:`~voicelive.backends.gemini.outbox`: the send side (send now, or hold and replay).
* :mod:`~voicelive.backends.gemini.inbound`: what one server message does (events, state).
* :mod:`~voicelive.backends.gemini.sockets`: opening, handing over, reconnecting, closing.

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
:mod:`voicelive.exceptions` at the socket boundary (this module, the outbox and the sockets)
and nowhere else; the one translation table is :func:`voicelive.backends.gemini.errors.map_error`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any, Final

import anyio
from google import genai
from google.genai import types

from voicelive._streams import HandOff
from voicelive.backends.gemini.declarations import (
    AnsweredCalls,
    follow_up_text,
    function_response,
)
from voicelive.backends.gemini.errors import map_error
from voicelive.backends.gemini.families import ModelFamily
from voicelive.backends.gemini.handover import NORMAL_CLOSE, Backoff, HandoverPlanner
from voicelive.backends.gemini.inbound import Inbound
from voicelive.backends.gemini.outbox import Op, Outbox
from voicelive.backends.gemini.sockets import Sockets
from voicelive.backends.gemini.wire import Wire, WirePath
from voicelive.config import SessionConfig
from voicelive.events import AudioOut, Event
from voicelive.exceptions import BackendError, ClosedError, ConnectionClosedError
from voicelive.tools.declaration import ToolDeclaration

__all__ = ["GeminiConnection"]

logger = logging.getLogger(__name__)

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
        dropped_frames: Video frames dropped while no socket was open.
        follow_ups: Later responses for an already answered call id, sent as text turns
            (the service takes one function response per call).
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
        self.family = family
        declarations = tuple(declarations)
        self._by_name = {d.name: d for d in declarations}
        self._planner = HandoverPlanner(handle=config.resumption_handle)
        self._inbound = Inbound(self._planner, family)
        self._outbox = Outbox(self._planner)
        self._events = HandOff[Event](256)
        self._sockets = Sockets(
            client, model=model, family=family, config=config, declarations=declarations,
            backoff=backoff, direct_wire=direct_wire, planner=self._planner,
            outbox=self._outbox, emit=self._events.send,
        )
        self._answered = AnsweredCalls()
        self._error: BackendError | None = None
        self._closed = False
        self.dropped_frames = 0
        self.follow_ups = 0

    @property
    def wire_path(self) -> WirePath | None:
        """How the newest socket carries audio and server messages: ``"direct"`` or ``"sdk"``.

        ``None`` before the first socket opened. See :mod:`voicelive.backends.gemini.wire`.
        """
        return self._sockets.wire_path

    @property
    def _wire(self) -> Wire | None:
        return self._sockets.wire

    def export_state(self) -> dict[str, Any]:
        """The newest resumable handle, for a new connection to resume with (``{"handle": h}``).

        Empty until the service has sent a resumable ``sessionResumptionUpdate``.
        """
        handle = self._planner.handle
        return {"handle": handle} if handle else {}

    @property
    def handovers(self) -> int:
        """Hand-overs made after ``goAway``."""
        return self._sockets.handovers

    @property
    def reconnects(self) -> int:
        """Successful reconnections after a retryable drop."""
        return self._sockets.reconnects

    @property
    def ignored_messages(self) -> int:
        """Server messages skipped in part or whole (logged at DEBUG; the conversation goes on).

        Messages that were not JSON objects (malformed, nested too deep) or had unknown or
        unreadable parts, such as audio with an unplayable rate.
        """
        return self._inbound.ignored_messages

    @property
    def dropped_audio_chunks(self) -> int:
        """Audio chunks dropped because the backlog was full during a hand-over."""
        return self._outbox.dropped_chunks

    @property
    def odd_audio_parts(self) -> int:
        """Reply audio parts with an odd byte count (their odd byte carried to the next part)."""
        return self._inbound.aligner.odd_parts

    @property
    def dropped_reply_bytes(self) -> int:
        """Carried odd bytes dropped because the turn ended before another part came."""
        return self._inbound.aligner.dropped_bytes

    @property
    def tool_turn_completes(self) -> int:
        """``turnComplete`` messages that only closed a tool call (not the user's turn)."""
        return self._inbound.ledger.tool_turn_completes

    # --- sending ---------------------------------------------------------------------------

    async def send_audio(self, pcm: bytes) -> None:
        """Send user audio: PCM16 little-endian mono at 16 kHz."""
        await self._submit(lambda w: w.send_audio(pcm), audio_bytes=len(pcm))

    async def send_frame(self, jpeg: bytes) -> None:
        """Send one JPEG video frame; frames are dropped (and counted) during a hand-over."""
        self._check_usable()
        if not self._outbox.takes_frames():
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
        await self._send_text_turn(text)
        self._inbound.ledger.on_speech_end(anyio.current_time())

    async def _send_text_turn(self, text: str) -> None:
        if self.family.text_input == "realtime":
            await self._submit(lambda w: w.session.send_realtime_input(text=text))
        else:
            content = types.Content(role="user", parts=[types.Part(text=text)])
            await self._submit(
                lambda w: w.session.send_client_content(turns=content, turn_complete=True)
            )

    async def end_audio(self) -> None:
        """Say that the user's audio stream ended (``audioStreamEnd``)."""
        await self._submit(lambda w: w.session.send_realtime_input(audio_stream_end=True))
        self._inbound.ledger.on_speech_end(anyio.current_time())

    async def send_activity(self, *, start: bool) -> None:
        """Mark the start or end of user speech (manual activity detection)."""
        if start:
            begin = types.ActivityStart()
            await self._submit(lambda w: w.session.send_realtime_input(activity_start=begin))
        else:
            end = types.ActivityEnd()
            await self._submit(lambda w: w.session.send_realtime_input(activity_end=end))
            self._inbound.ledger.on_speech_end(anyio.current_time())

    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        """Return a tool's response for a call id.

        The response is made informative (a ``status``; for errors ``retryable`` and a
        ``reason``) and carries the tool's ``scheduling`` where the family honours it; see
        :mod:`voicelive.backends.gemini.declarations`. A call id gets one function response:
        the service considers no later one, so a second response for the same id (the result
        of a call the user confirmed) goes to the model as a text turn and is counted in
        :attr:`follow_ups`.
        """
        if not self._answered.answer(call_id):
            self.follow_ups += 1
            logger.info("call %s already has its function response; the later one goes as text",
                        call_id)
            await self._send_text_turn(follow_up_text(call_id, name, response))
            return
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

    async def _submit(self, op: Op, *, audio_bytes: int = 0, to_old: bool = False) -> None:
        self._check_usable()
        await self._outbox.submit(op, audio_bytes=audio_bytes, to_old=to_old)

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
        await self._sockets.open()

    async def aclose(self) -> None:
        """Close the socket and end :meth:`events`."""
        self._closed = True
        self._outbox.live = None
        await self._sockets.drop()
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
                        await self._sockets.reconnect(exc)
                        continue
                await self._sockets.hand_over()
        except Exception as exc:
            self._error = map_error(exc)
            logger.info("Gemini connection failed: %s", self._error)
        finally:
            self._outbox.live = None
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
                for event in self._inbound.decode(message, anyio.current_time()):
                    await self._events.send(event)
            elif message is None:
                self._inbound.skip()

    async def _next_message(self) -> dict[str, Any] | None:
        wire = self._sockets.wire
        if wire is None:
            raise ConnectionClosedError(1006, "no open socket", retryable=True)
        try:
            return await wire.receive()
        except Exception as exc:
            raise map_error(exc) from exc
