"""Run the app under uvicorn: ``serve(settings)`` is what ``voicelive serve`` calls.

The server's WebSocket limits come from the settings (``ws_max_size`` is the message size limit,
so an oversized frame is refused by the protocol layer, with the ``message_too_large`` error
and close 1009, before it is buffered); the connection cap and the handshake timeout are
applied by :mod:`voicelive.server.transport`'s protocol classes; and
shutdown is graceful: every live session is asked to stop and told ``stopped`` with reason
``shutdown`` before uvicorn closes the sockets.
"""

from __future__ import annotations

import gc
import logging
import socket
from typing import TYPE_CHECKING, Any

from voicelive._extras import require
from voicelive.server.settings import ServerSettings

require("uvicorn", extra="server", feature="the server")

import uvicorn  # noqa: E402

from voicelive.server.transport import (  # noqa: E402
    GUARD_ATTRIBUTE,
    BoundedWebSocketProtocol,
    ConnectionGuard,
    GuardedHttpProtocol,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["GracefulServer", "build_server", "freeze_startup_heap", "serve"]

log = logging.getLogger(__name__)


class GracefulServer(uvicorn.Server):
    """A uvicorn server that closes live sessions before closing their sockets.

    Attributes:
        guard: The connection cap and handshake deadline in force (set by :func:`build_server`).
    """

    guard: ConnectionGuard | None = None

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Stop accepting, finish every session, then let uvicorn close what is left."""
        app: Any = self.config.loaded_app
        hub = _find_hub(app)
        if hub is not None:
            for server in getattr(self, "servers", []):
                server.close()
            await hub.close_all("shutdown", grace_s=hub.settings.stop_grace_s + 2.0)
        await super().shutdown(sockets)


def _find_hub(app: Any) -> Any:
    """Walk uvicorn's middleware wrappers down to the FastAPI app and return its hub."""
    seen = 0
    while app is not None and seen < 8:
        state = getattr(app, "state", None)
        hub = getattr(state, "hub", None) if state is not None else None
        if hub is not None:
            return hub
        app = getattr(app, "app", None)
        seen += 1
    return None


def build_server(app: FastAPI, settings: ServerSettings, **overrides: Any) -> GracefulServer:
    """A configured (not yet started) uvicorn server for ``app``.

    Args:
        app: The app from :func:`~voicelive.server.create_app`.
        settings: Host, port, message size limit and log level come from here.
        **overrides: Extra ``uvicorn.Config`` arguments (tests pass ``log_config=None``).
    """
    hub = _find_hub(app)
    guard = ConnectionGuard(
        settings.connection_limit(),
        settings.handshake_timeout_s,
        on_refused=hub.metrics.rejected if hub is not None else None,
    )
    options: dict[str, Any] = {
        "http": GuardedHttpProtocol,
        "ws": BoundedWebSocketProtocol,
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "ws_max_size": settings.max_message_bytes,
        "ws_per_message_deflate": False,
        "lifespan": "on",
        "timeout_graceful_shutdown": int(settings.stop_grace_s + 5),
    }
    options.update(overrides)
    config = uvicorn.Config(app, **options)
    setattr(config, GUARD_ATTRIBUTE, guard)  # read by GuardedHttpProtocol, in every worker
    server = GracefulServer(config)
    server.guard = guard
    return server


def freeze_startup_heap() -> int:
    """Take everything allocated so far out of the garbage collector's full passes.

    Collects once, then moves every surviving object (modules, classes, the app, compiled
    schemas: all of it lives as long as the process) into the permanent generation with
    :func:`gc.freeze`. A full collection then scans only what sessions allocate. Without this a
    full pass over the whole heap (about 150,000 objects with 100 live sessions, two thirds of
    them from start-up) paused the event loop for about 0.1 s in the middle of streaming,
    late for every session at once. Call it once, just before the server starts serving.

    Returns:
        How many objects are frozen.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def serve(settings: ServerSettings | None = None) -> None:
    """Create the app and run it until interrupted (Ctrl-C or SIGTERM shut down gracefully).

    With ``settings.workers`` > 1 this process supervises that many worker processes on one
    port instead (:mod:`voicelive.server.workers`); each builds its own app.

    Raises:
        ConfigError: The settings expose the server beyond loopback without a token.
        MissingExtraError: The ``server`` extra is not installed.
    """
    from voicelive.server.app import create_app

    settings = settings or ServerSettings()
    if settings.workers > 1:
        from voicelive.server.workers import run_workers

        settings.check_security()
        run_workers(settings)
        return
    app = create_app(settings)
    server = build_server(app, settings)
    log.info("serving on http://%s:%d (backend %s, at most %d sessions)",
             settings.host, settings.port, settings.resolved_backend(), settings.max_sessions)
    freeze_startup_heap()
    server.run()
