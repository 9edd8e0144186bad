"""Embed voicelive's WebSocket server in an existing FastAPI app.

Run: ``uvicorn examples.embed_server:app`` and open http://127.0.0.1:8000/ for your own route,
http://127.0.0.1:8000/voice/health for the voice server, and connect browsers to
``ws://127.0.0.1:8000/voice/ws`` (protocol: docs/protocol.md).
"""

from __future__ import annotations

from fastapi import FastAPI

from voicelive.backends.base import Backend
from voicelive.server import ServerSettings, create_app


def build_app(backend: Backend | None = None) -> FastAPI:
    """Your app, with voicelive mounted under /voice."""
    voice = create_app(ServerSettings(max_sessions=4), backend=backend)
    # A mounted app's startup and shutdown do not run by themselves: hand its lifespan (model
    # warm-up, graceful close of live sessions) to the parent app.
    app = FastAPI(title="My product", lifespan=voice.router.lifespan_context)

    @app.get("/")
    def home() -> dict[str, str]:
        return {"hello": "world", "voice": "/voice/ws"}

    app.mount("/voice", voice)
    return app


def __getattr__(name: str) -> FastAPI:
    # ``uvicorn examples.embed_server:app`` builds the app (and picks the backend) on demand.
    if name == "app":
        return build_app()
    raise AttributeError(name)
