"""TwiML documents, the stream URL and webhook signatures (plain synchronous code).

``POST /twilio/voice`` answers with :func:`connect_twiml`, which tells Twilio to open a Media
Stream to ``wss://<public host>/twilio/stream``; a transfer redirects the call with
:func:`dial_twiml`. :func:`signature_ok` checks ``X-Twilio-Signature`` with the ``twilio``
package's :class:`~twilio.request_validator.RequestValidator`, over the public URL Twilio
requested (the server may sit behind a proxy, so the URL it sees itself is not the one signed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit
from xml.etree import ElementTree

__all__ = [
    "caller_id",
    "connect_twiml",
    "dial_twiml",
    "public_endpoint",
    "signature_ok",
    "stream_url",
]

STREAM_PATH = "/twilio/stream"
VOICE_PATH = "/twilio/voice"


def public_endpoint(public_url: str, path: str, query: str = "") -> str:
    """The URL Twilio requested for ``path`` (with ``query``), under the public base URL."""
    base = urlsplit(public_url)
    full_path = base.path.rstrip("/") + path
    return urlunsplit((base.scheme, base.netloc, full_path, query, ""))


def stream_url(public_url: str) -> str:
    """``wss://`` (or ``ws://`` for a plain-HTTP base) URL of the Media Streams endpoint."""
    url = public_endpoint(public_url, STREAM_PATH)
    return "wss" + url[len("https"):] if url.startswith("https") else "ws" + url[len("http"):]


def caller_id(number: str | None) -> str:
    """A stable, non-reversible user id for a caller's number (``phone-<16 hex digits>``).

    The number itself never goes further than the webhook: sessions, tools and logs see this
    id, so a caller finds their own data again on the next call.
    """
    if not number:
        return "phone-anonymous"
    return "phone-" + hashlib.sha256(number.strip().encode("utf-8")).hexdigest()[:16]


def _document(root: ElementTree.Element) -> str:
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>' + body


def connect_twiml(stream: str, parameters: Mapping[str, str] | None = None) -> str:
    """TwiML that connects the call to a bidirectional Media Stream at ``stream``.

    Args:
        stream: The ``wss://`` URL of ``/twilio/stream``.
        parameters: ``<Parameter>`` values Twilio hands back in the stream's ``start``.
    """
    root = ElementTree.Element("Response")
    connect = ElementTree.SubElement(root, "Connect")
    node = ElementTree.SubElement(connect, "Stream", url=stream)
    for name, value in (parameters or {}).items():
        ElementTree.SubElement(node, "Parameter", name=name, value=value)
    return _document(root)


def dial_twiml(number: str, *, caller_id_number: str | None = None) -> str:
    """TwiML that dials ``number`` (the call leaves the stream and rings a person)."""
    root = ElementTree.Element("Response")
    attrs = {"callerId": caller_id_number} if caller_id_number else {}
    dial = ElementTree.SubElement(root, "Dial", attrs)
    dial.text = number
    return _document(root)


def signature_ok(
    auth_token: str, url: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """Whether ``signature`` is Twilio's signature of ``url`` and the POST ``params``.

    Args:
        auth_token: The account's auth token.
        url: The full public URL Twilio requested, query string included.
        params: The form fields of the POST (empty for a WebSocket handshake).
        signature: The ``X-Twilio-Signature`` header, or ``None`` when absent.
    """
    if not signature:
        return False
    from twilio.request_validator import RequestValidator

    return bool(RequestValidator(auth_token).validate(url, dict(params), signature))
