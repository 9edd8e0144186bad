"""The Gemini Live backend: the only module that talks to google.genai's live API.

:class:`GeminiBackend` opens :class:`GeminiConnection` objects. A connection owns one background
task that reads the socket, turns server messages into :mod:`voicelive.events`, and keeps the
conversation alive across ``goAway`` hand-overs and retryable drops (1011, 1006) by resuming with
the newest resumable handle. While no socket is open, sends are held in a bounded backlog and
replayed in order. The decisions (close codes, backoff, when to hand over, which handle) live in
:mod:`voicelive.backends.gemini_handover`; the translations in
:mod:`voicelive.backends.gemini_mapping`.

google-genai connects, runs the setup handshake and sends the rare messages (tool responses,
text, activity marks). User audio and server messages, 25 a second each way, go through a
:mod:`voicelive.backends.gemini_wire` wire: JSON written and read directly on the SDK session's
WebSocket when it can be reached, else public SDK calls (:attr:`GeminiConnection.wire_path`).

Foreign exceptions (google-genai, websockets, ssl, OS errors) become
:mod:`voicelive.exceptions` at this boundary and nowhere else; the translation table is
:func:`voicelive.backends.gemini_errors.map_error`.
"""

from __future__ import annotations

import logging
import os
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, Final

import anyio
import websockets.exceptions as ws_errors
from google import genai
from google.genai import types

from voicelive._streams import HandOff
from voicelive.backends.gemini_errors import map_error
from voicelive.backends.gemini_handover import (
    NORMAL_CLOSE,
    Backlog,
    Backoff,
    HandoverPlanner,
    RetryBudget,
)
from voicelive.backends.gemini_mapping import ToolDeclarations, build_live_config, interpret
from voicelive.backends.gemini_wire import Wire, WirePath, open_wire
from voicelive.config import SessionConfig
from voicelive.events import AudioOut, Event, Resumed, SessionError
from voicelive.exceptions import (
    BackendError,
    ClosedError,
    ConfigError,
    ConnectError,
    ConnectionClosedError,
    ProtocolError,
)

