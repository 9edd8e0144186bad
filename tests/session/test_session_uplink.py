"""The session's uplink hands every byte on, in order, in whole chunks, whatever the pieces."""

from __future__ import annotations

from collections.abc import AsyncIterator
from itertools import pairwise

import anyio

from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_16K, AudioFormat
from voicelive.events import TurnComplete
from voicelive.testing import Await, Responder, ScriptedBackend, ScriptedConnection


class Pieces:
    """A source that yields the given pieces as they are."""

    def __init__(self, pieces: list[bytes], fmt: AudioFormat = PCM16_16K) -> None:
        self.format = fmt
        self.pieces = pieces

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            yield piece

    async def aclose(self) -> None:
        pass


class Chunks(Responder):
    def __init__(self) -> None:
        self.sizes: list[int] = []

    def on_audio(self, conn: ScriptedConnection, pcm: bytes) -> tuple[()]:
        self.sizes.append(len(pcm))
        return ()


def stream(pieces: list[bytes]) -> tuple[bytes, list[int]]:
    chunks = Chunks()
    total = sum(len(p) for p in pieces)
    backend = ScriptedBackend([Await(audio_bytes=total - total % 2, audio_end=True),
                               TurnComplete()], responder=lambda: chunks)

    async def main() -> None:
        async with LiveSession(backend, SessionConfig(chunk_ms=20),
                               source=Pieces(pieces)) as session:
            async for event in session:
                if isinstance(event, TurnComplete):
                    break

    anyio.run(main)
    return bytes(backend.connections[0].audio), chunks.sizes


def numbered(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


def test_whole_chunks_go_straight_through() -> None:
    data = numbered(640 * 5)
    received, sizes = stream([data[i:i + 640] for i in range(0, len(data), 640)])
    assert received == data
    assert sizes == [640] * 5


def test_odd_pieces_between_whole_chunks_keep_their_order() -> None:
    data = numbered(640 + 301 + 640 + 339 + 640 + 640)
    cuts = [0, 640, 941, 1581, 1920, 2560, 3200]
    received, sizes = stream([data[a:b] for a, b in pairwise(cuts)])
    assert received == data
    assert all(size == 640 for size in sizes)
