"""Server settings: one validated pydantic model read by ``create_app`` and ``serve``.

This module imports neither FastAPI nor uvicorn, so the command line can build and validate
settings before the server extra is even needed.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from voicelive.exceptions import ConfigError

__all__ = ["BackendName", "ServerSettings", "is_loopback", "resolve_backend_name"]

BackendName = Literal["local", "gemini"]
"""The backends a server can run."""

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _token_from_env() -> str | None:
    return os.environ.get("VOICELIVE_TOKEN") or None


def _resume_secret_from_env() -> str | None:
    return os.environ.get("VOICELIVE_RESUME_SECRET") or None


def is_loopback(host: str) -> bool:
    """Return whether ``host`` only accepts connections from this machine.

    Args:
        host: A host name or IP address as given to ``--host``.
    """
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def resolve_backend_name(
    choice: BackendName | None, environ: Mapping[str, str] | None = None
) -> BackendName:
    """Pick the backend: the explicit choice, else ``gemini`` when an API key is set, else local.

    Args:
        choice: ``"local"``, ``"gemini"`` or ``None`` for automatic.
        environ: Environment to inspect; ``os.environ`` when ``None``.
    """
    if choice is not None:
        return choice
    env = os.environ if environ is None else environ
    if env.get("GEMINI_API_KEY") or env.get("GOOGLE_API_KEY"):
        return "gemini"
    return "local"


class ServerSettings(BaseModel):
    """Everything that shapes one server process.

    Attributes:
        host: Interface to listen on. Anything beyond loopback requires ``token``.
        port: TCP port (0 picks a free one).
        backend: ``local``, ``gemini`` or ``None`` to choose by the API key variables.
        model: Model name passed to every session; the backend's default when ``None``.
        instructions: System instruction for every session.
        max_sessions: Live sessions this process runs at once; 1 reproduces one-at-a-time.
        token: Bearer token clients must present at the handshake (``VOICELIVE_TOKEN``).
        allowed_origins: Browser origins allowed to open ``/ws`` besides the page's own
            origin; ``"*"`` allows any.
        cors_origins: Origins allowed by CORS on the HTTP routes (development).
        allowed_hosts: Host names answered besides the bound address, ``localhost`` and IP
            addresses (the ``Host`` header check against DNS rebinding); ``"*"`` answers any.
        max_message_bytes: Largest WebSocket message accepted; bigger closes with 1009.
        max_connections: Open TCP connections (HTTP and WebSocket) kept at once; more are
            refused with ``503``. ``None``: ``max(256, 4 * max_sessions)``.
        handshake_timeout_s: Time a client has to send a request's headers (a WebSocket
            upgrade included) before it gets ``408`` and is closed.
        rate_limit: Sustained client messages per second per connection.
        rate_burst: Messages a client may send in a burst above ``rate_limit``.
        max_outgoing_audio_ms: Reply audio buffered per client before the oldest is dropped.
        send_timeout_s: How long a client may stop reading before it is disconnected.
        stop_grace_s: How long a stopping session may take to close before it is cancelled.
        metrics: Serve Prometheus metrics at ``/metrics``.
        db_path: SQLite file of the nutrition tools; their default location when ``None``.
        db_url: A ``postgresql://`` URL (or SQLite path) of the shared store; wins over
            ``db_path``. Every worker and machine of a deployment names the same one.
        workers: Processes serving the port (``voicelive serve --workers``).
        resume: Give clients resume tokens and continue conversations they present.
        resume_secret: HMAC secret of resume tokens, shared by every worker and machine
            (``VOICELIVE_RESUME_SECRET``); random per process (per ``serve`` start for its
            workers) when ``None``.
        resume_ttl_s: How long a resume token and its stored conversation stay valid.
        resume_checkpoint_s: Seconds between saves of a running session's resumable state.
        tools: Extra tools served beside the nutrition toolkit, as ``--tools`` takes them
            (``FILE.py`` or ``package.module``, optionally ``:attr``).
        static_dir: Directory of the page; the bundled build (or a plain page) when ``None``.
        log_level: uvicorn log level.
        public_url: Public ``https://`` base URL of this server as Twilio reaches it (through a
            proxy or tunnel); setting it mounts ``POST /twilio/voice`` and ``/twilio/stream``.
        twilio_auth_token: Twilio auth token; when set, every webhook and stream handshake
            must carry a valid ``X-Twilio-Signature`` (``TWILIO_AUTH_TOKEN``).
        twilio_account_sid: Twilio account SID, for the REST call of a transfer
            (``TWILIO_ACCOUNT_SID``).
        transfer_number: Phone number (E.164) the ``transfer_to_human`` tool dials; the tool is
            offered on calls only when this, the account SID and the auth token are set.
        twilio_api_url: Base URL of Twilio's REST API (a stand-in in tests); Twilio's own
            ``https://api.twilio.com`` when ``None``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    backend: BackendName | None = None
    model: str | None = None
    instructions: str | None = None
    max_sessions: int = Field(default=8, ge=1, le=10_000)
    token: str | None = Field(default_factory=_token_from_env, min_length=8)
    allowed_origins: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    max_message_bytes: int = Field(default=256 * 1024, ge=1024, le=16 * 1024 * 1024)
    max_connections: int | None = Field(default=None, ge=1, le=1_000_000)
    handshake_timeout_s: float = Field(default=10.0, gt=0, le=300)
    rate_limit: float = Field(default=100.0, gt=0)
    rate_burst: int = Field(default=200, ge=1)
    max_outgoing_audio_ms: int = Field(default=4000, ge=100, le=60_000)
    send_timeout_s: float = Field(default=10.0, gt=0)
    stop_grace_s: float = Field(default=2.0, gt=0)
    metrics: bool = True
    db_path: Path | None = None
    db_url: str | None = None
    workers: int = Field(default=1, ge=1, le=64)
    resume: bool = True
    resume_secret: str | None = Field(default_factory=_resume_secret_from_env, min_length=16)
    resume_ttl_s: float = Field(default=900.0, gt=0, le=7 * 24 * 3600)
    resume_checkpoint_s: float = Field(default=1.0, gt=0, le=600)
    tools: tuple[str, ...] = ()
    static_dir: Path | None = None
    log_level: Literal["critical", "error", "warning", "info", "debug", "trace"] = "info"
    public_url: str | None = Field(default=None, pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$")
    twilio_auth_token: str | None = Field(
        default_factory=lambda: os.environ.get("TWILIO_AUTH_TOKEN") or None, repr=False
    )
    twilio_account_sid: str | None = Field(
        default_factory=lambda: os.environ.get("TWILIO_ACCOUNT_SID") or None
    )
    transfer_number: str | None = Field(default=None, pattern=r"^\+?[0-9]{3,20}$")
    twilio_api_url: str | None = Field(default=None, pattern=r"^https?://[^?#\s]+$")

    def connection_limit(self) -> int:
        """The connection cap in force: ``max_connections`` or its default."""
        if self.max_connections is not None:
            return self.max_connections
        return max(256, 4 * self.max_sessions)

    def public_hosts(self) -> tuple[str, ...]:
        """The host of ``public_url``: Twilio sends it as ``Host``, answered like an allowed one."""
        if not self.public_url:
            return ()
        from urllib.parse import urlsplit

        host = urlsplit(self.public_url).hostname
        return (host,) if host else ()

    def resolved_backend(self) -> BackendName:
        """The backend this server runs, with ``None`` resolved from the environment."""
        return resolve_backend_name(self.backend)

    def check_security(self) -> None:
        """Refuse settings that would expose sessions without a token.

        Raises:
            ConfigError: The server listens beyond loopback and no token is set.
        """
        if self.token is None and not is_loopback(self.host):
            raise ConfigError(
                f"listening on {self.host!r} (beyond loopback) needs a bearer token: "
                "pass --token or set VOICELIVE_TOKEN"
            )
        if self.public_url and not self.twilio_auth_token and not _public_is_loopback(
            self.public_url
        ):
            raise ConfigError(
                f"telephony at {self.public_url!r} needs Twilio's auth token to check webhook "
                "signatures: pass --twilio-auth-token or set TWILIO_AUTH_TOKEN"
            )


def _public_is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    return is_loopback(urlsplit(url).hostname or "")