__all__ = ["DEFAULT_MODEL", "GeminiBackend", "GeminiConnection", "map_error"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "gemini-2.5-flash-native-audio-preview-09-2025"
"""Model used when the session config names none."""

_Op = Callable[[Wire], Awaitable[None]]
_TIMED_OUT: Final = object()


class GeminiBackend:
    """Connections to Gemini Live through ``google.genai``.

    Args:
        api_key: The Gemini API key; by default ``GEMINI_API_KEY``, then ``GOOGLE_API_KEY``.
        http_options: Passed to ``genai.Client`` (e.g. ``base_url``, ``api_version``).
        ssl_context: Explicit TLS context for the WebSocket (trust a test certificate without
            ``SSL_CERT_FILE``).
        backoff: Reconnect delay schedule after retryable drops.
        direct_wire: Send audio and read server messages as JSON on the SDK session's WebSocket
            (the default, about three times cheaper per chunk); ``False`` keeps to public
            google-genai calls. Without a reachable WebSocket the SDK is used either way.

    Raises:
        ConfigError: No API key was given and neither environment variable is set.
    """

    name = "gemini"

    def __init__(
        self,
        api_key: str | None = None,
        *,
        http_options: types.HttpOptions | None = None,
        ssl_context: ssl.SSLContext | None = None,
        backoff: Backoff | None = None,
        direct_wire: bool = True,
    ) -> None:
        key = api_key or os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY")
        if not key:
            raise ConfigError(
                "the Gemini backend needs an API key: pass api_key= or set GEMINI_API_KEY "
                "(or GOOGLE_API_KEY)"
            )
        self._api_key = key
        self._http_options = http_options
        self._ssl_context = ssl_context
        self.backoff = backoff or Backoff()
        self.direct_wire = direct_wire
        self._genai_client: genai.Client | None = None

    def __repr__(self) -> str:
        return f"GeminiBackend(model={self.default_model()!r})"

    def default_model(self) -> str:
        """Return the model used when the config names none."""
        return DEFAULT_MODEL

    def _client(self) -> genai.Client:
        # One client per backend, made at the first connect: building one loads CA bundles
        # (tens of milliseconds), and it reads SSL_CERT_FILE then. It holds no socket itself.
        if self._genai_client is None:
            options = self._http_options or types.HttpOptions()
            if self._ssl_context is not None:
                args = dict(options.async_client_args or {})
                args["ssl"] = self._ssl_context
                options = options.model_copy(update={"async_client_args": args})
            self._genai_client = genai.Client(api_key=self._api_key, http_options=options)
        return self._genai_client

    @asynccontextmanager
    async def connect(
        self, config: SessionConfig, tools: ToolDeclarations
    ) -> AsyncIterator[GeminiConnection]:
        """Open a live connection configured by ``config`` with ``tools`` declared.

        Raises:
            ConnectError: The service could not be reached or sent no ``setupComplete`` within
                ``config.setup_timeout_s``.
            ConnectionClosedError: The service refused the setup (e.g. 1007, 1008).
        """
        client = self._client()
        declarations = list(tools.declarations())
        connection = GeminiConnection(
            client,
            model=config.model or self.default_model(),
            make_config=lambda handle: build_live_config(config, declarations, handle=handle),
            scheduling=tools.response_scheduling,
            config=config,
            backoff=self.backoff,
            direct_wire=self.direct_wire,
        )
        try:
            await connection.open()
            try:
                async with anyio.create_task_group() as tg:
                    tg.start_soon(connection.pump)  # pump() never raises
                    try:
                        yield connection
                    finally:
                        tg.cancel_scope.cancel()
            except BaseExceptionGroup as group:
                # Only the caller's block can fail in here: give its exception back unwrapped.
                if len(group.exceptions) == 1:
                    raise group.exceptions[0] from None
                raise
        finally:
            with anyio.CancelScope(shield=True):
                await connection.aclose()


class GeminiConnection:
    """One conversation with Gemini Live, possibly spanning several sockets.

    Created by :meth:`GeminiBackend.connect`; implements
    :class:`~voicelive.backends.base.BackendConnection`.

    Attributes:
        handovers: Hand-overs made after ``goAway``.
        reconnects: Reconnections made after a retryable drop.
        dropped_frames: Video frames dropped while no socket was open.
        ignored_messages: Server messages that were not JSON objects or had unknown or
            unreadable parts (skipped, logged at DEBUG).
    """

    def __init__(
        self,
        client: genai.Client,
        *,
        model: str,
        make_config: Callable[[str | None], types.LiveConnectConfig],
        scheduling: Callable[[str], types.FunctionResponseScheduling | None],
        config: SessionConfig,
        backoff: Backoff,
        direct_wire: bool = True,
    ) -> None:
        self._client = client
        self._direct_wire = direct_wire
        self._model = model
        self._make_config = make_config
        self._scheduling = scheduling
        self._setup_timeout_s = config.setup_timeout_s
        self._budget = RetryBudget(config.max_reconnects)
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

        ``None`` before the first socket opened. See :mod:`voicelive.backends.gemini_wire`.
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

    # --- sending ---------------------------------------------------------------------------

    async def send_audio(self, pcm: bytes) -> None:
        """Send user audio: PCM16 little-endian mono at 16 kHz."""
        await self._submit(lambda w: w.send_audio(pcm), audio_bytes=len(pcm))

    async def send_frame(self, jpeg: bytes) -> None:
        """Send one JPEG video frame; frames are dropped (and counted) during a hand-over."""
        self._check_usable()
        if self._live is None or self._backlog:
            self.dropped_frames += 1
            return
        blob = types.Blob(data=jpeg, mime_type="image/jpeg")
        await self._submit(lambda w: w.session.send_realtime_input(video=blob))

    async def send_text(self, text: str) -> None:
        """Send a user text turn."""
        content = types.Content(role="user", parts=[types.Part(text=text)])
        await self._submit(
            lambda w: w.session.send_client_content(turns=content, turn_complete=True)
        )

    async def end_audio(self) -> None:
        """Say that the user's audio stream ended (``audioStreamEnd``)."""
        await self._submit(lambda w: w.session.send_realtime_input(audio_stream_end=True))

    async def send_activity(self, *, start: bool) -> None:
        """Mark the start or end of user speech (manual activity detection)."""
        if start:
            begin = types.ActivityStart()
            await self._submit(lambda w: w.session.send_realtime_input(activity_start=begin))
        else:
            end = types.ActivityEnd()
            await self._submit(lambda w: w.session.send_realtime_input(activity_end=end))

    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        """Return a tool's response for a call id."""
        result = types.FunctionResponse(
            id=call_id, name=name, response=response, scheduling=self._scheduling(name)
        )
        await self._submit(lambda w: w.session.send_tool_response(function_responses=[result]))
        self._planner.on_tool_result(call_id)

    def _check_usable(self) -> None:
        if self._error is not None:
            raise self._error
        if self._closed:
            raise ClosedError("the Gemini conversation has ended")

    async def _submit(self, op: _Op, *, audio_bytes: int = 0) -> None:
        self._check_usable()
        async with self._send_lock:
            live = self._live
            if live is None or self._backlog:
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
                    if self._planner.going_away and exc.code in (NORMAL_CLOSE, 1001):
                        pass  # the announced end came first: hand over now
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
        self._budget.reset()
        meaning = interpret(message)
        if meaning.ignored:
            self.ignored_messages += 1
            logger.debug("ignored parts of a server message: %s", ", ".join(meaning.ignored))
        if meaning.tool_call_ids:
            self._planner.on_tool_calls(meaning.tool_call_ids)
        if meaning.cancelled_ids:
            self._planner.on_tool_cancelled(meaning.cancelled_ids)
        if meaning.resumption is not None:
            handle, resumable = meaning.resumption
            self._planner.on_resumption_update(handle, resumable=resumable)
        if meaning.go_away_s is not None:
            self._planner.on_go_away(meaning.go_away_s, anyio.current_time())
            logger.info("goAway: %.1f s left", meaning.go_away_s)
        for event in meaning.events:
            await self._events.send(event)

    # --- hand-over and reconnect -----------------------------------------------------------

    async def _hand_over(self) -> None:
        self.handovers += 1
        logger.info("handing over to a new connection (pending tool calls: %d)",
                    len(self._planner.pending_calls))
        self._live = None
        await self._drop_socket()
        try:
            await self._open(self._planner.handle)
        except BackendError as exc:
            if not exc.retryable:
                raise
            await self._open_with_retries(exc)

    async def _reconnect(self, cause: ConnectionClosedError) -> None:
        self.reconnects += 1
        logger.info("connection dropped (%d); reconnecting", cause.code)
        self._live = None
        await self._drop_socket()
        await self._events.send(SessionError(code=f"closed_{cause.code}",
                                                message=str(cause), retryable=True))
        await self._open_with_retries(cause)

    async def _open_with_retries(self, cause: BackendError) -> None:
        """Reopen with backoff until it works or the retry budget is spent (then raise)."""
        while True:
            if not self._budget.spend():
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
            await self._replay_backlog(wire)
        except BaseException:
            await self._drop_socket()
            raise
        if handle is not None:
            await self._events.send(Resumed(handle=handle))

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
        with anyio.CancelScope(shield=True):
            if wire is not None:
                await wire.aclose()
            if stack is not None:
                try:
                    await stack.aclose()
                except Exception as exc:  # the socket is gone either way
                    logger.debug("closing the old socket failed: %r", exc)
