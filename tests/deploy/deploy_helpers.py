"""Helpers of the deployment tests: `voicelive serve` subprocesses and a blocking /ws client."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from websockets.sync.client import ClientConnection, connect

from voicelive.testing.services import free_port

ROOT = Path(__file__).resolve().parents[2]


class Serve:
    """One `voicelive serve` process on 127.0.0.1 and a free port."""

    def __init__(self, *args: str, env: Mapping[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        argv = [sys.executable, "-m", "voicelive.cli", "serve", "--host", "127.0.0.1",
                "--port", str(self.port), *args]
        self._out = log.open("wb")
        self.proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env},
                                     stdout=self._out, stderr=subprocess.STDOUT)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def health(self) -> dict[str, Any]:
        body: dict[str, Any] = httpx.get(f"{self.url}/health", timeout=5,
                                         headers={"Connection": "close"}).json()
        return body

    def wait_ready(self, timeout_s: float = 240.0) -> dict[str, Any]:
        """Poll /health (20 ms apart) until ready; fail with the log if the process dies."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited {self.proc.returncode}:\n{self.output()}")
            try:
                body = self.health()
                if body.get("ready"):
                    return body
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"serve not ready in {timeout_s} s:\n{self.output()}")

    def output(self) -> str:
        self._out.flush()
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 60.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        return self.proc.returncode


class Client:
    """A blocking /ws client that keeps every JSON message it received."""

    def __init__(self, url: str) -> None:
        self.ws: ClientConnection = connect(url.replace("http", "ws", 1) + "/ws",
                                            open_timeout=30, max_size=None).__enter__()
        self.messages: list[dict[str, Any]] = []
        self.tokens: list[str] = []  # every resume token, in order (one per saved checkpoint)
        self.audio = 0

    def send(self, **message: Any) -> None:
        self.ws.send(json.dumps(message))

    def expect(self, kind: str, timeout_s: float = 120.0) -> dict[str, Any]:
        """The next message of type ``kind`` (others are kept in :attr:`messages`)."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                raw = self.ws.recv(timeout=max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                raise AssertionError(f"no {kind!r} in {timeout_s} s; got {self.messages}") from None
            if isinstance(raw, bytes):
                self.audio += len(raw)
                continue
            message: dict[str, Any] = json.loads(raw)
            self.messages.append(message)
            if message["type"] == "resume":
                self.tokens.append(str(message["token"]))
            if message["type"] == kind:
                return message
            if message["type"] == "error" and kind != "error":
                raise AssertionError(f"error while waiting for {kind}: {message}")

    def token_after(self, saves: int) -> str:
        """The token of the ``saves``-th checkpoint of this session (1: the one at start)."""
        while len(self.tokens) < saves:
            self.expect("resume")
        return self.tokens[saves - 1]

    def cut(self) -> None:
        """Drop the TCP connection without a closing handshake (a network cut)."""
        self.ws.socket.shutdown(2)
        self.ws.close()

    def close(self) -> None:
        self.ws.close()
