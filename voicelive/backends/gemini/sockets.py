"""The sockets of one Gemini conversation: open, hand over after ``goAway``, reconnect, close.

:class:`Sockets` opens a socket through google-genai (``setupComplete`` within
``SessionConfig.setup_timeout_s``), seeds the initial history once, replays the
:class:`~voicelive.backends.gemini.outbox.Outbox` backlog on it and makes it live. After
``goAway`` it opens the next socket before closing the old one (make before break), resuming
with the planner's newest resumable handle; after a retryable drop it reconnects with backoff
inside the retry budget. Which handle, when and how often are decided in
:mod:`~voicelive.backends.gemini.handover`; this module only carries the decisions out.
Foreign exceptions become :mod:`voicelive.exceptions` here (:func:`~voicelive.backends.gemini.
errors.map_error`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack

import anyio
from google import genai

from voicelive.backends.gemini.errors import map_error
from voicelive.backends.gemini.families import ModelFamily
from voicelive.backends.gemini.handover import Backoff, HandoverPlanner, RetryBudget
from voicelive.backends.gemini.outbox import Outbox
from voicelive.backends.gemini.setup import build_live_config, history_content
from voicelive.backends.gemini.wire import Wire, WirePath, open_wire
from voicelive.config import SessionConfig
from voicelive.events import Event, Resumed, SessionError
from voicelive.exceptions import BackendError, ConnectError, ConnectionClosedError, ProtocolError
from voicelive.tools.declaration import ToolDeclaration

__all__ = ["Sockets"]

logger = logging.getLogger(__name__)


class Sockets:
    """Opens and replaces the sockets of one conversation.

    Args:
        client: The google-genai client.
        model: The model name.
        family: The model's family.
        config: The session's configuration.
        declarations: The tools declared at setup.
        backoff: Reconnect delays.
        direct_wire: Prefer the direct wire (see :mod:`voicelive.backends.gemini.wire`).
        planner: The hand-over planner (the handle to resume with).
        outbox: Where held sends wait; replayed on each new socket.
        emit: Sends an event to the conversation's consumer (``Resumed``, ``SessionError``).

    Attributes:
        wire: The open socket, read by the connection's pump; ``None`` between sockets.
        wire_path: How the newest socket carries audio and server messages.
        handovers: Hand-overs made after ``goAway``.
        reconnects: Successful reconnections after a retryable drop.
    """

    def __init__(
        self,
        client: genai.Client,
        *,
        model: str,
        family: ModelFamily,
        config: SessionConfig,
        declarations: Sequence[ToolDeclaration],
        backoff: Backoff,
        direct_wire: bool,
        planner: HandoverPlanner,
        outbox: Outbox,
        emit: Callable[[Event], Awaitable[None]],
    ) -> None:
        self._client = client
        self._model = model
        self._family = family
        self._config = config
        self._declarations = tuple(declarations)
        self._backoff = backoff
        self._direct_wire = direct_wire
        self._planner = planner
        self._outbox = outbox
        self._emit = emit
        self._budget = RetryBudget(config.max_reconnects, config.reconnect_window_s)
        self._seeded = not config.initial_history
        self._stack: AsyncExitStack | None = None
        self.wire: Wire | None = None
        self.wire_path: WirePath | None = None
        self.handovers = 0
        self.reconnects = 0

    async def open(self) -> None:
        """Open the first socket (no retries: a failing first connect is reported at once)."""
        await self._open(self._planner.handle)

    async def hand_over(self) -> None:
        """Open the next connection, then close the one going away (make before break).

        Sends wait in the backlog meanwhile. The old socket stays open until the new one is
        set up, or until the service closes it at the ``goAway`` deadline (1011), whichever
        comes first; either way nothing sent is lost.
        """
        self.handovers += 1
        logger.info("handing over to a new connection (pending tool calls: %d)",
                    len(self._planner.pending_calls))
        self._outbox.live = None
        old = self._stack, self.wire
        self._stack = self.wire = None
        try:
            try:
                await self._open(self._planner.handle)
            except BackendError as exc:
                if not exc.retryable:
                    raise
                await _close(*old)
                old = (None, None)
                await self._open_with_retries(exc)
        finally:
            await _close(*old)

    async def reconnect(self, cause: ConnectionClosedError) -> None:
        """Replace a socket that dropped with a retryable code (``SessionError`` first)."""
        logger.info("connection dropped (%d); reconnecting", cause.code)
        self._outbox.live = None
        await self.drop()
        await self._emit(SessionError(code=f"closed_{cause.code}", message=str(cause),
                                      retryable=True))
        await self._open_with_retries(cause)
        self.reconnects += 1

    async def drop(self) -> None:
        """Close the open socket, if any."""
        stack, self._stack = self._stack, None
        wire, self.wire = self.wire, None
        await _close(stack, wire)

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
        handle = handle if self._config.resumption else None
        timeout_s = self._config.setup_timeout_s
        stack = AsyncExitStack()
        try:
            with anyio.fail_after(timeout_s):
                config = build_live_config(self._config, self._declarations,
                                           family=self._family, handle=handle)
                session = await stack.enter_async_context(
                    self._client.aio.live.connect(model=self._model, config=config)
                )
            if session.setup_complete is None:
                raise ProtocolError("the first message from the Live API was not setupComplete")
        except TimeoutError as exc:
            await _abandon(stack)
            raise ConnectError(f"no setupComplete within {timeout_s:g} s",
                               retryable=True) from exc
        except Exception as exc:
            await _abandon(stack)
            raise map_error(exc) from exc
        except BaseException:  # cancelled: close what was opened, then let it through
            await _abandon(stack)
            raise
        wire = open_wire(session, direct=self._direct_wire)
        self._stack, self.wire, self.wire_path = stack, wire, wire.path
        self._planner.on_connected()
        try:
            if handle is None and not self._seeded:
                await self._seed_history(wire)
            await self._outbox.replay(wire)
        except BaseException:
            await self.drop()
            raise
        if handle is not None:
            await self._emit(Resumed(handle=handle))

    async def _seed_history(self, wire: Wire) -> None:
        """Send the initial history, once, before any realtime input.

        Gemini 3 (``historyConfig`` at setup): one ``clientContent`` ending with
        ``turnComplete: true``, which ends the history without a model call. Gemini 2.5:
        ``turnComplete: false``, so the history is context and the model waits for the user.
        """
        turns = history_content(self._config)
        try:
            await wire.session.send_client_content(turns=turns,
                                                   turn_complete=self._family.history_config)
        except Exception as exc:
            raise map_error(exc) from exc
        self._seeded = True


async def _abandon(stack: AsyncExitStack) -> None:
    with anyio.CancelScope(shield=True):
        await stack.aclose()


async def _close(stack: AsyncExitStack | None, wire: Wire | None) -> None:
    with anyio.CancelScope(shield=True):
        if wire is not None:
            await wire.aclose()
        if stack is not None:
            try:
                await stack.aclose()
            except Exception as exc:  # the socket is gone either way
                logger.debug("closing the old socket failed: %r", exc)
