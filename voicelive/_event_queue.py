"""The application's side of a session's events: a bounded queue that loses nothing (private).

:class:`~voicelive.session.LiveSession` puts every event here for the application to read
with ``async for``. The queue is opened when the session is entered and closed when it is left
(an unread, unclosed anyio stream warns when collected). Two rules keep it honest:

- **Bounded.** At most ``max_events`` wait; an event that finds the queue full is dropped and
  counted in :attr:`EventQueue.dropped` (``SessionStats.dropped_events``), never waited for:
  a slow reader must not stall the audio.
- **Nothing lost at the end.** Events still queued when the session ends are kept, and a
  reader that iterates after the ``async with`` block still gets them, in order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from voicelive.events import Event
from voicelive.exceptions import UsageError

__all__ = ["EventQueue"]


class EventQueue:
    """Events from a session to its application, bounded, with drops counted.

    Args:
        max_events: Events buffered before new ones are dropped (at least 1).

    Raises:
        UsageError: ``max_events`` is below 1.
    """

    def __init__(self, max_events: int) -> None:
        if max_events < 1:
            raise UsageError(f"max_events must be at least 1, got {max_events}")
        self.max_events = max_events
        self.dropped = 0
        """Events dropped because the application had not read the ones before them."""
        self._send: MemoryObjectSendStream[Event] | None = None
        self._recv: MemoryObjectReceiveStream[Event] | None = None
        self._unread: deque[Event] = deque()

    def open(self) -> None:
        """Make the stream (on entering the session)."""
        self._send, self._recv = anyio.create_memory_object_stream[Event](self.max_events)

    def emit(self, event: Event) -> None:
        """Queue one event; drop and count it when the queue is full, ignore it once closed."""
        if self._send is None:
            return
        try:
            self._send.send_nowait(event)
        except anyio.WouldBlock:
            self.dropped += 1
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            pass

    def end(self) -> None:
        """No more events: readers stop after the last queued one."""
        if self._send is not None:
            self._send.close()

    def settle(self) -> None:
        """Move the events nobody has read yet out of the stream and close both its ends."""
        self.end()
        if self._recv is None:
            return
        while True:
            try:
                self._unread.append(self._recv.receive_nowait())
            except (anyio.WouldBlock, anyio.EndOfStream, anyio.ClosedResourceError):
                break
        self._recv.close()

    async def iterate(self) -> AsyncIterator[Event]:
        """Every event in order: live while the session runs, then whatever was left.

        Raises:
            UsageError: The queue was never opened (the session was not entered).
        """
        if self._recv is None:
            raise UsageError("enter the session first: 'async with LiveSession(...) as s'")
        try:
            async for event in self._recv:
                yield event
        except anyio.ClosedResourceError:
            pass  # the session has ended: what was left is in _unread
        else:  # every event was read and the session has ended
            self._recv.close()
        while self._unread:  # read after the session ended: nothing is lost
            yield self._unread.popleft()
