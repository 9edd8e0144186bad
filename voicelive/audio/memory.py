"""In-memory audio source and sink, bounded."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio

from voicelive._streams import HandOff
from voicelive.audio.format import PCM16_16K, PCM16_24K, AudioFormat
from voicelive.exceptions import ClosedError

__all__ = ["MemorySink", "MemorySource"]


class MemorySource:
    """A source fed by the application: ``push`` chunks in, ``end()`` when done.

    The queue holds at most ``max_chunks`` chunks. ``push`` waits for room (backpressure);
    ``push_nowait`` drops the chunk instead and counts it in ``dropped``.
    """

    def __init__(self, format: AudioFormat = PCM16_16K, *, max_chunks: int = 256) -> None:
        self.format = format
        self.dropped = 0
        self._queue = HandOff[bytes](max(1, max_chunks))

    @classmethod
    def from_bytes(
        cls, pcm: bytes, format: AudioFormat = PCM16_16K, *, chunk_ms: int = 40
    ) -> MemorySource:
        """Build an already-ended source holding ``pcm`` cut into ``chunk_ms`` chunks."""
        format.check(pcm)
        step = max(format.bytes_for(chunk_ms), format.frame_size)
        chunks = [pcm[i : i + step] for i in range(0, len(pcm), step)]
        src = cls(format, max_chunks=max(1, len(chunks)))
        for chunk in chunks:
            src._queue.send_nowait(chunk)
        src.end()
        return src

    async def push(self, chunk: bytes) -> None:
        """Queue a chunk, waiting while the queue is full."""
        self.format.check(chunk)
        try:
            await self._queue.send(chunk)
        except anyio.ClosedResourceError as exc:
            raise ClosedError("MemorySource was ended or closed; cannot push more audio") from exc

    def push_nowait(self, chunk: bytes) -> bool:
        """Queue a chunk if there is room; otherwise drop and count it. Returns whether queued."""
        self.format.check(chunk)
        try:
            self._queue.send_nowait(chunk)
        except anyio.WouldBlock:
            self.dropped += 1
            return False
        except anyio.ClosedResourceError as exc:
            raise ClosedError("MemorySource was ended or closed; cannot push more audio") from exc
        return True

    def end(self) -> None:
        """Mark the end of the audio: iteration stops after the queued chunks."""
        self._queue.end()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """Yield queued chunks until ``end()`` or ``aclose()``."""
        async for chunk in self._queue:
            yield chunk

    async def aclose(self) -> None:
        """Close both ends of the queue (queued chunks are discarded)."""
        self._queue.close()


class MemorySink:
    """A sink that keeps what it is given, for tests and for files written at the end.

    Attributes:
        chunks: Chunks written, in order (a memory sink "plays" them at once).
        cleared: How many times ``clear()`` ran.
        log: Every operation in order: ``("write", nbytes)`` and ``("clear", 0)``.
        closed: Whether ``aclose()`` ran.
    """

    def __init__(self, format: AudioFormat = PCM16_24K) -> None:
        self.format = format
        self.chunks: list[bytes] = []
        self.cleared = 0
        self.log: list[tuple[str, int]] = []
        self.closed = False

    async def write(self, chunk: bytes) -> None:
        """Record a chunk."""
        if self.closed:
            raise ClosedError("MemorySink is closed; cannot write")
        self.format.check(chunk)
        self.chunks.append(chunk)
        self.log.append(("write", len(chunk)))

    async def clear(self) -> None:
        """Count a barge-in. Written audio stays in ``data`` (a memory sink 'plays' at once)."""
        if self.closed:
            raise ClosedError("MemorySink is closed; cannot clear")
        self.cleared += 1
        self.log.append(("clear", 0))

    async def drain(self) -> None:
        """Return at once: memory has no playback delay."""

    async def aclose(self) -> None:
        """Mark closed; further writes raise :class:`ClosedError`."""
        self.closed = True

    @property
    def data(self) -> bytes:
        """All bytes written, joined."""
        return b"".join(self.chunks)
