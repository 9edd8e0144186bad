"""A generated test pattern: deterministic frames that differ from one another."""

from __future__ import annotations

import numpy as np

from voicelive.exceptions import UsageError
from voicelive.video.base import Clock, PulledFrameSource, Sleep
from voicelive.video.imaging import RawFrame
from voicelive.video.pipeline import FrameSettings

__all__ = ["TestPatternSource"]

_BITS = 24
"""Frame numbers are drawn as this many black or white blocks along the bottom."""


def pattern_frame(width: int, height: int, index: int) -> np.ndarray[tuple[int, int, int],
                                                                    np.dtype[np.uint8]]:
    """Draw frame ``index`` of the pattern as an ``height x width x 3`` RGB array.

    The frame is a colour gradient with a white square that moves with ``index`` and a strip
    of blocks along the bottom that spells ``index`` in binary, so two frames with different
    indexes (below ``2**24``) always differ, even after downscaling.
    """
    x = np.linspace(0, 255, width, dtype=np.float32)
    y = np.linspace(0, 255, height, dtype=np.float32)
    frame = np.empty((height, width, 3), dtype=np.uint8)
    frame[..., 0] = x[np.newaxis, :].astype(np.uint8)
    frame[..., 1] = y[:, np.newaxis].astype(np.uint8)
    frame[..., 2] = (index * 37) % 256
    side = max(2, min(width, height) // 5)
    span_x, span_y = max(1, width - side), max(1, height - side)
    left, top = (index * 13) % span_x, (index * 7) % span_y
    frame[top:top + side, left:left + side] = 255
    strip = max(2, height // 8)
    edges = np.linspace(0, width, _BITS + 1).round().astype(int)
    for bit in range(_BITS):
        value = 255 if (index >> bit) & 1 else 0
        frame[height - strip:, edges[bit]:edges[bit + 1]] = value
    return frame


class TestPatternSource(PulledFrameSource):
    """Generated frames for demos and tests: each one differs, so dedupe never drops one.

    The pattern depends only on the size and the frame number, so runs are reproducible.

    Args:
        width: Frame width in pixels (at least 32).
        height: Frame height in pixels (at least 16).
        settings: Frame size, quality, rate and dedupe settings.
        count: Stop after this many frames; ``None`` runs until closed.
        clock: Time source for the rate limit (tests inject a fake one).
        sleep: How to wait for the next slot (paired with ``clock``).

    Raises:
        UsageError: The size or count is out of range.
    """

    __test__ = False  # not a pytest test class despite the name

    def __init__(
        self,
        width: int = 640,
        height: int = 480,
        *,
        settings: FrameSettings | None = None,
        count: int | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        if width < 32 or height < 16:
            raise UsageError(f"a test pattern needs at least 32x16 pixels, got {width}x{height}")
        if count is not None and count < 0:
            raise UsageError(f"count must be at least 0, got {count}")
        super().__init__(settings, clock=clock, sleep=sleep)
        self.width = width
        self.height = height
        self.count = count
        self._index = 0

    def _capture(self) -> RawFrame | None:
        if self.count is not None and self._index >= self.count:
            return None
        frame = pattern_frame(self.width, self.height, self._index)
        self._index += 1
        return frame
