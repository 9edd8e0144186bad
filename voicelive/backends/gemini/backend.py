"""GeminiBackend: Gemini Live conversations through google-genai, on the Gemini API or Vertex AI.

Which service is used follows google-genai's own rules, so the same environment that configures
the SDK configures the backend: ``vertexai=True`` (or ``GOOGLE_GENAI_USE_VERTEXAI=true``) with a
``project`` and ``location`` (or ``GOOGLE_CLOUD_PROJECT`` / ``GOOGLE_CLOUD_LOCATION``) reaches
Vertex AI's ``LlmBidiService``; otherwise an API key (``GEMINI_API_KEY`` or ``GOOGLE_API_KEY``)
reaches the Gemini API. ``GOOGLE_GEMINI_BASE_URL`` / ``GOOGLE_VERTEX_BASE_URL`` and
``SSL_CERT_FILE`` reach the SDK as usual (that is how tests point it at ``LiveEmulator``).
"""

from __future__ import annotations

import os
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from google import genai
from google.genai import types

from voicelive.backends.gemini.connection import GeminiConnection
from voicelive.backends.gemini.declarations import ToolDeclarations
from voicelive.backends.gemini.families import DEFAULT_MODEL, family_of
from voicelive.backends.gemini.handover import Backoff
from voicelive.backends.gemini.setup import check_config
from voicelive.config import SessionConfig
from voicelive.exceptions import ConfigError

__all__ = ["GeminiBackend"]

_TRUE = frozenset({"1", "true", "yes"})


def _env_vertex() -> bool:
    return os.environ.get("GOOGLE_GENAI_USE_VERTEXAI", "").strip().lower() in _TRUE


class GeminiBackend:
    """Connections to Gemini Live through ``google.genai``.

    Args:
        api_key: The Gemini API key; by default ``GEMINI_API_KEY``, then ``GOOGLE_API_KEY``. On
            Vertex AI an API key selects express mode instead of project credentials.
        vertexai: Use Vertex AI; by default ``GOOGLE_GENAI_USE_VERTEXAI``, or ``True`` when a
            ``project`` is given.
        project: Google Cloud project for Vertex AI (default ``GOOGLE_CLOUD_PROJECT``).
        location: Vertex AI region, e.g. ``us-central1`` (default ``GOOGLE_CLOUD_LOCATION``).
        credentials: ``google.auth`` credentials for Vertex AI (default: application default
            credentials, found by google-genai).
        http_options: Passed to ``genai.Client`` (e.g. ``base_url``, ``api_version``).
        ssl_context: Explicit TLS context for the WebSocket (trust a test certificate without
            ``SSL_CERT_FILE``).
        backoff: Reconnect delay schedule after retryable drops.
        direct_wire: Send audio and read server messages as JSON on the SDK session's WebSocket
            (the default, about three times cheaper per chunk); ``False`` keeps to public
            google-genai calls. Without a reachable WebSocket the SDK is used either way.

    Raises:
        ConfigError: Neither an API key nor a Vertex AI project and location were found.
    """

    name = "gemini"

    def __init__(
        self,
        api_key: str | None = None,
        *,
        vertexai: bool | None = None,
        project: str | None = None,
        location: str | None = None,
        credentials: Any = None,
        http_options: types.HttpOptions | None = None,
        ssl_context: ssl.SSLContext | None = None,
        backoff: Backoff | None = None,
        direct_wire: bool = True,
    ) -> None:
        if vertexai is None:
            vertexai = _env_vertex() or project is not None
        self.vertexai = vertexai
        if vertexai:
            project = project or os.environ.get("GOOGLE_CLOUD_PROJECT") or None
            location = location or os.environ.get("GOOGLE_CLOUD_LOCATION") or None
            if api_key is None and credentials is None and not (project and location):
                raise ConfigError(
                    "the Gemini backend on Vertex AI needs a project and a location: pass "
                    "project= and location= or set GOOGLE_CLOUD_PROJECT and "
                    "GOOGLE_CLOUD_LOCATION (or give an API key for express mode)"
                )
            key = api_key
        else:
            key = api_key or os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY")
            if not key:
                raise ConfigError(
                    "the Gemini backend needs an API key: pass api_key= or set GEMINI_API_KEY "
                    "(or GOOGLE_API_KEY), or use Vertex AI (GOOGLE_GENAI_USE_VERTEXAI=true with "
                    "GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION)"
                )
        self._api_key = key
        self.project = project
        self.location = location
        self._credentials = credentials
        self._http_options = http_options
        self._ssl_context = ssl_context
        self.backoff = backoff or Backoff()
        self.direct_wire = direct_wire
        self._genai_client: genai.Client | None = None

    def __repr__(self) -> str:
        where = f", vertex={self.project!r}/{self.location!r}" if self.vertexai else ""
        return f"GeminiBackend(model={self.default_model()!r}{where})"

    def default_model(self) -> str:
        """Return the model used when the config names none."""
        return DEFAULT_MODEL

    def _client(self) -> genai.Client:
        # One client per backend, made at the first connect: building one loads CA bundles
        # (tens of milliseconds), and it reads SSL_CERT_FILE then. It holds no socket itself.
        if self._genai_client is None:
            options = self._http_options or types.HttpOptions()
            if self._ssl_context is not None:
                args = dict(options.async_client_args or {})
                args["ssl"] = self._ssl_context
                options = options.model_copy(update={"async_client_args": args})
            if self.vertexai:
                self._genai_client = genai.Client(
                    vertexai=True, api_key=self._api_key,
                    project=None if self._api_key else self.project,
                    location=None if self._api_key else self.location,
                    credentials=self._credentials, http_options=options,
                )
            else:
                self._genai_client = genai.Client(vertexai=False, api_key=self._api_key,
                                                  http_options=options)
        return self._genai_client

    @asynccontextmanager
    async def connect(
        self, config: SessionConfig, tools: ToolDeclarations
    ) -> AsyncIterator[GeminiConnection]:
        """Open a live connection configured by ``config`` with ``tools`` declared.

        Raises:
            ConfigError: The model's family does not support a setting (e.g. a thinking
                level on a 2.5 model).
            ConnectError: The service could not be reached or sent no ``setupComplete`` within
                ``config.setup_timeout_s``.
            ConnectionClosedError: The service refused the setup (e.g. 1007, 1008).
        """
        model = config.model or self.default_model()
        family = family_of(model)
        check_config(config, model, family)
        connection = GeminiConnection(
            self._client(), model=model, family=family, config=config,
            declarations=tuple(tools.declarations()), backoff=self.backoff,
            direct_wire=self.direct_wire,
        )
        try:
            await connection.open()
            try:
                async with anyio.create_task_group() as tg:
                    tg.start_soon(connection.pump)  # pump() never raises
                    try:
                        yield connection
                    finally:
                        tg.cancel_scope.cancel()
            except BaseExceptionGroup as group:
                # Only the caller's block can fail in here: give its exception back unwrapped.
                if len(group.exceptions) == 1:
                    raise group.exceptions[0] from None
                raise
        finally:
            with anyio.CancelScope(shield=True):
                await connection.aclose()
