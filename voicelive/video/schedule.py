"""When a frame may go out: a rate limiter and a one-slot, newest-wins mailbox.

Both classes are plain synchronous code driven by timestamps the caller passes in, so tests
drive them with any clock (or none). They know nothing about images: a frame here is any
object.

The model of a frame stream::

    producer --offer()--> [one pending slot] --take()--> consumer --done()--> (asks again)

* The limiter spaces the frames that leave the slot at least ``1 / fps`` seconds apart, so any
  window of ``T`` seconds holds at most ``fps * T + 1`` of them.
* A frame offered while another is still pending replaces it: the newest frame wins. The
  replaced frame is counted as ``dropped_rate`` when it was waiting for the limiter, and as
  ``dropped_backpressure`` when it was waiting because the consumer was still busy with the
  previous frame (between :meth:`FrameScheduler.take` and :meth:`FrameScheduler.done`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from voicelive.exceptions import ConfigError

__all__ = ["FrameScheduler", "RateLimiter"]

T = TypeVar("T")


class RateLimiter:
    """Lets events through at most ``fps`` times per second.

    Args:
        fps: Events per second; must be positive and finite.

    Raises:
        ConfigError: ``fps`` is not a positive finite number.
    """

    def __init__(self, fps: float) -> None:
        if not (isinstance(fps, int | float) and math.isfinite(fps) and fps > 0):
            raise ConfigError(f"fps must be a positive finite number, got {fps!r}")
        self.interval = 1.0 / fps
        self._next_at: float | None = None

    def wait_time(self, now: float) -> float:
        """Seconds until an event may pass (0.0 when it may pass now)."""
        if self._next_at is None:
            return 0.0
        return max(0.0, self._next_at - now)

    def ready(self, now: float) -> bool:
        """Whether an event may pass at ``now``."""
        return self._next_at is None or now >= self._next_at

    def mark(self, now: float) -> None:
        """Record that an event passed at ``now``."""
        self._next_at = now + self.interval


@dataclass(slots=True)
class _Counts:
    produced: int = 0
    taken: int = 0
    dropped_rate: int = 0
    dropped_backpressure: int = 0


class FrameScheduler(Generic[T]):
    """A rate-limited, newest-wins slot between a frame producer and a frame consumer.

    Args:
        fps: The most frames per second :meth:`take` hands out.

    Every offered frame ends in exactly one place: taken, dropped (rate or backpressure), or
    still pending, so ``produced == taken + dropped_rate + dropped_backpressure + pending``.
    """

    def __init__(self, fps: float) -> None:
        self.limiter = RateLimiter(fps)
        self._pending: T | None = None
        self._has_pending = False
        self._busy = False
        self._counts = _Counts()

    @property
    def has_pending(self) -> bool:
        """Whether a frame waits in the slot."""
        return self._has_pending

    @property
    def busy(self) -> bool:
        """Whether the consumer is still handling the last frame it took."""
        return self._busy

    @property
    def produced(self) -> int:
        """Frames offered so far."""
        return self._counts.produced

    @property
    def taken(self) -> int:
        """Frames handed to the consumer so far."""
        return self._counts.taken

    @property
    def dropped_rate(self) -> int:
        """Frames replaced while they waited for the rate limiter."""
        return self._counts.dropped_rate

    @property
    def dropped_backpressure(self) -> int:
        """Frames replaced while the consumer was busy with an earlier one."""
        return self._counts.dropped_backpressure

    def offer(self, frame: T) -> None:
        """Put a new frame in the slot, replacing (and counting) any frame still pending."""
        self._counts.produced += 1
        if self._has_pending:
            if self._busy:
                self._counts.dropped_backpressure += 1
            else:
                self._counts.dropped_rate += 1
        self._pending = frame
        self._has_pending = True

    def wait_time(self, now: float) -> float:
        """Seconds until the limiter lets the next frame out (0.0 if it would now)."""
        return self.limiter.wait_time(now)

    def take(self, now: float) -> T | None:
        """Hand out the pending frame if the limiter allows it at ``now``.

        The consumer counts as busy from here until it calls :meth:`done`.

        Returns:
            The newest pending frame, or ``None`` when there is none or it is too early.
        """
        if not self._has_pending or not self.limiter.ready(now):
            return None
        frame = self._pending
        self._pending = None
        self._has_pending = False
        self._busy = True
        self.limiter.mark(now)
        self._counts.taken += 1
        return frame

    def done(self) -> None:
        """The consumer finished with the last frame and waits for the next one."""
        self._busy = False
