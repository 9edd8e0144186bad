"""``voicelive serve --workers N``: N processes serving one port.

The parent binds the listening socket once and starts N worker processes (``spawn``: nothing
of the parent's state is inherited but the socket and the settings). Each worker builds its own
app, so it has its own event loop, its own session slots and, for the offline backend, its own
loaded models; the kernel spreads new connections between the workers accepting on the shared
socket. State that must be shared (day states, resumable conversations) lives in the store the
settings name, and resume tokens are signed with one secret: when none is given the parent
generates one per start and hands it to every worker.

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

__all__ = ["WorkerPool", "bind_socket", "run_workers"]

log = logging.getLogger(__name__)

_CTX = multiprocessing.get_context("spawn")


def bind_socket(host: str, port: int) -> socket.socket:
    """The listening TCP socket all workers accept on (inheritable, ``SO_REUSEADDR``).

    It is created with ``proto=IPPROTO_TCP``: asyncio sets ``TCP_NODELAY`` only on sockets that
    say they are TCP (accepted sockets inherit it), and without it Nagle's algorithm holds each
    reply chunk for up to 40 ms.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker_main(settings: ServerSettings, index: int, sock: socket.socket) -> None:
    """One worker: its own app, models and event loop on the shared socket."""
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
        sock: The shared listening socket.
        max_restarts: Unexpected worker deaths tolerated before the pool gives up.
        target: What a worker runs (``(settings, index, socket)``; a module-level function, as
            ``spawn`` pickles it by name). The default builds the app from the settings.
    """

    settings: ServerSettings
    sock: socket.socket
    max_restarts: int = 10
    target: Callable[[ServerSettings, int, socket.socket], None] = _worker_main
    procs: dict[int, multiprocessing.process.BaseProcess] = field(default_factory=dict)
    restarts: int = 0
    stopping: threading.Event = field(default_factory=threading.Event)

    def start(self, index: int) -> None:
        """Start worker ``index`` (1-based)."""
        proc = _CTX.Process(target=self.target, args=(self.settings, index, self.sock),
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
    sock = bind_socket(settings.host, settings.port)
    pool = WorkerPool(settings, sock)

    def on_signal(signum: int, frame: FrameType | None) -> None:
        pool.stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    log.info("serving on http://%s:%d with %d workers (backend %s)", settings.host,
             sock.getsockname()[1], settings.workers, settings.resolved_backend())
    try:
        return pool.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
