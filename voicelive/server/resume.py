"""Resume tokens: opaque, signed, expiring proofs that a client may continue a conversation.

A token names a conversation kept in the shared :class:`~voicelive.store.Store` and the user it
belongs to, and is signed with HMAC-SHA256 under a secret every worker of a deployment shares
(``--resume-secret`` / ``VOICELIVE_RESUME_SECRET``; one is generated per ``voicelive serve``
start and handed to its workers when none is given). Any process with the secret and the store
can therefore resume a conversation that another process started.

The token is ``v1.<payload>.<signature>``, both parts URL-safe base64 without padding; the
payload is JSON (conversation id, declared user, effective user id, issue and expiry times). It
holds no transcript and no backend state, only ids; clients must treat it as opaque.

:meth:`ResumeTokens.verify` is plain synchronous code: it raises :class:`ResumeRefused` with a
machine-readable ``reason`` (``invalid``, ``expired``, ``wrong_user``), which the server sends to
the client in a ``resume_refused`` message before it starts a fresh session.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "MAX_TOKEN_CHARS",
    "RefusalReason",
    "ResumeClaim",
    "ResumeRefused",
    "ResumeTokens",
    "new_secret",
]

MAX_TOKEN_CHARS = 1024
"""Longer tokens are refused unread."""

_VERSION = "v1"

RefusalReason = Literal["invalid", "expired", "wrong_user", "unknown"]
"""Why a resume was refused: a forged or damaged token, an expired one, a token of another user,
or a conversation the store no longer holds."""


def new_secret() -> str:
    """A fresh random secret (32 bytes, URL-safe text)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeClaim:
    """What a valid token says.

    Attributes:
        conversation_id: The conversation to continue.
        user: The user the client declared in ``start`` (``None`` for an anonymous client).
        user_id: The user id the conversation's tools ran as.
        issued_at: Unix time the token was made.
        expires_at: Unix time after which it is refused.
    """

    conversation_id: str
    user: str | None
    user_id: str
    issued_at: float
    expires_at: float


class ResumeRefused(Exception):
    """A token cannot resume anything.

    Attributes:
        reason: ``invalid``, ``expired``, ``wrong_user`` or ``unknown``.
        message: What to tell the client.
    """

    def __init__(self, reason: RefusalReason, message: str) -> None:
        super().__init__(message)
        self.reason: RefusalReason = reason
        self.message = message


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class ResumeTokens:
    """Issues and checks resume tokens under one secret.

    Args:
        secret: The shared secret (at least 16 characters).
        ttl_s: How long a token stays valid after it is issued.
    """

    def __init__(self, secret: str, *, ttl_s: float = 900.0) -> None:
        if len(secret) < 16:
            raise ValueError("a resume secret needs at least 16 characters")
        if ttl_s <= 0:
            raise ValueError("ttl_s must be positive")
        self._key = hashlib.sha256(b"voicelive-resume\x00" + secret.encode()).digest()
        self.ttl_s = ttl_s

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._key, f"{_VERSION}.{body}".encode(), hashlib.sha256).digest())

    def issue(self, *, conversation_id: str, user: str | None, user_id: str, now: float) -> str:
        """A token for ``conversation_id`` valid until ``now + ttl_s``."""
        payload = {"c": conversation_id, "u": user, "i": user_id, "t": round(now, 3),
                   "e": round(now + self.ttl_s, 3)}
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{_VERSION}.{body}.{self._sign(body)}"

    def verify(self, token: str, *, user: str | None, now: float) -> ResumeClaim:
        """Check a token presented with a ``start`` that declares ``user``.

        Raises:
            ResumeRefused: ``invalid`` (malformed, forged, signed under another secret),
                ``expired``, or ``wrong_user`` (the token belongs to another user).
        """
        claim = self._decode(token)
        if claim.expires_at <= now:
            raise ResumeRefused(
                "expired", "the resume token has expired; a new conversation was started")
        if claim.user != user:
            raise ResumeRefused(
                "wrong_user",
                "the resume token belongs to another user; a new conversation was started")
        return claim

    def _decode(self, token: str) -> ResumeClaim:
        invalid = ResumeRefused(
            "invalid", "the resume token is not valid here; a new conversation was started")
        if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS:
            raise invalid
        parts = token.split(".")
        if len(parts) != 3 or parts[0] != _VERSION:
            raise invalid
        _, body, signature = parts
        if not hmac.compare_digest(self._sign(body), signature):
            raise invalid
        try:
            data = json.loads(_unb64(body))
            claim = ResumeClaim(
                conversation_id=str(data["c"]),
                user=None if data["u"] is None else str(data["u"]),
                user_id=str(data["i"]),
                issued_at=float(data["t"]),
                expires_at=float(data["e"]),
            )
        except (binascii.Error, ValueError, KeyError, TypeError):
            raise invalid from None
        return claim
