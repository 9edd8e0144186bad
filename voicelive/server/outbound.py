"""The bounded queue of messages waiting to go down one client's socket (pure, synchronous).

Reply audio and JSON control messages share one ordered queue, so a ``mark`` always follows the
audio it marks. Audio is bounded by duration: when a client reads too slowly the oldest queued
audio is dropped and counted, never the newest, and never a control message. Control messages are
bounded by count; overflowing them means the client is not reading at all and must be closed.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

__all__ = ["OutboundQueue", "OutboundStats"]


@dataclass(slots=True)
class OutboundStats:
    """Counters of one client's outgoing queue.

    Attributes:
        audio_chunks: Audio chunks queued.
        audio_sent: Audio chunks handed to the socket.
        dropped_chunks: Audio chunks dropped because the client read too slowly.
        dropped_bytes: Bytes of those chunks.
        cleared_chunks: Audio chunks discarded by an interruption.
        controls: Control messages queued.
        max_audio_bytes: Most audio bytes ever queued at once.
    """

    audio_chunks: int = 0
    audio_sent: int = 0
    dropped_chunks: int = 0
    dropped_bytes: int = 0
    cleared_chunks: int = 0
    controls: int = 0
    max_audio_bytes: int = 0


class OutboundQueue:
    """FIFO of ``bytes`` (audio) and ``str`` (JSON text) with drop-oldest audio.

    Args:
        max_audio_bytes: Audio bytes kept before the oldest chunk is dropped.
        max_controls: Control messages kept before the queue reports an overflow.
    """

    def __init__(self, max_audio_bytes: int, max_controls: int = 1024) -> None:
        if max_audio_bytes < 1 or max_controls < 1:
            raise ValueError("queue bounds must be positive")
        self.max_audio_bytes = max_audio_bytes
        self.max_controls = max_controls
        self.stats = OutboundStats()
        self._items: deque[bytes | str] = deque()
        self._audio_bytes = 0
        self._controls = 0
        self.overflowed = False

    def __len__(self) -> int:
        return len(self._items)

    @property
    def audio_bytes(self) -> int:
        """Audio bytes waiting."""
        return self._audio_bytes

    def push_audio(self, chunk: bytes) -> int:
        """Queue a chunk of audio; returns how many older chunks were dropped to make room."""
        self._items.append(chunk)
        self._audio_bytes += len(chunk)
        self.stats.audio_chunks += 1
        dropped = 0
        while self._audio_bytes > self.max_audio_bytes and self._drop_oldest_audio():
            dropped += 1
        self.stats.max_audio_bytes = max(self.stats.max_audio_bytes, self._audio_bytes)
        return dropped

    def push_control(self, text: str) -> bool:
        """Queue a JSON text message; ``False`` (and ``overflowed`` set) when over the bound."""
        if self._controls >= self.max_controls:
            self.overflowed = True
            return False
        self._items.append(text)
        self._controls += 1
        self.stats.controls += 1
        return True

    def clear_audio(self) -> int:
        """Discard every queued audio chunk (interruption); control messages stay in order."""
        if not self._audio_bytes:
            return 0
        kept: deque[bytes | str] = deque(item for item in self._items if isinstance(item, str))
        cleared = len(self._items) - len(kept)
        self._items = kept
        self._audio_bytes = 0
        self.stats.cleared_chunks += cleared
        return cleared

    def pop(self) -> bytes | str | None:
        """Take the next message, or ``None`` when the queue is empty."""
        if not self._items:
            return None
        item = self._items.popleft()
        if isinstance(item, str):
            self._controls -= 1
        else:
            self._audio_bytes -= len(item)
            self.stats.audio_sent += 1
        return item

    def _drop_oldest_audio(self) -> bool:
        for index, item in enumerate(self._items):
            if isinstance(item, bytes):
                del self._items[index]
                self._audio_bytes -= len(item)
                self.stats.dropped_chunks += 1
                self.stats.dropped_bytes += len(item)
                return True
        return False
