"""``voicelive serve --workers N``: N processes serving one port.

The parent binds the port once and starts N worker processes (``spawn``: nothing of the
parent's state is inherited but a listening socket and the settings). Each worker builds its own
app, so it has its own event loop, its own session slots and, for the offline backend, its own
loaded models. Where the kernel has ``SO_REUSEPORT`` (Linux, the BSDs) every worker gets its own
listening socket on the one port and the kernel spreads new connections evenly between them (by
a hash of the client's address and port); otherwise all workers accept on one shared socket,
where a worker woken first may take a whole burst of connections (measured: 44 of 50 sessions
on one of two workers). The parent keeps the sockets open, so connections that arrive while a
worker restarts wait in its socket's queue for the new one. State that must be shared (day
states, resumable conversations) lives in the store the settings name, and resume tokens are
signed with one secret: when none is given the parent generates one per start and hands it to
every worker.

Shutdown: SIGTERM or SIGINT to the parent is passed to every worker as SIGTERM; each drains
(its live sessions are told ``stopped`` with reason ``shutdown``, as in a single process) and
exits, and the parent waits for all of them (up to the grace time, then kills what is left).
A worker that dies unexpectedly is started again, at most ``max_restarts`` times in total.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.process
import os
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType

from voicelive.server.settings import ServerSettings

__all__ = ["WorkerPool", "bind_socket", "bind_sockets", "run_workers"]

log = logging.getLogger(__name__)

_CTX = multiprocessing.get_context("spawn")


def bind_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A listening TCP socket workers accept on (inheritable, ``SO_REUSEADDR``).

    With ``reuse_port`` it also sets ``SO_REUSEPORT``, so that further such sockets can listen
    on the same port (see :func:`bind_sockets`).

    It is created with ``proto=IPPROTO_TCP``: asyncio sets ``TCP_NODELAY`` only on sockets that
    say they are TCP (accepted sockets inherit it), and without it Nagle's algorithm holds each
    reply chunk for up to 40 ms.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def bind_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets on one port, one per worker, balanced by the kernel.

    With ``SO_REUSEPORT`` these are ``count`` sockets bound to the same address (``port`` 0: the
    first one's free port); without it, one shared socket (:func:`bind_socket`) ``count`` times.
    """
    if count <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        shared = bind_socket(host, port)
        return [shared] * max(1, count)
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = bind_socket(host, port, reuse_port=True)
            port = sock.getsockname()[1]
            sockets.append(sock)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _worker_main(settings: ServerSettings, index: int, sock: socket.socket) -> None:
    """One worker: its own app, models and event loop on its listening socket."""
    from voicelive.server.app import create_app
    from voicelive.server.deployment import set_worker_index
    from voicelive.server.run import build_server, freeze_startup_heap

    logging.basicConfig(level=getattr(logging, settings.log_level.upper(), logging.INFO)
                        if settings.log_level != "trace" else logging.DEBUG,
                        format=f"%(levelname)s [worker {index}] %(name)s: %(message)s")
    set_worker_index(index)
    app = create_app(settings)
    server = build_server(app, settings)
    freeze_startup_heap()
    server.run(sockets=[sock])


@dataclass
class WorkerPool:
    """The parent's view of its workers.

    Args:
        settings: Settings every worker runs with (``resume_secret`` already resolved).
        sockets: The listening sockets on the port, from :func:`bind_sockets`: worker ``i``
            (1-based) accepts on ``sockets[(i - 1) % len(sockets)]``.
        max_restarts: Unexpected worker deaths tolerated before the pool gives up.
        target: What a worker runs (``(settings, index, socket)``; a module-level function, as
            ``spawn`` pickles it by name). The default builds the app from the settings.
    """

    settings: ServerSettings
    sockets: list[socket.socket]
    max_restarts: int = 10
    target: Callable[[ServerSettings, int, socket.socket], None] = _worker_main
    procs: dict[int, multiprocessing.process.BaseProcess] = field(default_factory=dict)
    restarts: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)

    def start(self, index: int) -> None:
        """Start worker ``index`` (1-based)."""
        sock = self.sockets[(index - 1) % len(self.sockets)]
        proc = _CTX.Process(target=self.target, args=(self.settings, index, sock),
                            name=f"voicelive-worker-{index}", daemon=False)
        proc.start()
        self.procs[index] = proc
        log.info("worker %d started (pid %s)", index, proc.pid)

    def stop(self, *_: object) -> None:
        """Ask every worker to drain and exit (SIGTERM); safe to call from a signal handler."""
        self.stopping.set()

    def run(self) -> int:
        """Start the workers, watch them until stopped, then drain them; the exit status."""
        for index in range(1, self.settings.workers + 1):
            self.start(index)
        while not self.stopping.wait(0.5):
            for index, proc in list(self.procs.items()):
                if proc.is_alive() or self.stopping.is_set():
                    continue
                log.warning("worker %d (pid %s) exited with %s", index, proc.pid, proc.exitcode)
                if self.restarts >= self.max_restarts:
                    log.error("workers keep dying (%d restarts); stopping", self.restarts)
                    self.stopping.set()
                    break
                self.restarts += 1
                self.start(index)
        return self.drain()

    def drain(self) -> int:
        """SIGTERM every worker, wait for them to finish, kill stragglers; the exit status."""
        for proc in self.procs.values():
            if proc.is_alive() and proc.pid is not None:
                os.kill(proc.pid, signal.SIGTERM)
        grace = self.settings.stop_grace_s + 10.0
        status = 0
        for index, proc in self.procs.items():
            proc.join(grace)
            if proc.is_alive():
                log.error("worker %d did not stop in %.0f s; killing it", index, grace)
                proc.kill()
                proc.join()
                status = 1
            elif proc.exitcode not in (0, None):
                status = status or 1
        log.info("all %d workers stopped", len(self.procs))
        return status


def run_workers(settings: ServerSettings) -> int:
    """Serve with ``settings.workers`` processes until SIGTERM/SIGINT; returns the exit status."""
    from voicelive.server.resume import new_secret

    if settings.resume and settings.resume_secret is None:
        settings = settings.model_copy(update={"resume_secret": new_secret()})
    sockets = bind_sockets(settings.host, settings.port, settings.workers)
    pool = WorkerPool(settings, sockets)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        pool.stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    log.info("serving on http://%s:%d with %d workers (backend %s)", settings.host,
             sockets[0].getsockname()[1], settings.workers, settings.resolved_backend())
    try:
        return pool.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sock in set(sockets):
            sock.close()
