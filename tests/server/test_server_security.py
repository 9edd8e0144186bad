"""Origin allow-list, bearer token (header or query), token required beyond loopback, CORS."""

from __future__ import annotations

import httpx
import pytest
from test_server_harness import EchoBackend, anyio_backend, client, echo_backend, run_server
from websockets.exceptions import InvalidStatus

from voicelive.exceptions import ConfigError
from voicelive.server.app import create_app
from voicelive.server.settings import ServerSettings

__all__ = ["anyio_backend", "echo_backend"]

pytestmark = pytest.mark.anyio

TOKEN = "s3cret-token-value"


async def test_origin_allow_list(echo_backend: EchoBackend) -> None:
    settings = ServerSettings(port=0, allowed_origins=("http://good.example",))
    async with run_server(settings, backend=echo_backend) as srv:
        with pytest.raises(InvalidStatus) as info:
            async with client(srv.url, origin="http://evil.example"):
                pass
        assert info.value.response.status_code == 403
        with pytest.raises(InvalidStatus):
            async with client(srv.url, origin="null"):
                pass
        for origin in ("http://good.example", f"http://127.0.0.1:{srv.port}", None):
            async with client(srv.url, origin=origin) as c:
                await c.send(type="ping", id=origin)
                assert (await c.expect("pong"))["id"] == origin
        body, _ = srv.hub.metrics.render()
        assert b'voicelive_sessions_rejected_total{reason="origin"} 2.0' in body


async def test_token_by_header_or_query(echo_backend: EchoBackend) -> None:
    settings = ServerSettings(port=0, token=TOKEN)
    async with run_server(settings, backend=echo_backend) as srv:
        for url, headers in (
            (srv.url, None),
            (srv.url + "?token=wrong-token-123", None),
            (srv.url, {"Authorization": "Bearer wrong-token-123"}),
            (srv.url, {"Authorization": f"Basic {TOKEN}"}),
        ):
            with pytest.raises(InvalidStatus) as info:
                async with client(url, additional_headers=headers):
                    pass
            assert info.value.response.status_code == 403
        for url, headers in (
            (srv.url + f"?token={TOKEN}", None),
            (srv.url, {"Authorization": f"Bearer {TOKEN}"}),
        ):
            async with client(url, additional_headers=headers) as c:
                await c.send(type="start", mode="audio")
                assert (await c.expect("ready"))["backend"] == "echo"
        async with httpx.AsyncClient(base_url=srv.http) as http:
            assert (await http.get("/metrics")).status_code == 403
            ok = await http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
            assert ok.status_code == 200
            assert 'voicelive_sessions_rejected_total{reason="token"} 4.0' in ok.text
            assert (await http.get("/health")).status_code == 200  # probes need no token


def test_token_required_beyond_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOICELIVE_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="token"):
        create_app(ServerSettings(host="0.0.0.0"), backend=EchoBackend())
    assert create_app(ServerSettings(host="0.0.0.0", token=TOKEN), backend=EchoBackend())
    monkeypatch.setenv("VOICELIVE_TOKEN", TOKEN)
    assert ServerSettings(host="0.0.0.0").token == TOKEN
    assert create_app(ServerSettings(host="::1"), backend=EchoBackend())


async def test_cors_is_configurable(echo_backend: EchoBackend) -> None:
    settings = ServerSettings(port=0, cors_origins=("http://localhost:5173",))
    async with (
        run_server(settings, backend=echo_backend) as srv,
        httpx.AsyncClient(base_url=srv.http) as http,
    ):
        allowed = await http.get("/health", headers={"Origin": "http://localhost:5173"})
        assert allowed.headers["access-control-allow-origin"] == "http://localhost:5173"
        other = await http.get("/health", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    async with (
        run_server(backend=EchoBackend()) as srv,
        httpx.AsyncClient(base_url=srv.http) as http,
    ):
        plain = await http.get("/health", headers={"Origin": "http://localhost:5173"})
        assert "access-control-allow-origin" not in plain.headers
