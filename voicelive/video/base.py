"""The async shell shared by frame sources: pacing, a worker thread, closing.

A source subclasses :class:`PulledFrameSource` and implements :meth:`~PulledFrameSource.
_capture`, a synchronous method that returns the next frame (a Pillow image or an array) or
``None`` at the end. The base class asks for a frame only when the rate limit allows one, runs
the capture and the pixel work in a worker thread, and yields the JPEG bytes. Frames are
captured on demand, so the frame sent is always the newest the source can give.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Self

import anyio
import anyio.to_thread

from voicelive.exceptions import ClosedError
from voicelive.video.imaging import RawFrame
from voicelive.video.pipeline import FramePipeline, FrameSettings, FrameStats

__all__ = ["Clock", "PulledFrameSource", "Sleep"]

Clock = Callable[[], float]
"""Returns the current time in seconds (``time.monotonic`` by default)."""

Sleep = Callable[[float], Awaitable[None]]
"""Waits the given number of seconds (``anyio.sleep`` by default)."""


class _End:
    """Marks the end of a source's frames."""


_END = _End()


class PulledFrameSource:
    """Base of sources that capture a frame when one may be sent.

    Args:
        settings: Frame size, quality, rate and dedupe; :class:`FrameSettings` defaults when
            ``None``.
        clock: The time source for the rate limit (inject a fake one in tests).
        sleep: How to wait for the next slot (pair it with ``clock`` in tests).
    """

    def __init__(
        self,
        settings: FrameSettings | None = None,
        *,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        self.pipeline = FramePipeline(settings)
        self._clock: Clock = clock or time.monotonic
        self._sleep: Sleep = sleep or anyio.sleep
        self._closed = False
        self._ended = False

    @property
    def settings(self) -> FrameSettings:
        """The frame settings in use."""
        return self.pipeline.settings

    @property
    def stats(self) -> FrameStats:
        """Counters of captured, sent and dropped frames."""
        return self.pipeline.stats

    def __aiter__(self) -> Self:
        if self._closed:
            raise ClosedError(f"{type(self).__name__} is closed")
        return self

    async def __anext__(self) -> bytes:
        while True:
            if self._closed or self._ended:
                raise StopAsyncIteration
            wait = self.pipeline.wait_time(self._clock())
            if wait > 0:
                await self._sleep(wait)
                continue
            result = await anyio.to_thread.run_sync(self._step)
            if self._closed:  # closed while the frame was being captured
                raise StopAsyncIteration
            if isinstance(result, _End):
                self._ended = True
                raise StopAsyncIteration
            if result is not None:
                return result

    def _step(self) -> bytes | _End | None:
        frame = self._capture()
        if frame is None:
            return _END
        return self.pipeline.process(frame, self._clock())

    def _capture(self) -> RawFrame | None:
        """Capture the next frame, or return ``None`` when there are no more (sync)."""
        raise NotImplementedError

    async def aclose(self) -> None:
        """Stop the source and release what it holds. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        await anyio.to_thread.run_sync(self._release)

    def _release(self) -> None:
        """Release resources (sync, in a worker thread); nothing by default."""
