"""A bounded hand-off queue for the per-chunk hot paths (private).

Audio crosses two task boundaries per chunk in each direction (the server's socket reader to
the session's input pump, the backend's socket reader to the session's output pump).
anyio's memory object streams do that generally (many receivers, cancellation bookkeeping
per waiter) and cost a loop turn plus several allocations per item even when an item is
already queued. :class:`HandOff` does the one thing these paths need: one consumer, any number
of producers, a bound, and an end. It uses only :class:`anyio.Event`, so it runs on any anyio
backend.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from typing import Generic, TypeVar

import anyio
import anyio.lowlevel

__all__ = ["HandOff"]

T = TypeVar("T")

BURST = 16
"""Items a consumer takes in a row without a wait before it yields to other tasks."""


class HandOff(Generic[T]):
    """A bounded FIFO from producers to one consumer.

    Producers call :meth:`send_nowait` (raises :class:`anyio.WouldBlock` when full) or
    :meth:`send` (waits for room); :meth:`end` says no more items come; the consumer iterates
    with ``async for`` and stops after the last queued item once ended. :meth:`close` ends both
    sides at once: queued items are discarded and iteration stops.

    Args:
        max_items: Items queued at most (at least 1).
    """

    def __init__(self, max_items: int) -> None:
        if max_items < 1:
            raise ValueError("max_items must be at least 1")
        self.max_items = max_items
        self._items: deque[T] = deque()
        self._ended = False
        self._closed = False
        self._item_ready: anyio.Event | None = None
        self._room: anyio.Event | None = None

    def __len__(self) -> int:
        return len(self._items)

    @property
    def ended(self) -> bool:
        """Whether :meth:`end` or :meth:`close` was called."""
        return self._ended

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def send_nowait(self, item: T) -> None:
        """Queue ``item`` now.

        Raises:
            anyio.WouldBlock: The queue is full.
            anyio.ClosedResourceError: The queue was ended or closed.
        """
        if self._ended:
            raise anyio.ClosedResourceError
        if len(self._items) >= self.max_items:
            raise anyio.WouldBlock
        self._items.append(item)
        ready = self._item_ready
        if ready is not None:
            self._item_ready = None
            ready.set()

    async def send(self, item: T) -> None:
        """Queue ``item``, waiting while the queue is full.

        Raises:
            anyio.ClosedResourceError: The queue was ended or closed (also while waiting).
        """
        while True:
            try:
                self.send_nowait(item)
                return
            except anyio.WouldBlock:
                if self._room is None:
                    self._room = anyio.Event()
                await self._room.wait()

    def end(self) -> None:
        """No more items: the consumer gets what is queued, then iteration stops."""
        self._ended = True
        self._wake_all()

    def close(self) -> None:
        """End both sides now: queued items are dropped and iteration stops."""
        self._ended = self._closed = True
        self._items.clear()
        self._wake_all()

    def _wake_all(self) -> None:
        for event in (self._item_ready, self._room):
            if event is not None:
                event.set()
        self._item_ready = self._room = None

    async def __aiter__(self) -> AsyncIterator[T]:
        """Yield items in order until the queue is ended and empty, or closed.

        Queued items are taken without a loop turn each; the consumer waits only when the queue
        is empty, so one that fell behind catches up in a burst. A burst yields to other tasks
        every :data:`BURST` items, so it cannot starve them.
        """
        items = self._items
        run = 0
        while True:
            if items:
                item = items.popleft()
                room = self._room
                if room is not None:
                    self._room = None
                    room.set()
                yield item
                run += 1
                if run >= BURST:
                    run = 0
                    await anyio.lowlevel.checkpoint()
                continue
            run = 0
            if self._ended or self._closed:
                return
            ready = self._item_ready
            if ready is None:
                ready = self._item_ready = anyio.Event()
            await ready.wait()
