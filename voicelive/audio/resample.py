"""Streaming sample-rate conversion (soxr) and channel down-mixing for PCM16."""

from __future__ import annotations

import numpy as np
import soxr

from voicelive.audio.format import AudioFormat
from voicelive.exceptions import AudioFormatError

__all__ = ["StreamResampler", "resample_once", "to_mono"]


def to_mono(pcm: bytes, channels: int) -> bytes:
    """Average interleaved PCM16 channels into one."""
    if channels == 1:
        return pcm
    samples = np.frombuffer(pcm, dtype="<i2")
    if samples.size % channels:
        raise AudioFormatError(f"{samples.size} samples do not split into {channels} channels")
    mixed = samples.reshape(-1, channels).astype(np.int32).sum(axis=1) // channels
    return bytes(mixed.astype("<i2").tobytes())


class StreamResampler:
    """Converts a PCM16 stream from one format to mono at another rate, chunk by chunk.

    The filter state is kept across chunks, so cutting the input anywhere gives the same
    output (to within rounding) as converting it in one piece: no clicks at chunk boundaries.
    Call :meth:`flush` at the end of the stream to get the filter's tail.
    """

    def __init__(self, source: AudioFormat, out_rate: int, *, quality: str = "HQ") -> None:
        self.source = source
        self.out_rate = out_rate
        self._passthrough = source.sample_rate == out_rate
        self._carry = b""
        self._stream = (
            None
            if self._passthrough
            else soxr.ResampleStream(source.sample_rate, out_rate, 1, dtype="int16",
                                     quality=quality)
        )

    @property
    def pending(self) -> int:
        """Bytes of a partial frame carried to the next :meth:`process`."""
        return len(self._carry)

    @property
    def output_format(self) -> AudioFormat:
        """The format of what :meth:`process` returns."""
        return AudioFormat(self.out_rate)

    def process(self, chunk: bytes) -> bytes:
        """Convert one chunk; a trailing partial frame is carried to the next call."""
        if self._passthrough and self.source.channels == 1 and not self._carry and (
            not len(chunk) % 2
        ):
            return bytes(chunk)  # the common case, per chunk: nothing to convert
        data = self._carry + chunk
        usable = len(data) - len(data) % self.source.frame_size
        self._carry = data[usable:]
        mono = to_mono(data[:usable], self.source.channels)
        if self._stream is None:
            return mono
        samples = np.frombuffer(mono, dtype="<i2")
        return bytes(self._stream.resample_chunk(samples, last=False).astype("<i2").tobytes())

    def flush(self) -> bytes:
        """Return the filter's remaining output at the end of the stream."""
        if self._carry:
            raise AudioFormatError(
                f"stream ended with {len(self._carry)} stray byte(s): not whole PCM16 frames"
            )
        if self._stream is None:
            return b""
        tail = self._stream.resample_chunk(np.zeros(0, dtype="<i2"), last=True)
        return bytes(tail.astype("<i2").tobytes())


def resample_once(pcm: bytes, source: AudioFormat, out_rate: int) -> bytes:
    """Convert a whole PCM16 buffer to mono ``out_rate`` in one call."""
    source.check(pcm)
    rs = StreamResampler(source, out_rate)
    return rs.process(pcm) + rs.flush()
