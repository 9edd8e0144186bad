"""Connection-level limits over raw sockets, measured as counts: open file descriptors, bytes
buffered for a client, connections refused; never by sleeping.

- a client that pings and never reads is held back by TCP (bounded write buffer);
- unfinished requests are closed after the handshake timeout (fds return to where they were);
- connections above the cap are refused at once with 503 and a reason;
- a stalled client's socket is released as soon as it is detected.
"""

from __future__ import annotations

import os
import socket
from typing import Any

import anyio
import anyio.lowlevel
import pytest
from test_server_harness import (
    TIMEOUT,
    EchoBackend,
    anyio_backend,
    client,
    eventually,
    run_server,
    status_of,
    upgrade_request,
)
from websockets.exceptions import ConnectionClosed

from voicelive.server.settings import ServerSettings
from voicelive.server.transport import ConnectionGuard

__all__ = ["anyio_backend"]

pytestmark = pytest.mark.anyio

PING = bytes([0x89, 0x80 | 125]) + b"\x00\x00\x00\x00" + b"p" * 125  # masked (zero mask)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def raw_socket(port: int, *, rcvbuf: int | None = None) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    return sock


async def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    with anyio.fail_after(TIMEOUT):
        while True:
            await anyio.wait_readable(sock)
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                return data
            if not chunk:
                return data
            data += chunk


async def read_head(sock: socket.socket) -> bytes:
    data = b""
    with anyio.fail_after(TIMEOUT):
        while b"\r\n\r\n" not in data:
            await anyio.wait_readable(sock)
            data += sock.recv(65536)
    return data


def ws_protocols(srv: Any) -> list[Any]:
    return [p for p in srv.server.server_state.connections if hasattr(p, "conn")]


def test_connection_guard_counts() -> None:
    seen: list[str] = []
    guard = ConnectionGuard(2, 1.5, on_refused=seen.append)
    assert guard.admit(1) and guard.admit(2) and not guard.admit(3)
    guard.handshake_expired()
    assert (guard.refused, guard.timed_out, seen) == (1, 1, ["connections", "handshake_timeout"])
    assert guard.refusal().startswith(b"HTTP/1.1 503 ") and b"limit of 2 open" in guard.refusal()
    assert b"within 1.5 s" in guard.timeout_response()


def test_the_guard_and_protocols_pickle_for_worker_processes() -> None:
    import pickle

    from voicelive.server.app import create_app
    from voicelive.server.run import build_server
    from voicelive.server.transport import (
        GUARD_ATTRIBUTE,
        BoundedWebSocketProtocol,
        GuardedHttpProtocol,
    )

    settings = ServerSettings(port=0, max_connections=7, handshake_timeout_s=3)
    server = build_server(create_app(settings, backend=EchoBackend()), settings)
    guard = getattr(server.config, GUARD_ATTRIBUTE)
    assert server.guard is not None and guard is server.guard
    assert server.guard.on_refused is not None  # wired to the metrics
    copy = pickle.loads(pickle.dumps(guard))
    assert (copy.max_connections, copy.handshake_timeout_s, copy.on_refused) == (7, 3, None)
    assert server.config.http is GuardedHttpProtocol
    assert server.config.ws is BoundedWebSocketProtocol
    assert pickle.loads(pickle.dumps(GuardedHttpProtocol)) is GuardedHttpProtocol


@pytest.mark.parametrize("ws", [None, pytest.param("websockets-sansio", marks=pytest.mark.xfail(
    strict=True, reason="uvicorn's own protocol answers every ping, read or not"))])
async def test_pings_that_are_never_read_stay_bounded(ws: str | None) -> None:
    options: dict[str, Any] = {"ws": ws} if ws else {}
    async with run_server(backend=EchoBackend(), **options) as srv:
        sock = raw_socket(srv.port, rcvbuf=4096)
        try:
            sock.sendall(upgrade_request(srv.port))
            assert status_of(await read_head(sock)) == 101
            await eventually(lambda: ws_protocols(srv))
            proto = ws_protocols(srv)[0]
            flood = memoryview(PING * 50_000)  # 6.5 MB of pings: 6.4 MB of pongs if all answered
            offset = 0
            with anyio.fail_after(TIMEOUT):
                while offset < len(flood):
                    try:
                        offset += sock.send(flood[offset : offset + 65536])
                    except BlockingIOError:
                        if not proto.transport.is_reading():
                            break  # the server stopped reading us: TCP holds the rest back
                        await anyio.lowlevel.checkpoint()
            await eventually(
                lambda: proto.transport.get_write_buffer_size() > 512 * 1024
                or not proto.transport.is_reading()
            )
            buffered = proto.transport.get_write_buffer_size()
            assert buffered <= 512 * 1024, f"{buffered} bytes of pongs held for a silent client"
            assert not proto.transport.is_reading()  # held back, not dropped
        finally:
            sock.close()


