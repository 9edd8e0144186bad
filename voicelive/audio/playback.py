"""A bounded jitter buffer for sinks that feed a real-time device."""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["PlaybackBuffer", "PlaybackStats"]


@dataclass(frozen=True, slots=True)
class PlaybackStats:
    """Counters of a :class:`PlaybackBuffer`.

    Attributes:
        buffered_bytes: Bytes waiting to be played.
        played_bytes: Bytes handed to the device.
        underruns: Reads that found less audio than asked for while a stream was playing.
        dropped_bytes: Bytes discarded because the buffer was full (oldest first).
        cleared_bytes: Bytes discarded by ``clear()``.
    """

    buffered_bytes: int
    played_bytes: int
    underruns: int
    dropped_bytes: int
    cleared_bytes: int


class PlaybackBuffer:
    """Bytes in from the session, fixed-size reads out to a device callback (thread-safe).

    Writes beyond ``capacity_bytes`` drop the oldest audio and count it. A read returns exactly
    the asked size, padded with silence; a short read while audio was flowing is an underrun.
    ``clear()`` empties the buffer at once.
    """

    def __init__(self, capacity_bytes: int, *, frame_size: int = 2) -> None:
        if capacity_bytes <= 0:
            raise ValueError("capacity_bytes must be positive")
        self.capacity = capacity_bytes - capacity_bytes % frame_size
        self.frame_size = frame_size
        self._buf = bytearray()
        self._lock = threading.Lock()
        self._played = 0
        self._underruns = 0
        self._dropped = 0
        self._cleared = 0
        self._flowing = False
        self._empty = threading.Event()
        self._empty.set()

    def write(self, data: bytes) -> None:
        """Add audio; when full, the oldest audio is dropped and counted."""
        with self._lock:
            self._buf += data
            excess = len(self._buf) - self.capacity
            if excess > 0:
                excess += (-excess) % self.frame_size
                del self._buf[:excess]
                self._dropped += excess
            if self._buf:
                self._empty.clear()

    def read(self, nbytes: int) -> bytes:
        """Take ``nbytes`` for the device, padding with silence if short."""
        with self._lock:
            out = bytes(self._buf[:nbytes])
            del self._buf[:nbytes]
            self._played += len(out)
            if len(out) < nbytes:
                if self._flowing:
                    self._underruns += 1
                self._flowing = False
                out += b"\x00" * (nbytes - len(out))
            else:
                self._flowing = True
            if not self._buf:
                self._empty.set()
            return out

    def clear(self) -> int:
        """Drop everything buffered; returns how many bytes were dropped."""
        with self._lock:
            n = len(self._buf)
            self._buf.clear()
            self._cleared += n
            self._flowing = False
            self._empty.set()
            return n

    def wait_empty(self, timeout: float | None = None) -> bool:
        """Block until the buffer is empty (for ``drain`` in a worker thread)."""
        return self._empty.wait(timeout)

    @property
    def stats(self) -> PlaybackStats:
        """A snapshot of the counters."""
        with self._lock:
            return PlaybackStats(len(self._buf), self._played, self._underruns,
                                 self._dropped, self._cleared)
