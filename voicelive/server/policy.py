"""Admission decisions in plain synchronous code: session slots, rate limits, origin and token.

Nothing here awaits or touches a socket; the connection handler asks and acts on the answer, and
tests drive these classes with a fake clock.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "HostPolicy",
    "RateLimiter",
    "SessionSlots",
    "origin_allowed",
    "redact_tokens",
    "token_from_request",
    "token_ok",
]

_LOOPBACK_HOST_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARD_BINDS = frozenset({"", "0.0.0.0", "::"})
_TOKEN_IN_URL = re.compile(r"(?i)((?:^|[?&;])token=)[^&;\s\"']*")


def _host_name(value: str) -> str | None:
    """The host part of a ``Host`` header (no port, no brackets, lower case), or ``None``."""
    value = value.strip().lower()
    if not value:
        return None
    if value.startswith("["):
        end = value.find("]")
        rest = value[end + 1 :]
        if end < 0 or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return value[1:end]
    name, _, port = value.partition(":")
    if port and not port.isdigit():
        return None
    return name.rstrip(".") or None


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class HostPolicy:
    """Which ``Host`` headers the server answers: the defence against DNS rebinding.

    A page on a foreign site can make a browser resolve its own name to 127.0.0.1 and then talk
    to the server as a same-origin page; the ``Host`` header still carries the foreign name.
    The server answers only names it is bound to (``localhost`` and the loopback addresses for
    a loopback server), IP addresses, and the names of the allow-list.

    Attributes:
        names: Host names answered, lower case.
        any_host: Every name is answered (``"*"`` in the allow-list).
    """

    names: frozenset[str]
    any_host: bool = False

    @classmethod
    def for_bind(cls, host: str, allowed: Iterable[str] = (), extra_names: Iterable[str] = ()
                 ) -> HostPolicy:
        """The policy of a server listening on ``host``.

        Args:
            host: The address or name given to ``--host``.
            allowed: Extra names from ``--allowed-host``; ``"*"`` answers any name.
            extra_names: Names of this machine, answered when ``host`` is a wildcard address.
        """
        allowed = tuple(a.strip().lower().rstrip(".") for a in allowed if a.strip())
        if "*" in allowed:
            return cls(frozenset(), any_host=True)
        bind = host.strip().strip("[]").lower()
        names = set(allowed) | _LOOPBACK_HOST_NAMES
        if bind in _WILDCARD_BINDS:
            names |= {n.lower() for n in extra_names if n}
        elif bind:
            names.add(bind)
        return cls(frozenset(names))

    def allows(self, host_header: str | None) -> bool:
        """Whether a request with this ``Host`` header is answered."""
        if self.any_host:
            return True
        if host_header is None:
            return False
        name = _host_name(host_header)
        if name is None:
            return False
        return name in self.names or _is_ip_literal(name)


def redact_tokens(text: str) -> str:
    """``text`` with every ``token=...`` URL parameter replaced by ``token=[redacted]``."""
    if "token=" not in text.lower():
        return text
    return _TOKEN_IN_URL.sub(r"\1[redacted]", text)


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
