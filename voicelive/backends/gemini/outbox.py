"""The send side of a Gemini conversation: send now, or hold for the next socket.

:class:`Outbox` owns the socket that accepts sends (``live``), the hand-over
:class:`~voicelive.backends.gemini.handover.Backlog` and the lock that keeps sends in order.
While no socket is open, or after ``goAway``, a send is held; when the next socket is set up,
:meth:`Outbox.replay` sends what was held, in order, before anything new. Audio in the backlog
is bounded (the oldest goes first and is counted); everything else is kept.

A send is an *operation*: a coroutine function of the :class:`~voicelive.backends.gemini.wire.
Wire` to send on, so the same operation can go now or later. Failures other than a closed
socket become :mod:`voicelive.exceptions` here (:func:`~voicelive.backends.gemini.errors.
map_error`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import anyio
import websockets.exceptions as ws_errors

from voicelive.backends.gemini.errors import map_error
from voicelive.backends.gemini.handover import Backlog, HandoverPlanner
from voicelive.backends.gemini.wire import Wire

__all__ = ["Op", "Outbox"]

logger = logging.getLogger(__name__)

Op = Callable[[Wire], Awaitable[None]]
"""One send, ready to go on whichever socket is live."""


class Outbox:
    """Sends in order over the live socket, held in a bounded backlog while there is none.

    Args:
        planner: The connection's hand-over planner (whether ``goAway`` arrived).

    Attributes:
        live: The socket that accepts sends; ``None`` while none is set up.
    """

    def __init__(self, planner: HandoverPlanner) -> None:
        self._planner = planner
        self._backlog: Backlog[Op] = Backlog()
        self._lock = anyio.Lock(fast_acquire=True)
        self.live: Wire | None = None

    @property
    def dropped_chunks(self) -> int:
        """Audio chunks dropped because the backlog was full."""
        return self._backlog.dropped_chunks

    def takes_frames(self) -> bool:
        """Whether a video frame can go now (frames are dropped, not held, in a hand-over)."""
        return self.live is not None and not self._backlog and not self._planner.going_away

    async def submit(self, op: Op, *, audio_bytes: int = 0, to_old: bool = False) -> None:
        """Send now, or hold in the backlog for the next socket.

        After ``goAway`` everything but tool results is held (``to_old`` marks those): the
        old connection's state is what the next one resumes, so user audio sent to it after the
        newest handle would be lost; held, it reaches the new connection in order. A tool result
        still goes to the old connection, whose next resumable handle then includes it.

        Args:
            op: The send.
            audio_bytes: Its size when it is user audio (bounded in the backlog), else 0.
            to_old: Send it on the connection going away rather than hold it.
        """
        async with self._lock:
            live = self.live
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

    async def replay(self, wire: Wire) -> None:
        """Send what was held on a new socket, then make it the live one.

        Raises:
            ConnectionClosedError: The socket closed during the replay (what was not sent stays
                held, in order).
        """
        async with self._lock:
            while (entry := self._backlog.pop()) is not None:
                try:
                    await entry[0](wire)
                except ws_errors.ConnectionClosed as exc:
                    self._backlog.unpop(entry)
                    raise map_error(exc) from exc
            self.live = wire

    def _hold(self, op: Op, audio_bytes: int) -> None:
        already = self._backlog.dropped_chunks
        if self._backlog.push(op, audio_bytes=audio_bytes):
            level = logging.WARNING if already == 0 else logging.DEBUG
            logger.log(level, "hand-over backlog full: %d audio chunks dropped so far",
                       self._backlog.dropped_chunks)
