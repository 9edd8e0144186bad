"""The async side of a client's outgoing queue: the outbox and the session's audio sink.

:class:`Outbox` wraps :class:`~voicelive.server.outbound.OutboundQueue` with the two wake-ups
the sender task needs (something to send, everything sent). :class:`WebSocketSink` is the
:class:`~voicelive.audio.AudioSink` a server session plays into: ``write`` queues reply audio,
``clear`` drops what is queued and tells the browser to stop playback with ``{"type": "clear"}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anyio

from voicelive.audio.format import PCM16_24K, AudioFormat
from voicelive.exceptions import ClosedError
from voicelive.server.outbound import OutboundQueue

__all__ = ["Outbox", "WebSocketSink"]


def _encode(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, default=str)


class Outbox:
    """Messages waiting for one client, in order, bounded.

    Args:
        max_audio_bytes: Reply audio kept queued before the oldest chunk is dropped.
        max_controls: JSON messages kept queued before the client counts as stalled.
        on_drop: Called with the number of audio chunks dropped, for metrics.
    """

    def __init__(
        self,
        max_audio_bytes: int,
        *,
        max_controls: int = 1024,
        on_drop: Callable[[int], object] | None = None,
    ) -> None:
        self.queue = OutboundQueue(max_audio_bytes, max_controls)
        self._on_drop = on_drop
        self._ready = anyio.Event()
        self._drained = anyio.Event()
        self.closed = False
        self.marks_sent = 0
        self.last_mark_played: str | None = None

    def send_json(self, message: dict[str, Any]) -> None:
        """Queue one JSON message (never dropped; overflow marks the client stalled)."""
        if self.closed:
            return
        self.queue.push_control(_encode(message))
        self._wake()

    def send_audio(self, chunk: bytes) -> None:
        """Queue one chunk of reply audio, dropping the oldest queued audio when full."""
        if self.closed:
            return
        dropped = self.queue.push_audio(chunk)
        if dropped and self._on_drop is not None:
            self._on_drop(dropped)
        self._wake()

    def clear_audio(self) -> int:
        """Drop queued reply audio; returns how many chunks were discarded."""
        return self.queue.clear_audio()

    def send_mark(self) -> str:
        """Queue a ``mark`` after the audio queued so far; returns its name."""
        self.marks_sent += 1
        name = f"turn-{self.marks_sent}"
        self.send_json({"type": "mark", "name": name})
        return name

    @property
    def stalled(self) -> bool:
        """Whether control messages overflowed: the client is not reading."""
        return self.queue.overflowed

    async def next(self) -> bytes | str | None:
        """Wait for the next message; ``None`` once the outbox is closed and empty."""
        while True:
            item = self.queue.pop()
            if item is not None:
                return item
            self._drained.set()
            if self.closed:
                return None
            self._ready = anyio.Event()
            await self._ready.wait()

    async def wait_empty(self) -> None:
        """Wait until every queued message has been handed to the socket."""
        while len(self.queue) and not self.closed:
            if self._drained.is_set():
                self._drained = anyio.Event()
            await self._drained.wait()

    def close(self) -> None:
        """Accept nothing more; the sender finishes what is queued, then stops."""
        self.closed = True
        self._drained.set()
        self._wake()

    def _wake(self) -> None:
        self._ready.set()


class WebSocketSink:
    """An :class:`~voicelive.audio.AudioSink` that plays into a browser through an outbox.

    Args:
        outbox: The client's outbox.
        format: Audio format of the reply stream (PCM16 mono 24 kHz on the wire).
    """

    def __init__(self, outbox: Outbox, format: AudioFormat = PCM16_24K) -> None:
        self.format = format
        self._outbox = outbox
        self._closed = False
        self._audio_since_clear = False

    async def write(self, chunk: bytes) -> None:
        """Queue a chunk of reply audio for the browser."""
        if self._closed:
            raise ClosedError("WebSocketSink is closed; cannot write")
        self.format.check(chunk)
        if chunk:
            self._audio_since_clear = True
            self._outbox.send_audio(chunk)

    async def clear(self) -> None:
        """Drop queued reply audio and tell the browser to stop playing at once."""
        if self._closed:
            return
        self._outbox.clear_audio()
        if self._audio_since_clear:
            self._audio_since_clear = False
            self._outbox.send_json({"type": "clear"})

    async def drain(self) -> None:
        """Wait until queued audio has gone down the socket."""
        await self._outbox.wait_empty()

    async def aclose(self) -> None:
        """Stop accepting audio. Safe to call twice; the socket stays the connection's."""
        self._closed = True
