"""The Gemini backend's two ways of moving the high-rate traffic: direct JSON or through the SDK.

google-genai opens the socket, runs the ``setup`` handshake and sends everything that is rare
(tool responses, text turns, activity marks). Two kinds of traffic are not rare: user audio goes
up 25 times a second and reply audio comes down as fast, per session. Through the SDK each of
those messages is built or parsed as pydantic models (a ``Blob`` and a
``LiveSendRealtimeInputParameters`` up, a validated ``LiveServerMessage`` down), which costs the
server about three times what the rest of its per-chunk work does.

A :class:`Wire` carries that traffic for one socket. :func:`open_wire` picks one of two:

* :class:`DirectWire` (``path == "direct"``) writes the ``realtimeInput`` JSON itself and reads
  the raw JSON of each server message from the SDK session's WebSocket;
* :class:`SdkWire` (``path == "sdk"``) uses only public SDK calls (``send_realtime_input``,
  ``receive``) and dumps each parsed message back into a plain dict.

Either way a server message reaches :func:`voicelive.backends.gemini.mapping.interpret` as a
dict, so there is one mapping from the wire to events. :func:`socket_of` is the only code in
voicelive that touches a private attribute of google-genai (``AsyncSession._ws``, the
``websockets`` connection the session wraps); it is checked once per socket, and when it is
missing or not a ``websockets`` connection (another SDK version) the SDK path is used.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import AsyncIterator
from typing import Any, Final, Literal, Protocol

from google.genai import errors as genai_errors
from google.genai import live as genai_live
from google.genai import types
from websockets.asyncio.connection import Connection

from voicelive.backends.base import INPUT_RATE

__all__ = [
    "AUDIO_MIME",
    "DirectWire",
    "SdkWire",
    "Wire",
    "WirePath",
    "decode_base64",
    "encode_audio",
    "open_wire",
    "parse_message",
    "socket_of",
]

logger = logging.getLogger(__name__)

WirePath = Literal["direct", "sdk"]
"""Which way a :class:`Wire` moves audio and server messages."""

AUDIO_MIME: Final = f"audio/pcm;rate={INPUT_RATE}"
"""MIME type of the user audio sent to the Live API."""

_AUDIO_HEAD: Final = '{"realtimeInput":{"audio":{"mimeType":"' + AUDIO_MIME + '","data":"'
_AUDIO_TAIL: Final = '"}}}'
_URL_SAFE: Final = bytes.maketrans(b"-_", b"+/")


def encode_audio(pcm: bytes) -> str:
    """Return the ``realtimeInput`` message carrying one chunk of user audio.

    Args:
        pcm: PCM16 little-endian mono samples at :data:`~voicelive.backends.base.INPUT_RATE`.

    Returns:
        ``{"realtimeInput": {"audio": {"mimeType": ..., "data": <base64>}}}`` as JSON text.
    """
    return _AUDIO_HEAD + base64.b64encode(pcm).decode("ascii") + _AUDIO_TAIL


def decode_base64(value: str) -> bytes:
    """Decode base64 as the SDK accepts it: standard or URL-safe alphabet, padded or not.

    Args:
        value: The encoded text from a server message.

    Raises:
        ValueError: The text is not base64 in either alphabet.
    """
    raw = value.encode("ascii", "strict") if value.isascii() else b"!"
    if b"-" in raw or b"_" in raw:
        raw = raw.translate(_URL_SAFE)
    if len(raw) % 4:
        raw += b"=" * (-len(raw) % 4)
    try:
        return base64.b64decode(raw, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 payload: {exc}") from None


def parse_message(raw: bytes | str) -> dict[str, Any] | None:
    """Parse the JSON text of one server message.

    Args:
        raw: One WebSocket message (the service sends JSON in text or binary frames).

    Returns:
        The message as a dict, or ``None`` when it is not a JSON object (malformed, or nested
        too deep for the parser: ``RecursionError`` is caught here, the session goes on).
    """
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, deep nesting
        return None
    return message if isinstance(message, dict) else None


def socket_of(session: genai_live.AsyncSession) -> Connection | None:
    """Return the ``websockets`` connection under an SDK session, or ``None``.

    This is the one place that reads a private attribute of google-genai: ``AsyncSession._ws``,
    set by ``AsyncSession.__init__`` (checked with google-genai 3.6.1) to the
    ``websockets.asyncio.client.ClientConnection`` that ``AsyncLive.connect`` opened, and used by
    every ``send_*`` method and ``receive``. If a later SDK renames it or wraps the socket in
    something else, this returns ``None`` and the backend keeps to public SDK calls.

    Args:
        session: A session from ``client.aio.live.connect``.
    """
    ws = getattr(session, "_ws", None)
    return ws if isinstance(ws, Connection) else None


class Wire(Protocol):
    """Moves realtime audio up and server messages down for one socket.

    Attributes:
        path: ``"direct"`` or ``"sdk"``.
        session: The SDK session, used for everything that is not audio.
    """

    path: WirePath
    session: genai_live.AsyncSession

    async def send_audio(self, pcm: bytes) -> None:
        """Send one chunk of user audio (PCM16 mono, 16 kHz)."""
        ...

    async def receive(self) -> dict[str, Any] | None:
        """Wait for the next server message; ``None`` for one that is not a JSON object.

        Raises:
            Exception: What google-genai or ``websockets`` raise when the socket closes; the
                backend maps it with :func:`~voicelive.backends.gemini.errors.map_error`.
        """
        ...

    async def aclose(self) -> None:
        """Release what the wire holds (not the socket: the SDK's context manager owns it)."""
        ...


class DirectWire:
    """Audio and server messages as JSON text on the SDK session's own WebSocket.

    Args:
        session: The SDK session (still used for the rare messages).
        ws: Its WebSocket, from :func:`socket_of`.
    """

    path: WirePath = "direct"

    def __init__(self, session: genai_live.AsyncSession, ws: Connection) -> None:
        self.session = session
        self._ws = ws

    async def send_audio(self, pcm: bytes) -> None:
        """Send one chunk of user audio as a ``realtimeInput`` text message."""
        await self._ws.send(encode_audio(pcm))

    async def receive(self) -> dict[str, Any] | None:
        """Read one message and parse its JSON (no SDK model in between).

        Raises:
            websockets.exceptions.ConnectionClosed: The socket closed.
        """
        return parse_message(await self._ws.recv(decode=False))

    async def aclose(self) -> None:
        """Nothing to release."""


class SdkWire:
    """Audio and server messages through public google-genai calls only (the fallback).

    Args:
        session: The SDK session.
    """

    path: WirePath = "sdk"

    def __init__(self, session: genai_live.AsyncSession) -> None:
        self.session = session
        self._messages: AsyncIterator[types.LiveServerMessage] | None = None

    async def send_audio(self, pcm: bytes) -> None:
        """Send one chunk of user audio with ``send_realtime_input``."""
        await self.session.send_realtime_input(audio=types.Blob(data=pcm, mime_type=AUDIO_MIME))

    async def receive(self) -> dict[str, Any] | None:
        """Read the next message through ``receive()`` and dump it back into a dict.

        ``receive()`` ends after each complete turn; the next call starts it again.

        A message the SDK cannot parse is skipped like on the direct wire (``None``).

        Raises:
            google.genai.errors.APIError: The socket closed (with its close code).
        """
        while True:
            if self._messages is None:
                self._messages = self.session.receive()
            try:
                message = await anext(self._messages)
            except StopAsyncIteration:
                self._messages = None
                continue
            except genai_errors.APIError as exc:
                self._messages = None
                if isinstance(exc.code, int) and 1000 <= exc.code <= 4999:
                    raise  # the socket closed: the SDK reports the close code this way
                logger.debug("the SDK refused a server message: APIError %s", exc.code)
                return None  # a message without any field the SDK knows
            except (ValueError, TypeError, AttributeError, RecursionError) as exc:
                # The message was read but the SDK could not parse it (bad JSON, a pydantic
                # ValidationError, or a shape its converters trip over): skip it, as the direct
                # wire does; the socket is fine.
                self._messages = None
                logger.debug("the SDK could not parse a server message: %s", type(exc).__name__)
                return None
            except BaseException:
                self._messages = None
                raise
            return message.model_dump(exclude_none=True)

    async def aclose(self) -> None:
        """Close the SDK's receive generator if one is open."""
        messages, self._messages = self._messages, None
        close = getattr(messages, "aclose", None)
        if close is not None:
            await close()


_announced: set[str] = set()  # which choices were logged already (once per process)


def open_wire(
    session: genai_live.AsyncSession, *, direct: bool = True
) -> DirectWire | SdkWire:
    """Pick the wire for a new socket.

    Args:
        session: The SDK session just connected.
        direct: Allow the direct path; ``False`` always uses the SDK.

    Returns:
        A :class:`DirectWire` when the session's WebSocket can be reached and ``direct`` is
        set, else an :class:`SdkWire`. The first choice of each kind is logged once (INFO for
        the fallback, DEBUG for the direct path).
    """
    ws = socket_of(session) if direct else None
    wire: DirectWire | SdkWire = DirectWire(session, ws) if ws is not None else SdkWire(session)
    reason = wire.path if direct else "configured"
    if reason not in _announced:
        _announced.add(reason)
        if wire.path == "direct":
            logger.debug("Gemini wire: direct JSON on the SDK session's WebSocket")
        elif direct:
            logger.info(
                "Gemini wire: google-genai %s exposes no websockets connection as "
                "AsyncSession._ws; using the SDK for audio and server messages (slower)",
                _sdk_version(),
            )
        else:
            logger.debug("Gemini wire: SDK path chosen by configuration")
    return wire


def _sdk_version() -> str:
    from google.genai import version

    return str(getattr(version, "__version__", "?"))

