"""Cut any stream of PCM bytes into fixed-duration frames without losing a byte."""

from __future__ import annotations

from voicelive.audio.format import AudioFormat

__all__ = ["Chunker"]


class Chunker:
    """Re-cuts arbitrary byte pieces into chunks of exactly ``chunk_ms`` of audio.

    Bytes that do not yet fill a chunk (including an odd trailing byte of a PCM16 sample) are
    carried to the next :meth:`feed`; :meth:`flush` returns the remainder, frame-aligned.
    """

    def __init__(self, format: AudioFormat, chunk_ms: float) -> None:
        self.format = format
        self.chunk_bytes = format.bytes_for(chunk_ms)
        if self.chunk_bytes <= 0:
            raise ValueError(f"chunk of {chunk_ms} ms holds no whole frame at {format}")
        self._buf = bytearray()

    @property
    def pending(self) -> int:
        """Bytes held back, waiting for more input."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[bytes]:
        """Add bytes; return every complete chunk now available."""
        if not self._buf and len(data) == self.chunk_bytes:
            return [bytes(data)]  # already one chunk (the usual case): no copy through _buf
        self._buf += data
        size = self.chunk_bytes
        whole = len(self._buf) // size * size
        if not whole:
            return []
        out = [bytes(self._buf[i : i + size]) for i in range(0, whole, size)]
        del self._buf[:whole]
        return out

    def flush(self) -> bytes:
        """Return the frame-aligned remainder; a stray partial frame stays pending."""
        aligned = len(self._buf) - len(self._buf) % self.format.frame_size
        rest = bytes(self._buf[:aligned])
        del self._buf[:aligned]
        return rest
