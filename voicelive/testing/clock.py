"""A fake clock for :class:`voicelive.confirming.Clock`: time moves only when a test says so.

::

    clock = FakeClock()
    session.confirmations.clock = clock      # before entering the session
    ...
    clock.advance(31)                        # the pending confirmation expires now
"""

from __future__ import annotations

import anyio

__all__ = ["FakeClock"]


class FakeClock:
    """A monotonic clock under the test's control; sleepers wake when it passes their deadline.

    Args:
        start: The initial time in seconds.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.t = start
        self._moved = anyio.Event()

    def now(self) -> float:
        """The current fake time."""
        return self.t

    async def sleep_until(self, deadline: float) -> None:
        """Wait until :meth:`advance` has moved the time to ``deadline`` or beyond."""
        while self.t < deadline:
            await self._moved.wait()

    def advance(self, seconds: float) -> None:
        """Move the time forward and wake every sleeper."""
        if seconds < 0:
            raise ValueError("a monotonic clock does not go back")
        self.t += seconds
        self._moved.set()
        self._moved = anyio.Event()
