"""A frame source fed by the browser: JPEG frames pushed in, newest kept when the model lags."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

__all__ = ["FrameInbox"]


class FrameInbox:
    """A :class:`~voicelive.video.FrameSource` of JPEG frames received from a client.

    Frames are a view of the present, so when the queue is full the new frame is dropped and
    counted rather than delaying the ones behind it.

    Args:
        max_frames: Frames held before new ones are dropped.
    """

    def __init__(self, max_frames: int = 2) -> None:
        self.dropped = 0
        self._send: MemoryObjectSendStream[bytes]
        self._recv: MemoryObjectReceiveStream[bytes]
        self._send, self._recv = anyio.create_memory_object_stream[bytes](max_frames)

    def push_nowait(self, jpeg: bytes) -> bool:
        """Queue a frame if there is room; returns whether it was queued."""
        try:
            self._send.send_nowait(jpeg)
        except anyio.WouldBlock:
            self.dropped += 1
            return False
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            return False
        return True

    def __aiter__(self) -> AsyncIterator[bytes]:
        """Iterate over frames until :meth:`aclose`."""
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[bytes]:
        try:
            async for jpeg in self._recv:
                yield jpeg
        except anyio.ClosedResourceError:
            return

    async def aclose(self) -> None:
        """Stop the stream. Safe to call twice."""
        self._send.close()
        self._recv.close()
