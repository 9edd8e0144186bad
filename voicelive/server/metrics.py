"""Prometheus metrics of one server: sessions, turns, latencies, dropped audio, refusals.

Each app gets its own ``CollectorRegistry`` (several apps may live in one process, in tests for
instance). With metrics switched off every method is a no-op and ``prometheus_client`` is never
imported.
"""

from __future__ import annotations

from typing import Any

from voicelive.exceptions import MissingExtraError

__all__ = ["ServerMetrics"]

_LATENCY_BUCKETS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)


class ServerMetrics:
    """Counters and gauges of one server.

    Args:
        enabled: Create real Prometheus collectors; every call is a no-op otherwise.
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._m: dict[str, Any] = {}
        if not enabled:
            return
        try:
            import prometheus_client as prom
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingExtraError("server metrics", "server", "prometheus_client") from exc
        self._prom = prom
        reg = prom.CollectorRegistry(auto_describe=True)
        self.registry = reg
        self._m = {
            "connections": prom.Gauge(
                "voicelive_connections_active", "Open WebSocket connections", registry=reg
            ),
            "sessions": prom.Gauge(
                "voicelive_sessions_active", "Live sessions running", registry=reg
            ),
            "started": prom.Counter(
                "voicelive_sessions_started", "Live sessions started", registry=reg
            ),
            "rejected": prom.Counter(
                "voicelive_sessions_rejected",
                "Session starts or handshakes refused",
                ["reason"],
                registry=reg,
            ),
            "turns": prom.Counter("voicelive_turns", "Completed assistant turns", registry=reg),
            "latency": prom.Histogram(
                "voicelive_turn_latency_seconds",
                "End of user speech to first reply audio",
                buckets=_LATENCY_BUCKETS,
                registry=reg,
            ),
            "tool": prom.Histogram(
                "voicelive_tool_duration_seconds",
                "Duration of tool calls",
                buckets=_LATENCY_BUCKETS,
                registry=reg,
            ),
            "dropped": prom.Counter(
                "voicelive_audio_dropped_chunks",
                "Audio chunks dropped (in: client faster than the backend; out: slow client)",
                ["direction"],
                registry=reg,
            ),
            "protocol_errors": prom.Counter(
                "voicelive_protocol_errors",
                "Client messages refused, by error code",
                ["code"],
                registry=reg,
            ),
        }

    def connection_opened(self) -> None:
        """A WebSocket was accepted."""
        if self.enabled:
            self._m["connections"].inc()

    def connection_closed(self) -> None:
        """A WebSocket ended."""
        if self.enabled:
            self._m["connections"].dec()

    def session_started(self) -> None:
        """A live session got a slot."""
        if self.enabled:
            self._m["sessions"].inc()
            self._m["started"].inc()

    def session_ended(self) -> None:
        """A live session gave its slot back."""
        if self.enabled:
            self._m["sessions"].dec()

    def rejected(self, reason: str) -> None:
        """A handshake or start was refused (``busy``, ``origin``, ``token``)."""
        if self.enabled:
            self._m["rejected"].labels(reason=reason).inc()

    def turn_completed(self, latency_ms: float | None) -> None:
        """An assistant turn completed, with its latency when known."""
        if self.enabled:
            self._m["turns"].inc()
            if latency_ms is not None:
                self._m["latency"].observe(latency_ms / 1000.0)

    def tool_finished(self, duration_ms: float) -> None:
        """A tool call returned."""
        if self.enabled:
            self._m["tool"].observe(duration_ms / 1000.0)

    def audio_dropped(self, direction: str, chunks: int) -> None:
        """Audio chunks were dropped in ``direction`` (``in`` or ``out``)."""
        if self.enabled and chunks > 0:
            self._m["dropped"].labels(direction=direction).inc(chunks)

    def protocol_error(self, code: str) -> None:
        """A client message was refused with ``code``."""
        if self.enabled:
            self._m["protocol_errors"].labels(code=code).inc()

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        if not self.enabled:
            return b"", "text/plain; charset=utf-8"
        return self._prom.generate_latest(self.registry), self._prom.CONTENT_TYPE_LATEST
