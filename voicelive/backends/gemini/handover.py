"""Hand-over and reconnect decisions of the Gemini backend, in plain synchronous code.

Nothing here does I/O or reads a clock: callers pass ``now`` (a monotonic time in seconds) and a
random source, so tests drive every decision directly.

* :func:`close_is_retryable` says which WebSocket close codes are worth a reconnect.
* :class:`Backoff` is the reconnect delay schedule (exponential, capped, with jitter), and
  :class:`RetryBudget` caps reconnect attempts per time window.
* :class:`HandoverPlanner` tracks resumption handles, tool calls in flight and ``goAway``
  deadlines, and says when a hand-over may start and which handle it resumes with.
* :class:`Backlog` holds sends while no connection is open (audio bounded, drops counted).
"""

from __future__ import annotations

import math
import random
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

__all__ = [
    "FATAL_CLOSE_CODES",
    "NORMAL_CLOSE",
    "RETRYABLE_CLOSE_CODES",
    "Backlog",
    "Backoff",
    "HandoverPlanner",
    "RetryBudget",
    "close_is_retryable",
    "parse_duration",
]

NORMAL_CLOSE = 1000
"""The service ended the session on purpose; nothing to retry."""

RETRYABLE_CLOSE_CODES = frozenset({1001, 1006, 1011, 1012, 1013, 1014})
"""Going away, abnormal closure (no close frame), internal error, restart, try again later,
bad gateway: a new connection may succeed."""

FATAL_CLOSE_CODES = frozenset({1002, 1003, 1007, 1008, 1009, 1010})
"""Protocol error, unsupported data, invalid payload, policy violation (bad key, quota, model),
message too big, missing extension: the same request fails again, so do not retry."""


T = TypeVar("T")


def close_is_retryable(code: int) -> bool:
    """Whether a connection closed with ``code`` is worth reconnecting.

    Unknown codes in the private 4000-4999 range and anything not listed are not retried.
    """
    return code in RETRYABLE_CLOSE_CODES


_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*s?\s*$")


def parse_duration(value: str | float | None, default: float = 0.0) -> float:
    """Parse a protobuf duration such as ``"5s"`` or ``"1.5s"`` into seconds.

    Args:
        value: The text the service sent, a number, or ``None``.
        default: Returned for a missing or unreadable value.
    """
    if value is None:
        return default
    if isinstance(value, int | float):
        return max(0.0, float(value))
    match = _DURATION_RE.match(value)
    return float(match.group(1)) if match else default


@dataclass(frozen=True, slots=True)
class Backoff:
    """Reconnect delays: ``base_s * factor**attempt`` capped at ``cap_s``, with jitter.

    The jitter is "equal jitter": each delay lies between half and all of the exponential value,
    so reconnecting clients spread out yet never retry at once.

    Attributes:
        base_s: Delay before the first retry, before jitter.
        factor: Growth per attempt.
        cap_s: Largest delay.
    """

    base_s: float = 0.25
    factor: float = 2.0
    cap_s: float = 8.0

    def delay(self, attempt: int, rand: Callable[[], float] = random.random) -> float:
        """Return the delay before retry number ``attempt`` (0-based).

        Args:
            attempt: How many retries were made already.
            rand: Uniform random source in ``[0, 1)``.
        """
        ceiling = min(self.cap_s, self.base_s * self.factor ** max(0, attempt))
        return ceiling / 2 + rand() * ceiling / 2


@dataclass
class RetryBudget:
    """Counts reconnect attempts in a sliding time window.

    Delivered messages do not refill it: a service that accepts the setup, sends one message and
    drops again (1011) would otherwise get reconnects forever. Each attempt is remembered for
    ``window_s`` seconds; when ``limit`` attempts lie inside the window, the next is refused.

    Attributes:
        limit: Attempts allowed per window (``SessionConfig.max_reconnects``).
        window_s: Length of the window (``SessionConfig.reconnect_window_s``).
        total: Attempts made over the whole conversation.
    """

    limit: int
    window_s: float = 60.0
    total: int = 0
    _times: deque[float] = field(default_factory=deque)

    @property
    def attempts(self) -> int:
        """Attempts inside the window as of the last :meth:`spend`."""
        return len(self._times)

    def spend(self, now: float) -> bool:
        """Use one attempt at ``now``; return ``False`` when the window's budget is spent."""
        while self._times and self._times[0] <= now - self.window_s:
            self._times.popleft()
        if len(self._times) >= self.limit:
            return False
        self._times.append(now)
        self.total += 1
        return True


