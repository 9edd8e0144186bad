"""G.711 mu-law in NumPy against the reference algorithm and its known values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicelive.audio.mulaw import mulaw_to_pcm16, pcm16_to_mulaw
from voicelive.exceptions import AudioFormatError


def reference_encode(sample: int) -> int:
    """G.711 mu-law of one sample, written out bit by bit (the ITU-T reference's steps)."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 0x84
    exponent = 7
    for exp in range(8):
        if magnitude < (0x100 << exp):
            exponent = exp
            break
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def pcm(*samples: int) -> bytes:
    return np.array(samples, dtype="<i2").tobytes()


def test_known_values() -> None:
    assert pcm16_to_mulaw(pcm(0, -1, 32767, -32768)) == bytes([0xFF, 0x7F, 0x80, 0x00])
    assert np.frombuffer(mulaw_to_pcm16(bytes([0xFF, 0x80, 0x00])), "<i2").tolist() == [
        0, 32124, -32124]


def test_every_sample_matches_the_reference() -> None:
    samples = np.arange(-32768, 32768, 7, dtype=np.int32)
    ours = pcm16_to_mulaw(samples.astype("<i2").tobytes())
    assert list(ours) == [reference_encode(int(s)) for s in samples]


def test_every_code_survives_a_round_trip() -> None:
    codes = bytes(c for c in range(256) if c != 0x7F)  # 0x7F is negative zero: decodes to 0
    assert pcm16_to_mulaw(mulaw_to_pcm16(codes)) == codes


@given(st.lists(st.integers(-32768, 32767), max_size=200))
def test_round_trip_error_is_within_one_step(samples: list[int]) -> None:
    back = np.frombuffer(mulaw_to_pcm16(pcm16_to_mulaw(pcm(*samples))), "<i2").astype(int)
    for x, y in zip(samples, back.tolist(), strict=True):
        step = max(8, 2 ** (int(np.log2(min(abs(x), 32635) + 0x84)) - 4))
        assert abs(x - y) <= step


def test_odd_bytes_are_refused() -> None:
    with pytest.raises(AudioFormatError, match="whole PCM16"):
        pcm16_to_mulaw(b"\x00\x01\x02")
