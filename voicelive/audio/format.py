"""AudioFormat: what a stream of PCM bytes means."""

from __future__ import annotations

from dataclasses import dataclass

from voicelive.exceptions import AudioFormatError

__all__ = ["PCM16_16K", "PCM16_24K", "AudioFormat"]


@dataclass(frozen=True, slots=True)
class AudioFormat:
    """Sample rate, channel count and sample width of interleaved little-endian PCM.

    Attributes:
        sample_rate: Samples per second per channel.
        channels: Interleaved channels (1 = mono).
        sample_width: Bytes per sample; 2 is PCM16, the wire format.
    """

    sample_rate: int
    channels: int = 1
    sample_width: int = 2

    def __post_init__(self) -> None:
        if not 1000 <= self.sample_rate <= 384000:
            raise AudioFormatError(f"sample rate {self.sample_rate} Hz is out of range")
        if self.channels not in (1, 2):
            raise AudioFormatError(f"{self.channels} channels are not supported (1 or 2)")
        if self.sample_width != 2:
            raise AudioFormatError(
                f"sample width {self.sample_width} bytes is not supported; only PCM16 (2 bytes)"
            )

    @property
    def frame_size(self) -> int:
        """Bytes per frame (one sample of every channel)."""
        return self.channels * self.sample_width

    @property
    def bytes_per_second(self) -> int:
        """Bytes of one second of audio."""
        return self.sample_rate * self.frame_size

    def bytes_for(self, ms: float) -> int:
        """Whole frames' worth of bytes for ``ms`` milliseconds."""
        return int(self.sample_rate * ms / 1000) * self.frame_size

    def duration_ms(self, nbytes: int) -> float:
        """Duration in milliseconds of ``nbytes`` of audio."""
        return nbytes * 1000.0 / self.bytes_per_second

    def check(self, data: bytes) -> None:
        """Raise :class:`AudioFormatError` unless ``data`` is a whole number of frames."""
        if len(data) % self.frame_size:
            raise AudioFormatError(
                f"chunk of {len(data)} bytes is not a whole number of {self.frame_size}-byte "
                f"frames (odd-length or misaligned PCM16)"
            )


PCM16_16K = AudioFormat(16000)
"""Mono PCM16 at 16 kHz: audio towards the model."""

PCM16_24K = AudioFormat(24000)
"""Mono PCM16 at 24 kHz: audio from the model."""
