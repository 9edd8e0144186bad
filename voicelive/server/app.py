"""The FastAPI app factory: ``/ws`` sessions, ``/health``, optional ``/metrics``, the page at ``/``.

::

    from voicelive.server import ServerSettings, create_app

    app = create_app(ServerSettings(max_sessions=4))   # run with any ASGI server
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread

from voicelive import __version__
from voicelive._extras import require
from voicelive.backends.base import Backend
from voicelive.exceptions import ConfigError
from voicelive.server.metrics import ServerMetrics
from voicelive.server.policy import HostPolicy, origin_allowed, token_from_request, token_ok
from voicelive.server.settings import ServerSettings

require("fastapi", extra="server", feature="the server")

from fastapi import FastAPI, Request, WebSocket  # noqa: E402
from fastapi.responses import HTMLResponse, JSONResponse, Response  # noqa: E402
from starlette.staticfiles import StaticFiles  # noqa: E402

from voicelive.server.connection import ClientConnection  # noqa: E402
from voicelive.server.deployment import (  # noqa: E402
    StoreCheck,
    build_resumer,
    current_worker,
    open_shared_store,
    prepare_store,
    register_resume_metrics,
    register_worker_metrics,
)
from voicelive.server.hub import SessionHub  # noqa: E402
from voicelive.server.middleware import HostCheckMiddleware  # noqa: E402
from voicelive.server.redact import install_token_redaction  # noqa: E402

if TYPE_CHECKING:
    from voicelive.store import Store
    from voicelive.tools import ToolRegistry

__all__ = ["build_backend", "create_app", "default_tools"]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")
"""Where the web build of the page lands."""

_FALLBACK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>voicelive</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>voicelive server</h1>
<p>The server is running, but the web page is not built into this installation.</p>
<p>Connect a WebSocket client to <code>/ws</code> (see <code>docs/protocol.md</code>),
check <a href="/health"><code>/health</code></a>, or build the page with
<code>npm run build</code> in <code>web/</code>.</p>
</body></html>
"""


def build_backend(settings: ServerSettings) -> Backend:
    """Create the backend the settings name (``gemini`` or ``local``, or chosen by API key)."""
    name = settings.resolved_backend()
    if name == "gemini":
        from voicelive.backends.gemini import GeminiBackend

        return GeminiBackend()
    from voicelive.backends.local import LocalBackend

    return LocalBackend()


def default_tools(settings: ServerSettings, store: Store | None = None) -> ToolRegistry:
    """The bundled nutrition tools, plus ``settings.tools``.

    The day states live in ``store`` when given, else where ``settings.db_url`` or
    ``settings.db_path`` says.

    Raises:
        UsageError: A ``tools`` entry cannot be loaded or holds no tools.
    """
    from voicelive.nutrition import toolkit

    registry = toolkit(db_path=store if store is not None else settings.db_url or settings.db_path)
    if settings.tools:
        from voicelive.cli import load_tool_spec

        for spec in settings.tools:
            registry = registry + load_tool_spec(spec)
    return registry


async def _warm_up(hub: SessionHub) -> None:
    """Load models ahead of the first session, when the backend can (``load()``)."""
    load = getattr(hub.backend, "load", None)
    try:
        if callable(load):
            await anyio.to_thread.run_sync(load)
        hub.ready = True
        log.info("backend %s ready (%s)", hub.backend.name, hub.model)
    except Exception as exc:  # readiness reports the failure; liveness stays up
        hub.ready_error = f"{type(exc).__name__}: {exc}"
        log.error("backend %s failed to load: %s", hub.backend.name, hub.ready_error)


def _machine_names() -> tuple[str, ...]:
    """This machine's own names, answered when the server listens on every interface."""
    import socket

    name = socket.gethostname()
    return (name, f"{name}.local") if name else ()


