"""/health, /metrics, the page at /, and graceful shutdown over real HTTP and WebSocket."""

from __future__ import annotations

from pathlib import Path

import anyio
import httpx
import pytest
from test_server_harness import (
    EchoBackend,
    anyio_backend,
    client,
    echo_backend,
    eventually,
    run_server,
)
from websockets.exceptions import ConnectionClosed

from voicelive.exceptions import ConfigError
from voicelive.server import app as server_app
from voicelive.server.app import create_app
from voicelive.server.settings import ServerSettings

__all__ = ["anyio_backend", "echo_backend"]

pytestmark = pytest.mark.anyio


class LoadingBackend(EchoBackend):
    """A backend whose models load in ``load()``; the test decides when (or whether) it ends."""

    def __init__(self, fail: bool = False) -> None:
        super().__init__()
        self.fail = fail
        self.release = anyio.Event()
        self.loads = 0

    def load(self) -> None:
        self.loads += 1
        anyio.from_thread.run(self.release.wait)
        if self.fail:
            raise RuntimeError("model file missing")


async def test_health_reports_readiness_after_models_load() -> None:
    backend = LoadingBackend()
    async with run_server(backend=backend) as srv, httpx.AsyncClient(base_url=srv.http) as http:
        starting = await http.get("/health")
        assert starting.status_code == 503
        assert starting.json()["status"] == "starting"
        assert (await http.get("/health/live")).json() == {"live": True}
        backend.release.set()
        await eventually(lambda: srv.hub.ready)
        ready = await http.get("/health")
        assert ready.status_code == 200
        body = ready.json()
        assert body["ready"] is True and body["checks"]["models_loaded"] is True
        assert (body["backend"], body["model"]) == ("echo", "echo-1")
        assert (body["sessions"], body["max_sessions"]) == (0, 8)
    assert backend.loads == 1


async def test_health_reports_a_failed_load() -> None:
    backend = LoadingBackend(fail=True)
    backend.release.set()
    async with run_server(backend=backend) as srv:
        await eventually(lambda: srv.hub.ready_error is not None)
        async with httpx.AsyncClient(base_url=srv.http) as http:
            failed = await http.get("/health")
            assert failed.status_code == 503
            assert failed.json()["status"] == "error"
            assert "model file missing" in failed.json()["checks"]["error"]


async def test_metrics_count_sessions_turns_and_latency(echo_backend: EchoBackend) -> None:
    async with run_server(backend=echo_backend) as srv, client(srv.url) as c:
        await c.send(type="start", mode="audio")
        await c.expect("ready")
        for word in ("one", "two"):
            await c.send(type="text", text=word)
            await c.expect("turn_complete")
        async with httpx.AsyncClient(base_url=srv.http) as http:
            text = (await http.get("/metrics")).text
        assert "voicelive_sessions_active 1.0" in text
        assert "voicelive_connections_active 1.0" in text
        assert "voicelive_turns_total 2.0" in text
        assert "voicelive_sessions_started_total 1.0" in text
    async with (
        run_server(ServerSettings(port=0, metrics=False), backend=EchoBackend()) as srv,
        httpx.AsyncClient(base_url=srv.http) as http,
    ):
        assert (await http.get("/metrics")).status_code == 404


async def test_page_is_served_from_static_dir_or_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "index.html").write_text("<html><body>voicelive page build</body></html>")
    (tmp_path / "app.js").write_text("console.log('hi')")
    settings = ServerSettings(port=0, static_dir=tmp_path)
    async with (
        run_server(settings, backend=EchoBackend()) as srv,
        httpx.AsyncClient(base_url=srv.http) as http,
    ):
        page = await http.get("/")
        assert "voicelive page build" in page.text
        assert (await http.get("/app.js")).text == "console.log('hi')"
        assert (await http.get("/health")).headers["content-type"] == "application/json"
    empty = tmp_path / "nothing"
    empty.mkdir()
    with pytest.raises(ConfigError, match=r"index\.html"):
        create_app(ServerSettings(static_dir=empty), backend=EchoBackend())
    monkeypatch.setattr(server_app, "STATIC_DIR", empty)  # no build installed
    async with (
        run_server(ServerSettings(port=0), backend=EchoBackend()) as srv,
        httpx.AsyncClient(base_url=srv.http) as http,
    ):
        page = await http.get("/")
        assert page.status_code == 200
        assert "voicelive server" in page.text and "/ws" in page.text


async def test_graceful_shutdown_stops_every_session(echo_backend: EchoBackend) -> None:
    async with (
        run_server(backend=echo_backend) as srv,
        client(srv.url) as a,
        client(srv.url) as b,
    ):
        for c in (a, b):
            await c.send(type="start", mode="audio")
            await c.expect("ready")
        srv.server.should_exit = True
        for c in (a, b):
            stopped = await c.expect("stopped")
            assert stopped["reason"] == "shutdown"
            assert "session_closed" in c.types()
            with pytest.raises(ConnectionClosed) as info:
                await c.expect("never")
            assert info.value.rcvd is not None and info.value.rcvd.code == 1001
    assert all(conn.closed for conn in echo_backend.connections)
    assert srv.hub.slots.in_use == 0
