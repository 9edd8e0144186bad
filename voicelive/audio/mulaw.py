"""G.711 mu-law <-> PCM16 in NumPy (telephone audio: 8 kHz, one byte per sample).

Python 3.13 removed ``audioop``, so the two conversions are done here with lookup tables: 256
entries to decode, 65,536 to encode (one byte per possible 16-bit sample). The tables are built
on first use, not on import. The encoder follows the ITU-T G.711 reference (bias 0x84, clip at
32,635, bits inverted on the wire), so ``decode(encode(x))`` is within one quantisation step of
``x`` and ``encode(decode(b)) == b`` for every byte except ``0x7F`` (negative zero, which the
reference encoder never produces and decodes to the same silence as ``0xFF``).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from voicelive.audio.format import AudioFormat
from voicelive.exceptions import AudioFormatError

__all__ = ["MULAW_RATE", "PCM16_8K", "mulaw_to_pcm16", "pcm16_to_mulaw"]

MULAW_RATE = 8000
"""Sample rate of telephone audio (Twilio Media Streams)."""

PCM16_8K = AudioFormat(MULAW_RATE)
"""PCM16 mono at 8 kHz: what mu-law decodes to."""

_BIAS = 0x84
_CLIP = 32635


@functools.cache
def _decode_table() -> npt.NDArray[np.int16]:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    exponent = (codes >> 4) & 0x07
    mantissa = codes & 0x0F
    magnitude = (((mantissa << 3) + _BIAS) << exponent) - _BIAS
    return np.where(codes & 0x80, -magnitude, magnitude).astype(np.int16)


@functools.cache
def _encode_table() -> npt.NDArray[np.uint8]:
    samples = np.arange(-32768, 32768, dtype=np.int32)
    sign = np.where(samples < 0, 0x80, 0x00)
    magnitude = np.minimum(np.abs(samples), _CLIP) + _BIAS
    # the position of the highest set bit above bit 7 is the segment (0..7)
    exponent = np.floor(np.log2(magnitude)).astype(np.int32) - 7
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    codes = ~(sign | (exponent << 4) | mantissa) & 0xFF
    table = np.empty(65536, dtype=np.uint8)
    table[samples.astype(np.uint16)] = codes.astype(np.uint8)  # index by the sample's bits
    return table


def mulaw_to_pcm16(data: bytes) -> bytes:
    """Decode mu-law bytes to PCM16 little-endian (one sample per byte, same rate).

    Args:
        data: mu-law encoded audio.

    Returns:
        PCM16 little-endian samples, twice as many bytes.
    """
    codes = np.frombuffer(data, dtype=np.uint8)
    return bytes(_decode_table()[codes].astype("<i2").tobytes())


def pcm16_to_mulaw(pcm: bytes) -> bytes:
    """Encode PCM16 little-endian samples as mu-law bytes (same rate).

    Args:
        pcm: PCM16 little-endian mono samples (an even number of bytes).

    Returns:
        One mu-law byte per sample.

    Raises:
        AudioFormatError: ``pcm`` is not whole 16-bit samples.
    """
    if len(pcm) % 2:
        raise AudioFormatError(f"{len(pcm)} bytes are not whole PCM16 samples")
    samples = np.frombuffer(pcm, dtype="<u2")
    return bytes(_encode_table()[samples].tobytes())
