"""Bad input over a real socket: an error naming the problem, the connection stays usable (or
closes with 1009 for oversized messages), and another session running meanwhile never notices."""

from __future__ import annotations

import json

import pytest
from test_server_harness import (
    EchoBackend,
    anyio_backend,
    client,
    echo_backend,
    run_server,
)
from websockets.exceptions import ConnectionClosed

from voicelive.server.settings import ServerSettings

__all__ = ["anyio_backend", "echo_backend"]

pytestmark = pytest.mark.anyio

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60 + b"\xff\xd9"

BAD_BEFORE_START: list[tuple[str | bytes, str]] = [
    ("{not json", "invalid_json"),
    ("[1, 2, 3]", "invalid_message"),
    ('{"no_type": 1}', "invalid_message"),
    ('{"type": "dance"}', "unknown_type"),
    ('{"type": "start", "mode": "hologram"}', "invalid_message"),
    ('{"type": "text"}', "invalid_message"),
    ("[" * 100_000 + "]" * 100_000, "invalid_json"),
    ('{"type": "text", "text": "hi"}', "not_started"),
    ('{"type": "interrupt"}', "not_started"),
    ('{"type": "stop"}', "not_started"),
    (b"\x01" + b"\x00" * 640, "not_started"),
    (b"\x02" + JPEG, "not_started"),
    (b"", "empty_message"),
    (b"\x07abc", "unknown_tag"),
]

BAD_WHILE_LIVE: list[tuple[str | bytes, str]] = [
    (b"\x01" + b"\x00" * 641, "bad_audio"),
    (b"\x01", "bad_audio"),
    (b"\x02" + JPEG, "frames_not_enabled"),
    ('{"type": "start", "mode": "audio"}', "already_started"),
    ("{oops", "invalid_json"),
]


async def test_bad_input_gets_named_errors_and_the_connection_survives(
    echo_backend: EchoBackend,
) -> None:
    async with run_server(backend=echo_backend) as srv:
        async with client(srv.url) as bystander, client(srv.url) as c:
            await bystander.send(type="start", mode="audio", user="bystander")
            await bystander.expect("ready")
            for payload, code in BAD_BEFORE_START:
                await c.send_raw(payload)
                error = await c.expect("error")
                assert error["code"] == code, payload[:40]
                assert error["message"]
                assert error["retryable"] is False
            await c.send(type="start", mode="audio", user="tester")
            await c.expect("ready")
            for payload, code in BAD_WHILE_LIVE:
                await c.send_raw(payload)
                assert (await c.expect("error"))["code"] == code
            # still usable: a full text turn works
            await c.send(type="text", text="still fine")
            assert (await c.expect("assistant_transcript"))["text"] == "echo: still fine"
            # and the other session never noticed
            assert "error" not in bystander.types()
            await bystander.send(type="text", text="me too")
            assert (await bystander.expect("assistant_transcript"))["text"] == "echo: me too"
            assert "error" not in bystander.types()
        body, _ = srv.hub.metrics.render()
        assert b'voicelive_protocol_errors_total{code="invalid_json"} 3.0' in body


async def test_frames_reach_the_backend_in_camera_mode(echo_backend: EchoBackend) -> None:
    async with run_server(backend=echo_backend) as srv, client(srv.url) as c:
        await c.send(type="start", mode="camera")
        await c.expect("ready")
        await c.send_raw(b"\x02" + b"not a jpeg")
        assert (await c.expect("error"))["code"] == "bad_frame"
        await c.send_raw(b"\x02" + JPEG)
        await c.send(type="text", text="sync")  # a turn after the frame proves it was pumped
        await c.expect("turn_complete")
        await c.send(type="stop")
        await c.expect("stopped")
    assert echo_backend.frames == [JPEG]


async def test_oversized_message_closes_with_1009_at_the_protocol_layer(
    echo_backend: EchoBackend,
) -> None:
    settings = ServerSettings(port=0, max_message_bytes=4096)
    async with (
        run_server(settings, backend=echo_backend) as srv,
        client(srv.url) as other,
        client(srv.url) as c,
    ):
        await other.send(type="start", mode="audio")
        await other.expect("ready")
        await c.send_raw(b"\x01" + b"\x00" * 8000)
        with pytest.raises(ConnectionClosed) as info:
            await c.expect("never")
        assert info.value.rcvd is not None
        assert info.value.rcvd.code == 1009
        await other.send(type="ping", id=1)
        assert (await other.expect("pong"))["id"] == 1


async def test_oversized_message_closes_with_1009_in_the_app(echo_backend: EchoBackend) -> None:
    # uvicorn configured with a larger limit: the app's own check names the problem first.
    settings = ServerSettings(port=0, max_message_bytes=4096)
    async with run_server(settings, backend=echo_backend, ws_max_size=1 << 20) as srv:
        async with client(srv.url) as c:
            await c.send(type="start", mode="audio")
            await c.expect("ready")
            await c.send_raw(json.dumps({"type": "text", "text": "x" * 6000}))
            error = await c.expect("error")
            assert error["code"] == "message_too_large"
            with pytest.raises(ConnectionClosed) as info:
                await c.expect("never")
            assert info.value.rcvd is not None and info.value.rcvd.code == 1009
        assert srv.hub.slots.in_use == 0


async def test_rate_limit_drops_excess_messages_with_one_error(echo_backend: EchoBackend) -> None:
    settings = ServerSettings(port=0, rate_limit=2.0, rate_burst=5)
    async with run_server(settings, backend=echo_backend) as srv, client(srv.url) as c:
        for i in range(30):
            await c.send(type="ping", id=i)
        error = await c.expect("error")
        assert error["code"] == "rate_limited"
        pongs = [m for m in c.messages if m["type"] == "pong"]
        assert 5 <= len(pongs) < 30
        assert [p["id"] for p in pongs] == list(range(len(pongs)))
        assert not c.ws.close_code  # the connection stays open
        body, _ = srv.hub.metrics.render()
        assert b'voicelive_protocol_errors_total{code="rate_limited"}' in body


CRASHERS: list[tuple[str, str]] = [
    ('{"type": "ping", "id": ' + "7" * 5000 + "}", "invalid_json"),
    ('{"type": "ping", "id": ' + "[" * 300 + "]" * 300 + "}", "invalid_message"),
    ('{"type": "ping", "id": "\\ud800"}', "invalid_message"),
    ('{"type": "ping", "id": 1e999}', "invalid_json"),
    ('{"type": "ping", "id": NaN}', "invalid_json"),
    ('{"type": "text", "text": "half a pair \\udfff here"}', "invalid_message"),
]


async def test_inputs_that_crashed_the_handler_get_errors(
    echo_backend: EchoBackend, caplog: pytest.LogCaptureFixture
) -> None:
    async with run_server(backend=echo_backend) as srv, client(srv.url) as c:
        await c.send(type="start", mode="audio")
        await c.expect("ready")
        for payload, code in CRASHERS:
            await c.send_raw(payload)
            error = await c.expect("error")
            assert error["code"] == code, payload[:40]
        await c.send(type="ping", id="still here")
        assert (await c.expect("pong"))["id"] == "still here"
        await c.send(type="text", text="and a real turn")
        assert (await c.expect("assistant_transcript"))["text"] == "echo: and a real turn"
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
