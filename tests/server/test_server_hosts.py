"""The Host header check (DNS rebinding), the token kept out of logs, no /openapi.json."""

from __future__ import annotations

import logging

import httpx
import pytest
from test_server_harness import (
    EchoBackend,
    anyio_backend,
    client,
    echo_backend,
    raw_exchange,
    run_server,
    status_of,
    upgrade_request,
)
from websockets.exceptions import InvalidStatus

from voicelive.server.policy import HostPolicy, redact_tokens
from voicelive.server.settings import ServerSettings

__all__ = ["anyio_backend", "echo_backend"]

pytestmark = pytest.mark.anyio

TOKEN = "s3cret-token-value"


def test_host_policy_decisions() -> None:
    loopback = HostPolicy.for_bind("127.0.0.1")
    for ok in ("127.0.0.1:8000", "localhost:8000", "LOCALHOST.", "[::1]:8000", "10.0.0.7"):
        assert loopback.allows(ok), ok
    for bad in ("rebind.example:8000", "127.0.0.1.rebind.example", "", None, "[::1]x", "a:b"):
        assert not loopback.allows(bad), bad
    listed = HostPolicy.for_bind("127.0.0.1", ["Voice.Example"])
    assert listed.allows("voice.example:443") and not listed.allows("other.example")
    assert HostPolicy.for_bind("127.0.0.1", ["*"]).allows("anything.example")
    wildcard = HostPolicy.for_bind("0.0.0.0", extra_names=["kitchen-pc"])
    assert wildcard.allows("kitchen-pc:8000") and wildcard.allows("192.168.1.20:8000")
    assert not wildcard.allows("rebind.example")
    named = HostPolicy.for_bind("voice.lan")
    assert named.allows("voice.lan:8000") and not named.allows("rebind.example")


async def test_a_rebound_name_reaches_neither_ws_nor_metrics(echo_backend: EchoBackend) -> None:
    async with run_server(backend=echo_backend) as srv:
        foreign = f"rebind.example:{srv.port}"
        head = await raw_exchange(
            srv.port, upgrade_request(srv.port, host=foreign, origin=f"http://{foreign}")
        )
        assert status_of(head) == 403
        own = await raw_exchange(srv.port, upgrade_request(srv.port))
        assert status_of(own) == 101
        async with httpx.AsyncClient(base_url=srv.http) as http:
            for path in ("/metrics", "/health", "/"):
                refused = await http.get(path, headers={"Host": foreign})
                assert refused.status_code == 421, path
                assert "--allowed-host" in refused.text
            assert (await http.get("/metrics")).status_code == 200
            body = (await http.get("/metrics")).text
        assert 'voicelive_sessions_rejected_total{reason="host"} 4.0' in body


async def test_allowed_host_flag_admits_a_proxy_name(echo_backend: EchoBackend) -> None:
    settings = ServerSettings(port=0, allowed_hosts=("voice.example",))
    async with run_server(settings, backend=echo_backend) as srv:
        head = await raw_exchange(
            srv.port, upgrade_request(srv.port, host="voice.example",
                                      origin="https://voice.example")
        )
        assert status_of(head) == 101


async def test_openapi_schema_is_not_served(echo_backend: EchoBackend) -> None:
    async with run_server(backend=echo_backend) as srv, httpx.AsyncClient(base_url=srv.http) as h:
        for path in ("/openapi.json", "/docs", "/redoc"):
            assert (await h.get(path)).status_code == 404, path


def test_redact_tokens() -> None:
    assert redact_tokens("/ws?token=abc&x=1") == "/ws?token=[redacted]&x=1"
    assert redact_tokens('GET /metrics?a=1&TOKEN=zz HTTP/1.1"') == (
        'GET /metrics?a=1&TOKEN=[redacted] HTTP/1.1"'
    )
    assert redact_tokens("/ws?mytoken=1") == "/ws?mytoken=1"


async def test_tokens_never_reach_the_logs(
    echo_backend: EchoBackend, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = ServerSettings(port=0, token=TOKEN)
    async with run_server(settings, backend=echo_backend, access_log=True) as srv:
        async with client(srv.url + f"?token={TOKEN}") as c:
            await c.send(type="ping", id=1)
            await c.expect("pong")
        with pytest.raises(InvalidStatus):
            async with client(srv.url + "?token=wrong-but-secret-too"):
                pass
        async with httpx.AsyncClient(base_url=srv.http) as http:
            assert (await http.get(f"/metrics?token={TOKEN}")).status_code == 200
    server_loggers = ("uvicorn", "voicelive")  # the client libraries log their own URLs
    lines = [r.getMessage() for r in caplog.records if r.name.startswith(server_loggers)]
    assert any("/ws?token=[redacted]" in line for line in lines), lines
    assert any("/metrics?token=[redacted]" in line for line in lines), lines
    assert not [line for line in lines if TOKEN in line or "wrong-but-secret" in line]