@dataclass
class HandoverPlanner:
    """Decides when a Gemini connection hands over to the next one, and with which handle.

    A hand-over starts after ``goAway`` once no tool call is in flight and a *resumable* handle
    arrived after the last tool activity, so the new connection resumes a state that includes
    the tool result. If that does not happen in time, it starts anyway ``margin_s`` seconds
    before the announced deadline.

    Attributes:
        margin_s: How long before the deadline a forced hand-over starts (at most half the time
            announced).
        handle: The newest resumable handle, the one a new connection resumes with.
    """

    margin_s: float = 1.0
    handle: str | None = None
    _pending: set[str] = field(default_factory=set)
    _fresh: bool = True
    _forced_at: float | None = None

    @property
    def pending_calls(self) -> frozenset[str]:
        """Ids of tool calls whose result has not been sent."""
        return frozenset(self._pending)

    @property
    def going_away(self) -> bool:
        """Whether the current connection received ``goAway``."""
        return self._forced_at is not None

    def on_resumption_update(self, handle: str | None, *, resumable: bool) -> None:
        """Record a ``sessionResumptionUpdate``; only resumable handles are kept."""
        if resumable and handle:
            self.handle = handle
            if not self._pending:
                self._fresh = True

    def on_tool_calls(self, ids: Iterable[str]) -> None:
        """Record tool calls the model made."""
        self._pending.update(ids)
        self._fresh = False

    def on_tool_result(self, call_id: str) -> None:
        """Record that a tool result was sent; a new resumable handle is needed to move on."""
        self._pending.discard(call_id)
        self._fresh = False

    def on_tool_cancelled(self, ids: Iterable[str]) -> None:
        """Record calls the model withdrew."""
        self._pending.difference_update(ids)
        self._fresh = False

    def on_go_away(self, time_left_s: float, now: float) -> None:
        """Record a ``goAway`` received at ``now`` with ``time_left_s`` seconds to go."""
        margin = min(self.margin_s, time_left_s / 2)
        forced_at = now + max(0.0, time_left_s - margin)
        if self._forced_at is None or forced_at < self._forced_at:
            self._forced_at = forced_at

    def handover_due(self, now: float) -> bool:
        """Whether the hand-over should start at ``now``."""
        if self._forced_at is None:
            return False
        if now >= self._forced_at:
            return True
        return not self._pending and self._fresh

    def seconds_until_forced(self, now: float) -> float:
        """Seconds until a forced hand-over (``inf`` without ``goAway``; never negative)."""
        if self._forced_at is None:
            return math.inf
        return max(0.0, self._forced_at - now)

    def on_connected(self) -> None:
        """A new connection is live: forget the old one's ``goAway``.

        Tool calls still in flight stay pending (their result goes to the new connection).
        """
        self._forced_at = None
        self._fresh = not self._pending


@dataclass
class Backlog(Generic[T]):
    """Sends held while no connection is open, replayed in order on the next one.

    Audio items are bounded by ``max_audio_bytes``: when full, the oldest audio item goes and is
    counted. Other items (tool results, text, activity marks) are never dropped.

    Attributes:
        max_audio_bytes: Audio capacity (the default holds 10 s of 16 kHz PCM16).
        dropped_chunks: Audio items discarded because the backlog was full.
        dropped_bytes: Audio bytes discarded because the backlog was full.
    """

    max_audio_bytes: int = 320_000
    dropped_chunks: int = 0
    dropped_bytes: int = 0
    _items: deque[tuple[T, int]] = field(default_factory=deque)
    _audio_bytes: int = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def audio_bytes(self) -> int:
        """Audio bytes currently held."""
        return self._audio_bytes

    def push(self, item: T, *, audio_bytes: int = 0) -> int:
        """Append an item (``audio_bytes > 0`` marks audio); return how many audio items went."""
        if audio_bytes > self.max_audio_bytes:
            self.dropped_chunks += 1
            self.dropped_bytes += audio_bytes
            return 1
        self._items.append((item, audio_bytes))
        self._audio_bytes += audio_bytes
        dropped = 0
        while self._audio_bytes > self.max_audio_bytes:
            self._drop_oldest_audio()
            dropped += 1
        return dropped

    def _drop_oldest_audio(self) -> None:
        for index, (_, size) in enumerate(self._items):
            if size > 0:
                del self._items[index]
                self._audio_bytes -= size
                self.dropped_chunks += 1
                self.dropped_bytes += size
                return

    def pop(self) -> tuple[T, int] | None:
        """Remove and return the oldest ``(item, audio_bytes)``, or ``None`` when empty."""
        if not self._items:
            return None
        entry = self._items.popleft()
        self._audio_bytes -= entry[1]
        return entry

    def unpop(self, entry: tuple[T, int]) -> None:
        """Put an entry back at the front (it could not be sent)."""
        self._items.appendleft(entry)
        self._audio_bytes += entry[1]
