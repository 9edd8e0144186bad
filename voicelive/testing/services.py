"""Throw-away PostgreSQL clusters and nginx servers for tests of a deployment.

Both run the Debian packages' binaries (``postgresql``, ``nginx``) in a temporary directory of
their own, on 127.0.0.1 and a free port, and are stopped and deleted on exit::

    with PostgresCluster() as pg, Nginx(upstreams=[port_a, port_b]) as proxy:
        store = open_store(pg.url)
        ...  # clients connect to proxy.port

PostgreSQL refuses to run as root, so when the tests run as root (CI does) the cluster runs as
the ``postgres`` user created by the Debian package, in a directory that user owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self

__all__ = ["Nginx", "PostgresCluster", "ServiceUnavailable", "free_port", "nginx_config"]


class ServiceUnavailable(RuntimeError):
    """The Debian package a test needs is not installed (``scripts/test.sh`` installs it)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Service:
    """A process started on entry and stopped on exit, its directory deleted.

    A start that fails half-way is undone before the error propagates, so nothing is left
    running or on disk.
    """

    def __enter__(self) -> Self:
        try:
            self._start()
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def _start(self) -> None:
        raise NotImplementedError

    def _stop(self) -> None:
        raise NotImplementedError


def _pg_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise ServiceUnavailable("PostgreSQL is not installed (Debian package 'postgresql')")
    return Path(found[-1]).parent


class PostgresCluster(_Service):
    """A PostgreSQL cluster created by ``initdb`` in a temporary directory.

    Args:
        user: The database superuser created in the cluster (trust authentication on
            127.0.0.1 only).
        database: A database created for the test.

    Attributes:
        port: The TCP port it listens on (set on entry).
    """

    def __init__(self, *, user: str = "voicelive", database: str = "voicelive") -> None:
        self.user = user
        self.database = database
        self.port = 0
        self._dir: Path | None = None
        self._bindir = _pg_bindir()
        self._run_as: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self._run_as = pwd.getpwnam("postgres")
            except KeyError:
                raise ServiceUnavailable("running as root needs the 'postgres' user") from None

    @property
    def url(self) -> str:
        """The libpq URL of the test database."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def _cmd(self, *argv: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self._run_as.pw_name, "--"] if self._run_as else []
        return subprocess.run([*prefix, *argv], capture_output=True, text=True, check=True,
                              timeout=120)

    def _start(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="voicelive-pg-"))
        if self._run_as is not None:
            os.chown(self._dir, self._run_as.pw_uid, self._run_as.pw_gid)
        data, sockets = self._dir / "data", self._dir / "run"
        self._cmd("mkdir", str(sockets))
        self._cmd(str(self._bindir / "initdb"), "-D", str(data), "-U", self.user,
                  "-A", "trust", "--no-sync", "-E", "UTF8")
        self.port = free_port()
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {sockets} "
                   "-c fsync=off -c max_connections=50 -c shared_buffers=16MB")
        self._cmd(str(self._bindir / "pg_ctl"), "-D", str(data), "-l",
                  str(self._dir / "server.log"), "-o", options, "-w", "-t", "60", "start")
        self._cmd(str(self._bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", self.user, self.database)

    def _stop(self) -> None:
        if self._dir is None:
            return
        data = self._dir / "data"
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self._cmd(str(self._bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                          "stop")
        shutil.rmtree(self._dir, ignore_errors=True)
        self._dir = None


def nginx_config(*, port: int, upstreams: list[int], prefix: Path) -> str:
    """An nginx configuration proxying ``/`` (WebSocket upgrade included) to ``upstreams``.

    The same shape as ``deploy/nginx.conf`` (one worker process so round-robin is predictable
    in a test), with every path inside ``prefix``.

    Args:
        port: Where nginx listens on 127.0.0.1.
        upstreams: Ports of the ``voicelive serve`` processes on 127.0.0.1.
        prefix: nginx's prefix directory (logs, temporary files, pid).
    """
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;"
                        for p in upstreams)
    return f"""worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    upstream voicelive {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://voicelive;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 300s;
            proxy_send_timeout 300s;
            proxy_buffering off;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""


class Nginx(_Service):
    """nginx in the foreground (``daemon off``) with its own configuration and prefix.

    Args:
        upstreams: Ports of the servers behind it on 127.0.0.1.

    Attributes:
        port: Where it listens (set on entry).
    """

    def __init__(self, upstreams: list[int]) -> None:
        self.upstreams = list(upstreams)
        self.port = 0
        self._dir: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                           else None)
        if binary is None:
            raise ServiceUnavailable("nginx is not installed (Debian package 'nginx')")
        self._binary = binary

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        """The error log so far (for a failing test's message)."""
        if self._dir is None:
            return ""
        path = self._dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _start(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="voicelive-nginx-"))
        self.port = free_port()
        conf = self._dir / "nginx.conf"
        conf.write_text(nginx_config(port=self.port, upstreams=self.upstreams, prefix=self._dir))
        argv = [self._binary, "-p", str(self._dir), "-c", str(conf), "-e",
                str(self._dir / "error.log"), "-g", "daemon off;"]
        subprocess.run([*argv, "-t"], capture_output=True, check=True, timeout=30)
        self._proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_port(self.port, self._proc)

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], attempts: int = 300) -> None:
    """Return once something accepts on ``port`` (polling connect, 20 ms apart)."""
    import time

    for _ in range(attempts):
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening")
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.02)
    raise RuntimeError(f"nothing listens on port {port}")