async def test_unfinished_requests_are_closed_after_the_handshake_timeout() -> None:
    settings = ServerSettings(port=0, handshake_timeout_s=0.5)
    async with run_server(settings, backend=EchoBackend()) as srv:
        before = open_fds()
        partial = upgrade_request(srv.port)[:-20]  # the headers never end
        socks = [raw_socket(srv.port) for _ in range(40)]
        for sock in socks[:30]:
            sock.sendall(partial)
        # a keep-alive connection that answers one request, then starts another and stalls
        again = raw_socket(srv.port)
        again.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\n\r\n".encode())
        assert status_of(await read_head(again)) == 200
        again.sendall(b"GET /health HTTP/1.1\r\n")
        socks.append(again)
        assert open_fds() >= before + 2 * len(socks) - 2  # both ends of (almost) every socket
        replies = [await read_until_closed(sock) for sock in socks]
        assert all(r.startswith(b"HTTP/1.1 408 ") for r in replies), {r[:20] for r in replies}
        await eventually(lambda: not srv.server.server_state.connections)
        for sock in socks:
            sock.close()
        assert open_fds() <= before
        assert srv.server.guard is not None and srv.server.guard.timed_out == len(socks)
        body, _ = srv.hub.metrics.render()
        assert b'reason="handshake_timeout"} 41.0' in body
        async with client(srv.url) as c:  # a prompt client is still served
            await c.send(type="ping", id=1)
            assert (await c.expect("pong"))["id"] == 1


async def test_connections_above_the_cap_are_refused_with_a_reason() -> None:
    settings = ServerSettings(port=0, max_connections=5, handshake_timeout_s=120)
    async with run_server(settings, backend=EchoBackend()) as srv:
        before = open_fds()
        idle = [raw_socket(srv.port) for _ in range(5)]
        await eventually(lambda: len(srv.server.server_state.connections) == 5)
        extra = [raw_socket(srv.port) for _ in range(3)]
        replies = [await read_until_closed(sock) for sock in extra]
        for reply in replies:
            assert reply.startswith(b"HTTP/1.1 503 "), reply[:40]
            assert b"limit of 5 open connections" in reply
        assert srv.server.guard is not None and srv.server.guard.refused == 3
        for sock in extra:
            sock.close()
        idle.pop().close()
        await eventually(lambda: len(srv.server.server_state.connections) == 4)
        async with client(srv.url) as c:  # room again: served normally
            await c.send(type="ping", id="in")
            assert (await c.expect("pong"))["id"] == "in"
        for sock in idle:
            sock.close()
        await eventually(lambda: not srv.server.server_state.connections)
        assert open_fds() <= before
        body, _ = srv.hub.metrics.render()
        assert b'voicelive_sessions_rejected_total{reason="connections"} 3.0' in body


async def test_a_stalled_client_is_released_when_detected() -> None:
    backend = EchoBackend()
    backend.stream_chunk = 9600
    settings = ServerSettings(port=0, max_outgoing_audio_ms=500, send_timeout_s=0.5)
    async with run_server(settings, backend=backend, sndbuf=4096) as srv:
        before = open_fds()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", srv.port))
        sock.setblocking(False)
        async with client(srv.url, sock=sock, max_queue=1) as c:
            await c.send(type="start", mode="audio")
            await c.expect("ready")
            await c.send(type="text", text="stream")
            # Stop reading. Once the stall is detected the server lets go of the socket at
            # once, even though the client is still connected and megabytes are unsent.
            await eventually(lambda: not srv.hub.connections)
            await eventually(lambda: not srv.server.server_state.connections)
            assert open_fds() <= before + 1  # only the client's own end is left
            with pytest.raises(ConnectionClosed):
                while True:
                    await c.read_one()


async def test_oversized_frame_gets_the_error_before_1009() -> None:
    settings = ServerSettings(port=0, max_message_bytes=4096)
    async with run_server(settings, backend=EchoBackend()) as srv, client(srv.url) as c:
        await c.send_raw(b"\x01" + b"\x00" * 8000)
        error = await c.expect("error")
        assert error["code"] == "message_too_large" and "4096" in error["message"]
        with pytest.raises(ConnectionClosed) as info:
            await c.expect("never")
        assert info.value.rcvd is not None and info.value.rcvd.code == 1009
