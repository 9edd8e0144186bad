"""LiveEmulator: a local Gemini Live (BidiGenerateContent) server that plays scripts.

The emulator listens on ``127.0.0.1`` over TLS with a self-signed ``localhost`` certificate it
creates, so the unpatched google-genai client connects to it once ``GOOGLE_GEMINI_BASE_URL`` and
``SSL_CERT_FILE`` point at it (see :meth:`LiveEmulator.env`). It answers ``setup`` with
``setupComplete``, records every client message and plays a script of
:class:`~voicelive.testing.script.Step` objects.

Each connection follows the profile of its model's family (see
:mod:`voicelive.testing.profiles`): chosen from the model in ``setup`` unless
``LiveEmulator(profile=...)`` says otherwise, it adds what the real service adds (2.5's
``turnComplete`` after a tool call, usage on ``turnComplete``, ``turnComplete`` after
``interrupted``), refuses what it refuses (3.x ``clientContent`` mid-conversation, the other
family's thinking setting, a resumption handle never issued) and closes with 1011 when a
``goAway``'s ``timeLeft`` runs out. ``profile="scripted"`` sends the script exactly as written.

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
import shutil
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from websockets.asyncio.server import Server, serve

from voicelive.testing.echo import ECHO_RATE, AudioResponder, echo_reply
from voicelive.testing.profiles import Profile
from voicelive.testing.script import Step
from voicelive.testing.serving import ScriptServer
from voicelive.testing.tls import CertificatePair, client_ssl_context, make_localhost_certificate

if TYPE_CHECKING:
    from voicelive.backends.gemini import GeminiBackend

__all__ = ["ECHO_RATE", "LIVE_PATH_PREFIX", "AudioResponder", "LiveEmulator", "echo_reply"]

LIVE_PATH_PREFIX = "/ws/google.ai.generativelanguage."
"""Start of the path google-genai opens; the rest names the API version and method."""

VERTEX_PATH_PREFIX = "/ws/google.cloud.aiplatform."
"""Start of the Vertex AI path (``{version}.LlmBidiService/BidiGenerateContent``)."""



class LiveEmulator(ScriptServer):
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
        profile: The family behaviour: ``None``/``"auto"`` chooses it from each setup's model,
            ``"gemini-2.5"``, ``"gemini-3"`` or ``"scripted"`` (none), or a
            :class:`~voicelive.testing.profiles.Profile`.
        strict: Refuse a setup with unknown fields or a model outside the Live families, with
            the service's close code and reason.
        vertex_token: The bearer token Vertex AI connections must present; ``None`` accepts any.
        known_handles: Resumption handles to accept as if issued earlier (e.g. "yesterday's").

    Attributes:
        received: Every client message in arrival order.
        connections: Number of accepted WebSocket connections.
        active: Connections open right now.
        paths: The request path of every accepted connection.
        closes: Every close the emulator decided (``EmulatorClose`` items).
    """

    def __init__(
        self,
        script: Sequence[Step] = (),
        *,
        api_key: str | None = "test-key",
        answer_setup: bool = True,
        echo_audio: bool | AudioResponder = False,
        record: bool = True,
        profile: Profile | str | None = None,
        strict: bool = False,
        vertex_token: str | None = None,
        known_handles: Sequence[str] = (),
    ) -> None:
        super().__init__(
            script,
            api_key=api_key,
            answer_setup=answer_setup,
            responder=echo_reply if echo_audio is True else echo_audio or None,
            record=record,
            profile=profile,
            strict=strict,
            vertex_token=vertex_token,
            known_handles=known_handles,
        )
        self._tmpdir: Path | None = None
        self._cert: CertificatePair | None = None
        self._server: Server | None = None
        self._port = 0
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
        """Environment variables that point google-genai (and ``voicelive``) at the emulator.

        ``GOOGLE_VERTEX_BASE_URL`` is set too, so a client in Vertex mode reaches it as well.
        """
        env = {
            "GOOGLE_GEMINI_BASE_URL": self.base_url,
            "GOOGLE_VERTEX_BASE_URL": self.base_url,
            "SSL_CERT_FILE": str(self.cert_path),
        }
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

    def genai_client(
        self,
        *,
        vertexai: bool = False,
        api_key: str | None = None,
        api_version: str | None = None,
        project: str = "emulated-project",
        location: str = "us-central1",
    ) -> Any:
        """Return a ``google.genai.Client`` that reaches this emulator (no environment needed).

        Args:
            vertexai: Vertex AI mode: project, location and a bearer token
                (:attr:`vertex_token`, or ``"emulator-token"``) instead of an API key.
            api_key: The key (or ``auth_tokens/...`` ephemeral token); default :attr:`api_key`.
            api_version: E.g. ``"v1alpha"`` for ephemeral tokens.
            project: The Vertex project.
            location: The Vertex location.
        """
        from google import genai
        from google.genai import types

        options = types.HttpOptions(
            base_url=self.base_url,
            api_version=api_version,
            async_client_args={"ssl": self.client_ssl_context()},
        )
        if vertexai:
            from google.oauth2.credentials import Credentials

            token = self.vertex_token or "emulator-token"
            return genai.Client(
                vertexai=True,
                project=project,
                location=location,
                credentials=Credentials(token=token),  # type: ignore[no-untyped-call]
                http_options=options,
            )
        return genai.Client(api_key=api_key or self.api_key or "test-key", http_options=options)

    def issue_token(
        self, *, uses: int = 1, expire_s: float = 1800, new_session_s: float = 60
    ) -> str:
        """Make an ephemeral token (what ``client.auth_tokens.create`` returns as ``name``).

        A client uses it as its API key with ``api_version="v1alpha"``; google-genai then opens
        ``BidiGenerateContentConstrained`` with ``Authorization: Token auth_tokens/...``.

        Args:
            uses: Sessions it may start (the service's default is one).
            expire_s: Seconds until it authenticates nothing (default 30 minutes).
            new_session_s: Seconds during which it may start a session (default 1 minute).
        """
        return self.tokens.issue(
            time.monotonic(), uses=uses, expire_s=expire_s, new_session_s=new_session_s
        )

    def accept_handle(self, handle: str) -> None:
        """Accept ``handle`` for resumption as if an earlier session had issued it."""
        self.handles.add(handle)

    # --- waiting on state -------------------------------------------------------------------

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
            self._reset_loop_state()
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
        self._cancel_timers()
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
