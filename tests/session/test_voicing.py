"""The per-chunk voice check LiveSession uses to time the end of the user's speech."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from voicelive._uplink import is_voiced as _is_voiced


def square(amplitude: int, n: int = 640) -> bytes:
    return struct.pack(f"<{n}h", *((amplitude if i % 2 else -amplitude) for i in range(n)))


def test_silence_and_quiet_tones_are_not_voice() -> None:
    assert not _is_voiced(b"")
    assert not _is_voiced(b"\x00")  # a stray byte holds no sample
    assert not _is_voiced(bytes(1280))
    assert not _is_voiced(square(511))  # every sample just under the 512 line


def test_loud_samples_are_voice_at_any_sign_up_to_full_scale() -> None:
    assert _is_voiced(square(512))
    assert _is_voiced(square(32767))
    assert _is_voiced(struct.pack("<640h", *([-32768] * 640)))
    assert _is_voiced(struct.pack("<640h", *([-513] * 640)))


def test_a_few_clicks_in_silence_are_not_voice() -> None:
    samples = [0] * 640
    for i in range(0, 640, 20):  # 32 loud samples of 640: one in twenty
        samples[i] = 20000
    assert not _is_voiced(struct.pack("<640h", *samples))


@pytest.mark.parametrize(("rms", "voiced"), [(100, False), (200, False), (400, True),
                                             (1000, True)])
def test_on_noise_it_follows_an_rms_line_near_300(rms: int, voiced: bool) -> None:
    rng = np.random.default_rng(rms)
    noise = (rng.standard_normal(320) * rms).clip(-32768, 32767).astype("<i2").tobytes()
    assert _is_voiced(noise) is voiced
