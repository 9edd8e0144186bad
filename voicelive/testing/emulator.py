"""LiveEmulator: a local Gemini Live (BidiGenerateContent) server that plays scripts.

The emulator listens on ``127.0.0.1`` over TLS with a self-signed ``localhost`` certificate it
creates, so the unpatched google-genai client connects to it once ``GOOGLE_GEMINI_BASE_URL`` and
``SSL_CERT_FILE`` point at it (see :meth:`LiveEmulator.env`). It answers ``setup`` with
``setupComplete``, records every client message and plays a script of
:class:`~voicelive.testing.script.Step` objects.

Use it from async code::

    async with LiveEmulator(script) as emu:
        backend = emu.backend()
        ...

or from sync code (a background thread runs the server), e.g. around a subprocess::

    with LiveEmulator(script) as emu:
        subprocess.run([...], env={**os.environ, **emu.env()}, check=True)

For load tests, ``LiveEmulator(echo_audio=True, record=False)`` answers every chunk of user
audio on every connection at once with reply audio of the same duration (see :func:`echo_reply`)
and keeps no per-message state, so memory stays flat however long it runs.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import ssl
import tempfile
import threading
from collections.abc import Callable, Sequence
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from voicelive.testing import messages
from voicelive.testing.script import Received, ScriptRunner, Step
from voicelive.testing.tls import CertificatePair, client_ssl_context, make_localhost_certificate

if TYPE_CHECKING:
    from voicelive.backends.gemini import GeminiBackend

__all__ = ["LIVE_PATH_PREFIX", "AudioResponder", "LiveEmulator", "echo_reply"]

LIVE_PATH_PREFIX = "/ws/google.ai.generativelanguage."
"""Start of the path google-genai opens; the rest names the API version and method."""

ECHO_RATE = 24000
"""Sample rate of the reply audio :func:`echo_reply` builds (the Live API's output rate)."""

AudioResponder = Callable[[int, bytes, int], Sequence[messages.ServerMessage]]
"""Answers one chunk of user audio: ``(connection, pcm, rate) -> server messages`` to send now."""


def echo_reply(connection: int, pcm: bytes, rate: int) -> list[messages.ServerMessage]:
    """Answer a chunk of user audio with reply audio of the same duration at 24 kHz.

    The reply starts with the received bytes unchanged (so a client can match a reply to its
    chunk by a marker it put there) and is padded with silence to the duration of the chunk at
    24 kHz; it is not a resampling of the voice.

    Args:
        connection: 1-based index of the connection the chunk arrived on (unused).
        pcm: The PCM16 mono bytes received.
        rate: Their sample rate, from the blob's MIME type.
    """
    size = len(pcm) * ECHO_RATE // max(1, rate)
    size -= size % 2
    reply = pcm[:size] + bytes(max(0, size - len(pcm)))
    return [messages.audio(reply, rate=ECHO_RATE)] if reply else []


def _rate_of(mime_type: object) -> int:
    """The ``rate=`` parameter of an ``audio/pcm`` MIME type; 16 kHz when absent."""
    if isinstance(mime_type, str):
        for param in mime_type.split(";")[1:]:
            name, _, value = param.strip().partition("=")
            if name == "rate" and value.isdigit():
                return int(value)
    return 16000


class LiveEmulator:
    """A scripted Gemini Live server on 127.0.0.1 over TLS.

    Args:
        script: Steps played in order across connections.
        api_key: The key clients must present (header ``x-goog-api-key`` or ``?key=``); ``None``
            accepts any key, but one must be present.
        answer_setup: Answer ``setup`` with ``setupComplete``. ``False`` never answers (to test
            setup timeouts); :meth:`hold_setup` pauses answering temporarily.
        echo_audio: Answer every ``realtime_input`` audio chunk, on every connection, as soon as
            it arrives: ``True`` with :func:`echo_reply`, or a callable
            ``(connection, pcm, rate) -> messages`` of your own. Script steps still play.
        record: Keep every client message in :attr:`received` (and every path in
            :attr:`paths`). ``False`` keeps nothing, for long or heavy load runs; the counters
            and the script still work.

    Attributes:
        received: Every client message in arrival order.
        connections: Number of accepted WebSocket connections.
        active: Connections open right now.
        paths: The request path of every accepted connection.
    """

    def __init__(
        self,
        script: Sequence[Step] = (),
        *,
        api_key: str | None = "test-key",
        answer_setup: bool = True,
        echo_audio: bool | AudioResponder = False,
        record: bool = True,
    ) -> None:
        self.api_key = api_key
        self.answer_setup = answer_setup
        self.record = record
        self._responder: AudioResponder | None = (
            echo_reply if echo_audio is True else echo_audio or None
        )
        self.received: list[Received] = []
        self.connections = 0
        self.active = 0
        self.paths: list[str] = []
        self._runner = ScriptRunner(list(script))
        self._tmpdir: Path | None = None
        self._cert: CertificatePair | None = None
        self._server: Server | None = None
        self._port = 0
        self._changed = asyncio.Event()
        self._setup_gate: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread_error: BaseException | None = None

    # --- addresses and client configuration -------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        self._require_running()
        return self._port

    @property
    def base_url(self) -> str:
        """``https://localhost:PORT``, the value for ``GOOGLE_GEMINI_BASE_URL``."""
        return f"https://localhost:{self.port}"

    @property
    def cert_path(self) -> Path:
        """The self-signed certificate, the value for ``SSL_CERT_FILE``."""
        self._require_running()
        assert self._cert is not None
        return self._cert.cert_path

    def env(self) -> dict[str, str]:
        """Environment variables that point google-genai (and ``voicelive``) at the emulator."""
        env = {"GOOGLE_GEMINI_BASE_URL": self.base_url, "SSL_CERT_FILE": str(self.cert_path)}
        if self.api_key is not None:
            env["GEMINI_API_KEY"] = self.api_key
        return env

    def client_ssl_context(self) -> ssl.SSLContext:
        """Return an SSL context that trusts the emulator's certificate."""
        return client_ssl_context(self.cert_path)

    def backend(self, **kwargs: Any) -> GeminiBackend:
        """Return a :class:`~voicelive.GeminiBackend` connected to this emulator.

        It uses an explicit base URL and SSL context, so no environment variable is needed.

        Args:
            **kwargs: More keyword arguments for ``GeminiBackend`` (e.g. ``backoff``).
        """
        from google.genai import types

        from voicelive.backends.gemini import GeminiBackend

        return GeminiBackend(
            self.api_key or "test-key",
            http_options=types.HttpOptions(base_url=self.base_url),
            ssl_context=self.client_ssl_context(),
            **kwargs,
        )

    # --- what was received -----------------------------------------------------------------

    @property
    def setups(self) -> list[dict[str, Any]]:
        """The ``setup`` bodies received, one per connection."""
        return [r.body for r in list(self.received) if r.kind == "setup"]

    def audio(self, connection: int | None = None) -> bytes:
        """Return the user audio received, concatenated, optionally from one connection."""
        out = bytearray()
        for r in self._of(connection, "realtime_input"):
            blob = r.body.get("audio")
            if isinstance(blob, dict) and isinstance(blob.get("data"), bytes):
                out += blob["data"]
        return bytes(out)

    def realtime_inputs(self, connection: int | None = None) -> list[dict[str, Any]]:
        """Return the ``realtime_input`` bodies received."""
        return [r.body for r in self._of(connection, "realtime_input")]

    def tool_responses(self, connection: int | None = None) -> list[dict[str, Any]]:
        """Return every function response received (``id``, ``name``, ``response``)."""
        out: list[dict[str, Any]] = []
        for r in self._of(connection, "tool_response"):
            out.extend(r.body.get("function_responses") or [])
        return out

    def _of(self, connection: int | None, kind: str) -> list[Received]:
        return [
            r
            for r in list(self.received)
            if r.kind == kind and (connection is None or r.connection == connection)
        ]

    @property
    def script_done(self) -> bool:
        """Whether every script step has run."""
        return self._runner.done

    async def wait_for(self, predicate: Callable[[LiveEmulator], bool]) -> None:
        """Wait until ``predicate(self)`` holds; it is re-checked after every change.

        Changes are: a message received, a step played, a connection opened or closed. Only for
        ``async with`` use (in the sync mode the server runs on another event loop).
        """
        while not predicate(self):
            self._changed.clear()
            await self._changed.wait()

    def hold_setup(self) -> None:
        """Stop answering ``setup`` until :meth:`release_setup` (setups are still recorded).

        This makes "the client is inside a hand-over" a state a test can wait for and act in.
        Only for ``async with`` use, like :meth:`wait_for`.
        """
        if self._setup_gate is None:
            self._setup_gate = asyncio.Event()

    def release_setup(self) -> None:
        """Answer held setups and every later one."""
        gate, self._setup_gate = self._setup_gate, None
        if gate is not None:
            gate.set()

    # --- async lifecycle --------------------------------------------------------------------

    async def __aenter__(self) -> LiveEmulator:
        self._tmpdir = Path(tempfile.mkdtemp(prefix="voicelive-emu-"))
        try:
            self._cert = make_localhost_certificate(self._tmpdir)
            self._changed = asyncio.Event()
            self._server = await serve(
                self._handle,
                "127.0.0.1",
                0,
                ssl=self._cert.server_context(),
                process_request=self._check_request,
                max_size=None,
                compression=None,
            )
        except BaseException:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            raise
        self._port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release_setup()
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    # --- sync lifecycle (background thread) -------------------------------------------------

    def __enter__(self) -> LiveEmulator:
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._thread_main, args=(ready,), name="LiveEmulator", daemon=True
        )
        self._thread.start()
        ready.wait()
        if self._thread_error is not None:
            self._thread.join()
            raise self._thread_error
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _thread_main(self, ready: threading.Event) -> None:
        async def serve_until_stopped() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            try:
                async with self:
                    ready.set()
                    await self._stop.wait()
            finally:
                ready.set()

        try:
            asyncio.run(serve_until_stopped())
        except BaseException as exc:  # handed to the thread that called __enter__
            self._thread_error = exc
            ready.set()

    def _require_running(self) -> None:
        if self._server is None:
            raise RuntimeError("the LiveEmulator is not running; use it with 'async with'/'with'")

    # --- the server -------------------------------------------------------------------------

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        url = urlsplit(request.path)
        if not url.path.startswith(LIVE_PATH_PREFIX) or "BidiGenerateContent" not in url.path:
            return connection.respond(HTTPStatus.NOT_FOUND, "not a Live API path\n")
        keys = [request.headers.get("x-goog-api-key"), *parse_qs(url.query).get("key", [])]
        presented = [k for k in keys if k]
        if not presented:
            return connection.respond(HTTPStatus.UNAUTHORIZED, "missing API key\n")
        if self.api_key is not None and self.api_key not in presented:
            return connection.respond(HTTPStatus.FORBIDDEN, "API key not valid\n")
        return None

    def _notify(self) -> None:
        self._changed.set()

    async def _handle(self, ws: ServerConnection) -> None:
        self.connections += 1
        self.active += 1
        index = self.connections
        if self.record:
            self.paths.append(ws.request.path if ws.request is not None else "")
        self._notify()
        try:
            async for raw in ws:
                if not await self._on_message(ws, index, raw):
                    break
        except ConnectionClosed:
            pass
        finally:
            self.active -= 1
            self._notify()

    async def _on_message(self, ws: ServerConnection, index: int, raw: str | bytes) -> bool:
        try:
            decoded = json.loads(raw)
            if not isinstance(decoded, dict) or len(decoded) != 1:
                raise ValueError("a client message has exactly one top-level field")
            body = messages.normalize(decoded)
        except ValueError as exc:
            await ws.close(1007, f"Invalid JSON payload received: {exc}"[:120])
            return False
        ((kind, content),) = body.items()
        record = Received(index, kind, content if isinstance(content, dict) else {})
        if self.record:
            self.received.append(record)
        self._notify()
        if kind == "realtime_input" and self._responder is not None:
            await self._echo(ws, index, record.body)
        if kind == "setup":
            if not self.answer_setup:
                return True
            while self._setup_gate is not None:
                await self._setup_gate.wait()
            await ws.send(json.dumps(messages.setup_complete()))
            record = Received(index, "setup_complete", {})
        return await self._play(ws, self._runner.observe(record))

    async def _echo(self, ws: ServerConnection, index: int, body: dict[str, Any]) -> None:
        blob = body.get("audio")
        if self._responder is None or not isinstance(blob, dict):
            return
        data = blob.get("data")
        if not isinstance(data, bytes) or not data:
            return
        for message in self._responder(index, data, _rate_of(blob.get("mime_type"))):
            await ws.send(json.dumps(message))

    async def _play(self, ws: ServerConnection, steps: list[Step]) -> bool:
        """Play steps; return ``False`` when one closed the connection."""
        for step in steps:
            for message in step.send:
                await ws.send(json.dumps(message))
            self._notify()
            if step.close is not None:
                if step.close.code == 1006:
                    ws.transport.abort()
                else:
                    await ws.close(step.close.code, step.close.reason)
                return False
        return True
