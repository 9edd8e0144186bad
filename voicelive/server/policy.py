"""Admission decisions in plain synchronous code: session slots, rate limits, origin and token.

Nothing here awaits or touches a socket; the connection handler asks and acts on the answer, and
tests drive these classes with a fake clock.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qs, urlsplit

__all__ = ["RateLimiter", "SessionSlots", "origin_allowed", "token_from_request", "token_ok"]


class SessionSlots:
    """At most ``limit`` live sessions per process; ``acquire`` never waits.

    ``limit=1`` reproduces a one-active-session lock: a second ``start`` is refused with
    ``busy`` instead of queueing behind the first.
    """

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("the session limit must be at least 1")
        self.limit = limit
        self._holders: set[str] = set()

    @property
    def in_use(self) -> int:
        """Slots currently held."""
        return len(self._holders)

    def acquire(self, holder: str) -> bool:
        """Take a slot for ``holder``; ``False`` when every slot is taken."""
        if holder in self._holders:
            return True
        if len(self._holders) >= self.limit:
            return False
        self._holders.add(holder)
        return True

    def release(self, holder: str) -> None:
        """Give the slot of ``holder`` back; a no-op when it holds none."""
        self._holders.discard(holder)


class RateLimiter:
    """Token bucket: ``rate`` messages per second sustained, ``burst`` at once.

    Time is passed in, so the limiter is deterministic under test.
    """

    def __init__(self, rate: float, burst: int, *, now: float = 0.0) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = float(burst)
        self._tokens = float(burst)
        self._last = now
        self._last_warning = float("-inf")
        self.rejected = 0

    def allow(self, now: float) -> bool:
        """Spend one token if there is one; count and refuse the message otherwise."""
        elapsed = max(0.0, now - self._last)
        self._last = now
        self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        self.rejected += 1
        return False

    def should_warn(self, now: float, interval: float = 1.0) -> bool:
        """Whether to report a refusal now: at most one warning per ``interval`` seconds."""
        if now - self._last_warning >= interval:
            self._last_warning = now
            return True
        return False


def _origin_key(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is None:
        port = {"http": 80, "ws": 80, "https": 443, "wss": 443}.get(scheme)
    return f"{host}:{port}"


def origin_allowed(origin: str | None, host_header: str | None, allowed: Iterable[str]) -> bool:
    """Decide whether a WebSocket handshake from ``origin`` may proceed.

    No ``Origin`` header means a non-browser client (the token still applies). A browser
    origin is allowed when it is the page's own origin (same host and port as the ``Host``
    header), when it is listed in ``allowed``, or when ``allowed`` holds ``"*"``.

    Args:
        origin: The ``Origin`` header, if any.
        host_header: The ``Host`` header the browser connected to.
        allowed: Extra allowed origins, e.g. ``http://localhost:5173``.
    """
    if origin is None:
        return True
    allowed = tuple(allowed)
    if "*" in allowed:
        return True
    if origin == "null":
        return False
    normalized = origin.rstrip("/").lower()
    if any(normalized == a.rstrip("/").lower() for a in allowed):
        return True
    if not host_header:
        return False
    try:
        own = _origin_key(f"http://{host_header}")
        theirs = _origin_key(origin)
    except ValueError:
        return False
    # The Host header carries no scheme: compare host and explicit-or-default port.
    if theirs == own:
        return True
    try:
        return _origin_key(f"https://{host_header}") == theirs
    except ValueError:
        return False


def token_from_request(headers: Mapping[str, str], query_string: str) -> str | None:
    """The bearer token of a handshake: ``Authorization: Bearer T`` first, else ``?token=T``."""
    auth = headers.get("authorization")
    if auth:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    values = parse_qs(query_string).get("token")
    return values[0] if values else None


def token_ok(expected: str | None, presented: str | None) -> bool:
    """Whether ``presented`` matches ``expected`` (always true when no token is configured)."""
    if expected is None:
        return True
    if presented is None:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode())
