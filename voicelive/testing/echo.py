"""The load-test responder: answer every chunk of user audio with reply audio at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from voicelive.testing import messages

__all__ = ["ECHO_RATE", "AudioResponder", "echo_reply", "rate_of"]

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


def rate_of(mime_type: object) -> int:
    """The ``rate=`` parameter of an ``audio/pcm`` MIME type; 16 kHz when absent."""
    if isinstance(mime_type, str):
        for param in mime_type.split(";")[1:]:
            name, _, value = param.strip().partition("=")
            if name == "rate" and value.isdigit():
                return int(value)
    return 16000