def create_app(
    settings: ServerSettings | None = None,
    *,
    backend: Backend | None = None,
    tools: ToolRegistry | Callable[[], ToolRegistry] | None = None,
) -> FastAPI:
    """Build the ASGI app.

    Args:
        settings: Server settings; defaults apply when ``None``.
        backend: The backend sessions connect through; built from ``settings`` when ``None``.
        tools: The tools sessions may call (a registry, or a factory called per session); the
            nutrition toolkit when ``None``.

    Raises:
        ConfigError: The settings expose the server beyond loopback without a token.
    """
    settings = settings or ServerSettings()
    settings.check_security()
    install_token_redaction()
    backend = backend if backend is not None else build_backend(settings)
    store = open_shared_store(settings, default_tools=tools is None)
    registry = tools if tools is not None else default_tools(settings, store)
    metrics = ServerMetrics(settings.metrics)
    register_worker_metrics(metrics)
    hub = SessionHub(settings, backend, registry, metrics)
    hub.resumer = build_resumer(settings, store)
    register_resume_metrics(metrics, hub.resumer)
    store_check = StoreCheck(url=store.url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with anyio.create_task_group() as tg:
            tg.start_soon(_warm_up, hub)
            tg.start_soon(prepare_store, store, store_check)
            yield
            await hub.close_all("shutdown", grace_s=settings.stop_grace_s + 2.0)
            tg.cancel_scope.cancel()
        store.close()

    app = FastAPI(
        title="voicelive", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
        openapi_url=None,
    )
    app.state.hub = hub
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET"],
            allow_headers=["Authorization"],
        )
    app.add_middleware(  # outermost: the Host check runs first
        HostCheckMiddleware,
        policy=HostPolicy.for_bind(settings.host, (*settings.allowed_hosts,
                                                   *settings.public_hosts()), _machine_names()),
        on_refused=lambda: metrics.rejected("host"),
    )

    @app.get("/health")
    async def health() -> JSONResponse:
        body: dict[str, Any] = {
            "status": "ok" if hub.ready else ("error" if hub.ready_error else "starting"),
            "live": True,
            "ready": hub.ready and not hub.shutting_down,
            "backend": backend.name,
            "model": hub.model,
            "sessions": hub.slots.in_use,
            "max_sessions": hub.slots.limit,
            "voices": list(hub.voices),
            "checks": {"models_loaded": hub.ready, "error": hub.ready_error,
                       "store": store_check.as_dict()},
            "worker": current_worker().as_dict(),
        }
        return JSONResponse(body, status_code=200 if body["ready"] else 503)

    @app.get("/health/live")
    async def live() -> JSONResponse:
        return JSONResponse({"live": True})

    @app.get("/voices")
    async def voices() -> JSONResponse:
        # What the page's Voice menu offers before a session starts (always 200).
        return JSONResponse({"backend": backend.name, "voices": list(hub.voices)})

    if settings.metrics:

        @app.get("/metrics")
        async def metrics_route(request: Request) -> Response:
            presented = token_from_request(request.headers, request.url.query)
            if not token_ok(settings.token, presented):
                return Response("forbidden\n", status_code=403)
            body, content_type = metrics.render()
            return Response(body, media_type=content_type)

    @app.websocket("/ws")
    async def websocket_endpoint(websocket: WebSocket) -> None:
        origin = websocket.headers.get("origin")
        if not origin_allowed(origin, websocket.headers.get("host"), settings.allowed_origins):
            metrics.rejected("origin")
            log.warning("refused /ws handshake from origin %r", origin)
            await websocket.close(code=1008)
            return
        presented = token_from_request(websocket.headers, websocket.url.query)
        if not token_ok(settings.token, presented):
            metrics.rejected("token")
            log.warning("refused /ws handshake: missing or wrong token")
            await websocket.close(code=1008)
            return
        await ClientConnection(websocket, hub).serve()

    if settings.public_url:
        from voicelive.server.telephony import mount_telephony

        app.state.telephony = mount_telephony(app, hub, settings)

    static_dir = settings.static_dir or STATIC_DIR
    if (static_dir / "index.html").is_file():
        app.mount("/", StaticFiles(directory=static_dir, html=True), name="static")
    else:
        if settings.static_dir is not None:
            raise ConfigError(f"static directory {static_dir} has no index.html")

        @app.get("/", response_class=HTMLResponse)
        async def index() -> HTMLResponse:
            return HTMLResponse(_FALLBACK_PAGE)

    return app
