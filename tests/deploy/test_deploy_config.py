"""The shipped deploy/nginx.conf itself, run by a real nginx: TLS terminated at nginx, the
page, /health and a wss:// session reach a `voicelive serve` behind it, /metrics stays
private. Only addresses and certificate paths are rewritten for the test."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from deploy_helpers import ROOT, Serve
from websockets.sync.client import connect

from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.services import free_port
from voicelive.testing.tls import client_ssl_context, make_localhost_certificate

_WRAPPER = """pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
    uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
    include {d}/voicelive.conf;
}}
"""


def _local_copy(conf: str, *, https: int, http: int, upstream: int, cert: Path, key: Path) -> str:
    conf = re.sub(r"\n    server 10\.0\.0\.11:8000[^\n]*", f"\n    server 127.0.0.1:{upstream};",
                  conf)
    conf = re.sub(r"\n    server 10\.0\.0\.12:8000[^\n]*", "", conf)
    conf = conf.replace("listen 443 ssl", f"listen 127.0.0.1:{https} ssl")
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{http};")
    conf = conf.replace("/etc/ssl/voice.example.com/fullchain.pem", str(cert))
    conf = conf.replace("/etc/ssl/voice.example.com/privkey.pem", str(key))
    body = "\n".join(line for line in conf.splitlines() if not line.lstrip().startswith("#"))
    assert "10.0.0." not in body and "/etc/ssl" not in body
    return conf


def test_the_shipped_nginx_config_terminates_tls_and_proxies_websockets(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    with LiveEmulator([], api_key="emulated-key") as emu:
        server = Serve("--backend", "gemini", "--db", str(tmp_path / "s.sqlite3"),
                       env=emu.env(), log=tmp_path / "serve.log")
        workdir = Path(tempfile.mkdtemp(prefix="voicelive-nginx-conf-"))
        proc: subprocess.Popen[bytes] | None = None
        try:
            server.wait_ready()
            pair = make_localhost_certificate(workdir)
            https, http = free_port(), free_port()
            (workdir / "voicelive.conf").write_text(_local_copy(
                (ROOT / "deploy" / "nginx.conf").read_text(), https=https, http=http,
                upstream=server.port, cert=pair.cert_path, key=pair.key_path))
            (workdir / "nginx.conf").write_text(_WRAPPER.format(d=workdir))
            argv = [nginx, "-p", str(workdir), "-c", str(workdir / "nginx.conf"),
                    "-e", str(workdir / "error.log"), "-g", "daemon off;"]
            checked = subprocess.run([*argv, "-t"], capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr
            proc = subprocess.Popen(argv)
            ssl = client_ssl_context(pair.cert_path)
            base = f"https://localhost:{https}"
            health = None
            for _ in range(500):  # nginx needs a moment to listen
                try:
                    health = httpx.get(f"{base}/health", verify=ssl, timeout=5)
                    break
                except httpx.ConnectError:
                    assert proc.poll() is None, (workdir / "error.log").read_text()
                    time.sleep(0.02)
            assert health is not None and health.status_code == 200
            assert health.json()["worker"]["pid"] == server.proc.pid
            assert httpx.get(f"{base}/metrics", verify=ssl).status_code == 404
            plain = httpx.get(f"http://127.0.0.1:{http}/health", follow_redirects=False)
            assert plain.status_code == 301 and plain.headers["location"].startswith("https://")

            with connect(f"wss://localhost:{https}/ws", ssl=ssl, open_timeout=30) as ws:
                ws.send(json.dumps({"type": "start", "user": "ana"}))
                kinds = []
                while "ready" not in kinds:
                    message = ws.recv(timeout=90)
                    if isinstance(message, str):
                        kinds.append(json.loads(message)["type"])
                        assert kinds[-1] != "error", message
                ws.send(json.dumps({"type": "stop"}))
                while "stopped" not in kinds:
                    message = ws.recv(timeout=90)
                    if isinstance(message, str):
                        kinds.append(json.loads(message)["type"])
            assert kinds.index("ready") < kinds.index("stopped")
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=10)
            shutil.rmtree(workdir, ignore_errors=True)
            server.stop()
