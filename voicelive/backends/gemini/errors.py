"""Foreign exceptions of the Gemini integration mapped to :mod:`voicelive.exceptions`.

:mod:`voicelive.backends.gemini` calls :func:`map_error` wherever google-genai, websockets, ssl or
the operating system can raise, so nothing foreign leaves the backend.
"""

from __future__ import annotations

import ssl

import websockets.exceptions as ws_errors
from google.genai import errors as genai_errors

from voicelive.backends.gemini.handover import close_is_retryable
from voicelive.exceptions import (
    BackendError,
    ConnectError,
    ConnectionClosedError,
    ProtocolError,
)

__all__ = ["map_error"]


def _close_reason(exc: genai_errors.APIError) -> str:
    if isinstance(exc.details, str):
        return exc.details
    return str(exc.message or "")


def map_error(exc: BaseException) -> BackendError:
    """Turn a foreign exception from the SDK or the network into a voicelive error.

    Args:
        exc: What google-genai, websockets, ssl or the OS raised.

    Returns:
        A :class:`~voicelive.exceptions.BackendError` subclass with ``retryable`` set.
    """
    if isinstance(exc, BackendError):
        return exc
    if isinstance(exc, genai_errors.APIError):
        code = exc.code if isinstance(exc.code, int) else 0
        if 1000 <= code <= 4999:
            return ConnectionClosedError(code, _close_reason(exc),
                                         retryable=close_is_retryable(code))
        return ProtocolError(f"the Live API reported an error: {exc}", retryable=code >= 500)
    if isinstance(exc, ws_errors.ConnectionClosed):
        received = exc.rcvd
        code = received.code if received is not None else 1006
        reason = received.reason if received is not None else "abnormal closure"
        return ConnectionClosedError(code, reason, retryable=close_is_retryable(code))
    if isinstance(exc, ws_errors.InvalidStatus):
        status = exc.response.status_code
        return ConnectError(f"the Live API refused the connection with HTTP {status}",
                            retryable=status >= 500)
    if isinstance(exc, ws_errors.InvalidHandshake | ws_errors.InvalidURI):
        return ConnectError(f"WebSocket handshake failed: {exc}")
    if isinstance(exc, ssl.SSLError):
        return ConnectError(f"TLS failed ({exc}); check SSL_CERT_FILE or the ssl_context")
    if isinstance(exc, TimeoutError):
        return ConnectError(f"timed out: {exc}", retryable=True)
    if isinstance(exc, OSError):
        return ConnectError(f"could not reach the Live API: {exc}", retryable=True)
    if isinstance(exc, ValueError):
        return ProtocolError(f"unreadable message from the Live API: {exc}")
    return BackendError(f"unexpected {type(exc).__name__}: {exc}")
