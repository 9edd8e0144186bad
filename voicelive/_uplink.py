"""The session's upward paths: the user's audio and frames, to the backend (private).

Audio from any source is resampled to 16 kHz mono and cut into chunks of the configured size;
each chunk is shown to the :class:`~voicelive.turns.TurnTracker`, which says whether it is
sent (input is gated while a blocking tool runs; gated chunks are counted there) and starts the
latency clock on the first loud chunk. The usual source already gives 16 kHz mono chunks of
the right size: those go straight through, without a call into the resampler or the chunker
(this loop runs for every chunk; see docs/benchmarks.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from voicelive.audio.chunker import Chunker
from voicelive.audio.format import PCM16_16K
from voicelive.audio.protocols import AudioSource
from voicelive.audio.resample import StreamResampler
from voicelive.backends.base import INPUT_RATE, BackendConnection
from voicelive.exceptions import FrameError
from voicelive.turns import TurnTracker
from voicelive.video.protocols import FrameSource

__all__ = ["is_voiced", "pump_audio", "pump_frames"]

_QUIET_HIGH_BYTES = bytes((0x00, 0x01, 0xFE, 0xFF))
"""High bytes of the PCM16 samples between -512 and 511."""


def is_voiced(chunk: bytes) -> bool:
    """Whether the chunk is loud enough to count as speech for the latency clock.

    This runs for every input chunk, so it does no arithmetic per sample: it counts the samples
    of magnitude 512 or more by their high byte (two C-level byte operations, under a
    microsecond for 20 ms), and calls the chunk voiced when more than one in sixteen is. For
    noise-like signals that is about the same line as an RMS of 300 (-41 dBFS).
    """
    high = chunk[1::2]
    return len(high.translate(None, _QUIET_HIGH_BYTES)) * 16 > len(high) > 0


async def pump_audio(source: AudioSource, conn: BackendConnection, tracker: TurnTracker,
                     chunk_ms: int) -> None:
    """Send the source's audio to the backend until it ends, then end the backend's input."""
    resampler = StreamResampler(source.format, INPUT_RATE)
    chunker = Chunker(PCM16_16K, chunk_ms)
    direct = source.format == PCM16_16K  # and nothing held back in either
    size = chunker.chunk_bytes
    on_input = tracker.on_input
    send = conn.send_audio

    async def send_chunk(chunk: bytes) -> None:
        if on_input(voiced=is_voiced(chunk), now=time.monotonic()):
            await send(chunk)

    async for raw in source:
        if direct and len(raw) == size:
            voiced = is_voiced(raw)
            if on_input(voiced=voiced, now=time.monotonic() if voiced else 0.0):
                await send(raw)
            continue
        for chunk in chunker.feed(resampler.process(raw)):
            await send_chunk(chunk)
        direct = source.format == PCM16_16K and not (chunker.pending or resampler.pending)
    for chunk in chunker.feed(resampler.flush()):
        await send_chunk(chunk)
    rest = chunker.flush()
    if rest:
        await send_chunk(rest)
    await conn.end_audio()


async def pump_frames(frames: FrameSource, conn: BackendConnection, tracker: TurnTracker,
                      on_error: Callable[[FrameError], None]) -> None:
    """Send the frames the tracker lets through; a broken frame source stops only the frames.

    Frames are context, not the conversation: a :class:`~voicelive.exceptions.FrameError` is
    handed to ``on_error`` (the session reports it) and the conversation goes on.
    """
    try:
        async for jpeg in frames:
            if tracker.on_frame():
                await conn.send_frame(jpeg)
    except FrameError as exc:
        on_error(exc)
