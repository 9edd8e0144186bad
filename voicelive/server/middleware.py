"""ASGI middleware of the server: the ``Host`` check that runs before any route or upgrade.

The decision is :class:`~voicelive.server.policy.HostPolicy`; this module only applies it. An
HTTP request for a foreign name gets ``421 Misdirected Request``; a WebSocket handshake for one
is refused before the upgrade (HTTP 403), so a page that rebound its own name to this machine
reaches neither ``/ws`` nor ``/metrics``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from voicelive.server.policy import HostPolicy

__all__ = ["HostCheckMiddleware"]

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _host_header(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return bytes(value).decode("latin-1")
    return None


class HostCheckMiddleware:
    """Refuse requests whose ``Host`` header the policy does not answer.

    Args:
        app: The wrapped ASGI app.
        policy: Which host names are answered.
        on_refused: Called once per refused request (metrics).
    """

    def __init__(
        self, app: ASGIApp, policy: HostPolicy, on_refused: Callable[[], object] | None = None
    ) -> None:
        self.app = app
        self.policy = policy
        self.on_refused = on_refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse it when its host is foreign."""
        kind = scope["type"]
        if kind not in ("http", "websocket") or self.policy.allows(_host_header(scope)):
            await self.app(scope, receive, send)
            return
        if self.on_refused is not None:
            self.on_refused()
        log.warning("refused a %s request for a host this server does not answer", kind)
        if kind == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = (
            b"this server does not answer that host name; "
            b"start it with --allowed-host NAME to accept it\n"
        )
        await send({
            "type": "http.response.start",
            "status": 421,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        })
        await send({"type": "http.response.body", "body": body})
