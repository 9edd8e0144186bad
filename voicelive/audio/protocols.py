"""The two pluggable audio roles: where audio comes from and where it goes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

from voicelive.audio.format import AudioFormat

__all__ = ["AudioSink", "AudioSource"]


@runtime_checkable
class AudioSource(Protocol):
    """An async iterator of PCM chunks in ``format``; ends when the audio ends.

    A source never knows about backends; the session reads it and resamples as needed.
    """

    format: AudioFormat

    def __aiter__(self) -> AsyncIterator[bytes]:
        """Iterate over chunks of PCM bytes (whole frames)."""
        ...

    async def aclose(self) -> None:
        """Release the source; iteration ends. Safe to call twice."""
        ...


@runtime_checkable
class AudioSink(Protocol):
    """Accepts PCM chunks in ``format`` and plays or stores them."""

    format: AudioFormat

    async def write(self, chunk: bytes) -> None:
        """Queue ``chunk`` for playback; raises ClosedError after close."""
        ...

    async def clear(self) -> None:
        """Drop everything buffered but not yet played (barge-in); returns at once."""
        ...

    async def drain(self) -> None:
        """Wait until everything written so far has played."""
        ...

    async def aclose(self) -> None:
        """Finish and release the sink. Safe to call twice."""
        ...
