"""A client that stops reading: bounded outgoing audio (oldest dropped and counted), then closed."""

from __future__ import annotations

import socket
from typing import Any

import anyio
import pytest
from test_server_harness import (
    TIMEOUT,
    EchoBackend,
    anyio_backend,
    client,
    eventually,
    run_server,
)
from websockets.exceptions import ConnectionClosed

from voicelive.server.settings import ServerSettings

__all__ = ["anyio_backend"]

pytestmark = pytest.mark.anyio


def small_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    return sock


async def test_stalled_client_is_bounded_then_closed() -> None:
    backend = EchoBackend()
    backend.stream_chunk = 9600  # 200 ms of audio every 20 ms: fills any buffer quickly
    settings = ServerSettings(port=0, max_outgoing_audio_ms=500, send_timeout_s=0.5)
    async with (
        run_server(settings, backend=backend, sndbuf=4096) as srv,
        client(srv.url, sock=small_socket(srv.port), max_queue=1) as c,
    ):
        await c.send(type="start", mode="audio")
        await c.expect("ready")
        await c.send(type="text", text="stream")
        conn: Any = next(iter(srv.hub.connections))
        stats = conn.outbox.queue.stats
        # Stop reading. The server drops old audio, then gives up on us.
        with anyio.fail_after(TIMEOUT):
            await backend.connections[0].wait_closed()
        await eventually(lambda: not srv.hub.connections)
        assert stats.dropped_chunks > 0
        assert stats.max_audio_bytes <= 24000 * 2 // 2  # never above 500 ms of audio
        assert srv.hub.slots.in_use == 0
        body, _ = srv.hub.metrics.render()
        assert b'voicelive_audio_dropped_chunks_total{direction="out"}' in body
        assert b'voicelive_sessions_rejected_total{reason="stalled"} 1.0' in body
        # Reading again, the client finds the connection closed after the backlog.
        with pytest.raises(ConnectionClosed):
            while True:
                await c.read_one()
