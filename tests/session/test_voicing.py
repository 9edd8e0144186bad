"""The per-chunk voice check LiveSession uses to time the end of the user's speech."""

from __future__ import annotations

import struct

from voicelive.session import _is_voiced


def square(amplitude: int, n: int = 640) -> bytes:
    return struct.pack(f"<{n}h", *((amplitude if i % 2 else -amplitude) for i in range(n)))


def test_voicing_is_an_rms_threshold_of_300() -> None:
    assert not _is_voiced(b"")
    assert not _is_voiced(bytes(1280))
    assert not _is_voiced(square(300))  # RMS exactly 300 is not above it
    assert _is_voiced(square(301))
    assert _is_voiced(square(32767))  # no overflow at full scale
    assert _is_voiced(struct.pack("<640h", *([-32768] * 640)))
