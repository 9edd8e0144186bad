"""Which paths the emulator serves and who may open them: API keys, ephemeral tokens, Vertex.

Three endpoints speak the same BidiGenerateContent protocol (what google-genai opens):

- Gemini API: ``/ws/google.ai.generativelanguage.{version}.GenerativeService.BidiGenerateContent``
  with an API key in ``x-goog-api-key`` or ``?key=``.
- Ephemeral tokens: the same service's ``BidiGenerateContentConstrained`` method (google-genai
  uses it when the "API key" starts with ``auth_tokens/``; v1alpha), with
  ``Authorization: Token auth_tokens/...`` or ``?access_token=auth_tokens/...``.
- Vertex AI: ``/ws/google.cloud.aiplatform.{version}.LlmBidiService/BidiGenerateContent`` with
  ``Authorization: Bearer ACCESS_TOKEN`` (or an API key, Vertex express mode).

All decisions are plain code with the time passed in (:class:`TokenBook` uses seconds of any
monotonic clock).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

__all__ = ["EphemeralToken", "Refusal", "Route", "TokenBook", "authorize", "route_of"]

_GEMINI_RE = re.compile(
    r"^/ws/google\.ai\.generativelanguage\.(?P<version>v[0-9a-z]+)\.GenerativeService\."
    r"(?P<method>BidiGenerateContent(?:Constrained)?)$"
)
_VERTEX_RE = re.compile(
    r"^/ws/google\.cloud\.aiplatform\.(?P<version>v[0-9a-z]+)\.LlmBidiService/BidiGenerateContent$"
)


@dataclass(frozen=True, slots=True)
class Route:
    """A served path.

    Attributes:
        api: ``"gemini"``, ``"constrained"`` (ephemeral tokens) or ``"vertex"``.
        version: The API version in the path (``v1beta``, ``v1alpha``, ``v1beta1`` ...).
    """

    api: str
    version: str


@dataclass(frozen=True, slots=True)
class Refusal:
    """An HTTP answer that refuses the WebSocket upgrade."""

    status: HTTPStatus
    reason: str


@dataclass
class EphemeralToken:
    """One token made by :meth:`TokenBook.issue`.

    Attributes:
        name: ``auth_tokens/...``, what the client uses as its API key.
        uses: Sessions it may still start.
        expires_at: Clock time after which it authenticates nothing.
        new_session_until: Clock time after which it starts no new session.
    """

    name: str
    uses: int
    expires_at: float
    new_session_until: float


@dataclass
class TokenBook:
    """Ephemeral tokens the emulator issued (the stand-in for ``client.auth_tokens.create``)."""

    tokens: dict[str, EphemeralToken] = field(default_factory=dict)

    def issue(
        self, now: float, *, uses: int = 1, expire_s: float = 1800, new_session_s: float = 60
    ) -> str:
        """Make a token; the service's defaults: one use, 30 minutes, new sessions for 1 minute.

        Raises:
            ValueError: ``uses`` is below 1 or a duration is not positive.
        """
        if uses < 1 or expire_s <= 0 or new_session_s <= 0:
            raise ValueError("an ephemeral token needs uses >= 1 and positive durations")
        name = f"auth_tokens/{secrets.token_urlsafe(24)}"
        self.tokens[name] = EphemeralToken(
            name, uses, now + expire_s, now + min(new_session_s, expire_s)
        )
        return name

    def spend(self, name: str, now: float) -> str | None:
        """Start a session with ``name``: ``None`` when allowed, else why not."""
        token = self.tokens.get(name)
        if token is None:
            return "ephemeral token not recognised"
        if now >= token.expires_at:
            return "ephemeral token expired"
        if now >= token.new_session_until:
            return "ephemeral token no longer starts new sessions"
        if token.uses < 1:
            return "ephemeral token has no uses left"
        token.uses -= 1
        return None


def route_of(path: str) -> Route | None:
    """The route of a request path (query ignored), or ``None`` when it is not served."""
    url = urlsplit(path)
    match = _GEMINI_RE.match(url.path)
    if match:
        constrained = match["method"].endswith("Constrained")
        return Route("constrained" if constrained else "gemini", match["version"])
    match = _VERTEX_RE.match(url.path)
    if match:
        return Route("vertex", match["version"])
    return None


def authorize(
    path: str,
    headers: Mapping[str, str],
    *,
    api_key: str | None,
    tokens: TokenBook,
    vertex_token: str | None,
    now: float,
) -> Refusal | Route:
    """Decide a WebSocket upgrade: the route when allowed, else the HTTP refusal.

    Args:
        path: The request target, query included.
        headers: The request headers (case-insensitive mapping).
        api_key: The key required on the Gemini API path; ``None`` accepts any present key.
        tokens: Issued ephemeral tokens.
        vertex_token: The bearer token Vertex requests need; ``None`` accepts any.
        now: The current clock time, for token expiry.
    """
    route = route_of(path)
    if route is None:
        return Refusal(HTTPStatus.NOT_FOUND, "not a Live API path")
    query = parse_qs(urlsplit(path).query)
    authorization = headers.get("Authorization") or headers.get("authorization") or ""
    scheme, _, credential = authorization.partition(" ")
    keys = [k for k in [headers.get("x-goog-api-key"), *query.get("key", [])] if k]
    if route.api == "constrained":
        token = credential if scheme == "Token" else next(iter(query.get("access_token", [])), "")
        if not token:
            return Refusal(HTTPStatus.UNAUTHORIZED, "missing ephemeral token")
        why = tokens.spend(token, now)
        return Refusal(HTTPStatus.UNAUTHORIZED, why) if why else route
    if route.api == "vertex":
        if scheme == "Bearer" and credential:
            if vertex_token is not None and credential != vertex_token:
                return Refusal(HTTPStatus.UNAUTHORIZED, "invalid access token")
            return route
        if not keys:
            return Refusal(HTTPStatus.UNAUTHORIZED, "missing access token or API key")
    if not keys:
        return Refusal(HTTPStatus.UNAUTHORIZED, "missing API key")
    if api_key is not None and api_key not in keys:
        return Refusal(HTTPStatus.FORBIDDEN, "API key not valid")
    return route
