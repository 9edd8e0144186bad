"""The listening sockets of ``voicelive serve --workers N``: one per worker on one port, with
new connections spread between them by the kernel (real sockets on 127.0.0.1, no workers)."""

from __future__ import annotations

import contextlib
import select
import socket

import pytest

from voicelive.server.workers import bind_sockets

pytestmark = pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="no SO_REUSEPORT")


def _accept_all(listeners: list[socket.socket], expected: int) -> list[int]:
    """Accept ``expected`` connections; how many each listener took."""
    taken = [0] * len(listeners)
    while sum(taken) < expected:
        ready, _, _ = select.select(listeners, [], [], 10)
        assert ready, f"only {sum(taken)} of {expected} connections arrived"
        for sock in ready:
            conn, _ = sock.accept()
            conn.close()
            taken[listeners.index(sock)] += 1
    return taken


def test_each_worker_gets_its_own_socket_on_one_port_and_a_share_of_connections() -> None:
    listeners = bind_sockets("127.0.0.1", 0, 2)
    clients: list[socket.socket] = []
    try:
        assert len({id(s) for s in listeners}) == 2
        port = listeners[0].getsockname()[1]
        assert port != 0 and listeners[1].getsockname()[1] == port
        for _ in range(40):
            clients.append(socket.create_connection(("127.0.0.1", port), timeout=10))
        taken = _accept_all(listeners, 40)
        # hashed by the client's port: both take some (all 40 on one: odds 2 ** -39)
        assert sum(taken) == 40 and min(taken) > 0
    finally:
        for sock in clients + listeners:
            with contextlib.suppress(OSError):
                sock.close()


def test_one_worker_has_one_socket_and_a_taken_port_is_refused() -> None:
    (single,) = bind_sockets("127.0.0.1", 0, 1)
    try:
        port = single.getsockname()[1]
        with pytest.raises(OSError):  # held without SO_REUSEPORT: nobody joins it
            bind_sockets("127.0.0.1", port, 2)
    finally:
        single.close()
