"""The frame pipeline: settings, counters, and the path from a captured frame to JPEG bytes.

:class:`FramePipeline` joins the pieces: a :class:`~voicelive.video.schedule.FrameScheduler`
decides *when* a frame may go out (rate limit, newest wins), :mod:`voicelive.video.imaging`
does the pixel work (resize, JPEG) and a digest of the resized pixels skips frames identical to
the previous one. It is synchronous and thread-safe: a capture thread may offer frames while
the async side takes them.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from voicelive.exceptions import ConfigError
from voicelive.video.imaging import RawFrame, digest, encode_jpeg, prepare
from voicelive.video.schedule import FrameScheduler

__all__ = ["FramePipeline", "FrameSettings", "FrameStats"]


@dataclass(frozen=True, slots=True)
class FrameSettings:
    """How frames are shaped and paced before they are sent.

    Attributes:
        max_side: The longer side of a sent frame is at most this many pixels (frames are
            never upscaled; the aspect ratio is kept).
        jpeg_quality: JPEG quality, 1 (smallest) to 95 (best).
        fps: The most frames sent per second (Gemini Live takes about one per second).
        skip_identical: Do not send a frame whose resized pixels equal the previous frame's.

    Raises:
        ConfigError: A value is out of range.
    """

    max_side: int = 1024
    jpeg_quality: int = 80
    fps: float = 1.0
    skip_identical: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.max_side, int) or not 16 <= self.max_side <= 8192:
            raise ConfigError(f"max_side must be an int from 16 to 8192, got {self.max_side!r}")
        if not isinstance(self.jpeg_quality, int) or not 1 <= self.jpeg_quality <= 95:
            raise ConfigError(f"jpeg_quality must be an int from 1 to 95, got "
                              f"{self.jpeg_quality!r}")
        if not isinstance(self.fps, int | float) or not (math.isfinite(self.fps)
                                                         and 0 < self.fps <= 60):
            raise ConfigError(f"fps must be above 0 and at most 60, got {self.fps!r}")


@dataclass(frozen=True, slots=True)
class FrameStats:
    """What happened to the frames a source captured.

    Every captured frame ends in one bucket (or is still pending), so
    ``produced == sent + dropped_rate + dropped_identical + dropped_backpressure + pending``.

    Attributes:
        produced: Frames captured.
        sent: Frames encoded and handed on as JPEG.
        dropped_rate: Frames replaced by a newer one while waiting for the rate limit.
        dropped_identical: Frames skipped because they equalled the previous frame.
        dropped_backpressure: Frames replaced by a newer one while the consumer was busy.
        pending: Frames waiting to go out (0 or 1).
        unreadable: Images a source could not read and skipped (image folders).
    """

    produced: int = 0
    sent: int = 0
    dropped_rate: int = 0
    dropped_identical: int = 0
    dropped_backpressure: int = 0
    pending: int = 0
    unreadable: int = 0


class FramePipeline:
    """Turns captured frames into paced, deduplicated, resized JPEG frames.

    Producers call :meth:`offer`; the consumer calls :meth:`take` when :meth:`wait_time` is
    zero, and :meth:`done` when it is ready for the next frame. All methods take the current
    time from the caller, so tests drive the pipeline with a fake clock.

    Args:
        settings: Size, quality, rate and dedupe settings; defaults when ``None``.
    """

    def __init__(self, settings: FrameSettings | None = None) -> None:
        self.settings = settings or FrameSettings()
        self._lock = threading.Lock()
        self._scheduler: FrameScheduler[RawFrame] = FrameScheduler(self.settings.fps)
        self._last_digest: bytes | None = None
        self._sent = 0
        self._identical = 0
        self._unreadable = 0

    @property
    def stats(self) -> FrameStats:
        """A snapshot of the counters."""
        with self._lock:
            s = self._scheduler
            return FrameStats(
                produced=s.produced, sent=self._sent, dropped_rate=s.dropped_rate,
                dropped_identical=self._identical, dropped_backpressure=s.dropped_backpressure,
                pending=int(s.has_pending), unreadable=self._unreadable,
            )

    @property
    def has_pending(self) -> bool:
        """Whether a captured frame waits to go out."""
        with self._lock:
            return self._scheduler.has_pending

    def offer(self, frame: RawFrame) -> None:
        """Hand in a captured frame; it replaces (and counts) any frame still pending."""
        with self._lock:
            self._scheduler.offer(frame)

    def count_unreadable(self) -> None:
        """Count an input the source could not read (it produced no frame)."""
        with self._lock:
            self._unreadable += 1

    def wait_time(self, now: float) -> float:
        """Seconds until the rate limit lets the next frame out (0.0 if it would now)."""
        with self._lock:
            return self._scheduler.wait_time(now)

    def take(self, now: float) -> bytes | None:
        """Encode and return the newest pending frame, if the rate limit allows it at ``now``.

        A frame whose resized pixels equal the previous frame's is counted and skipped (when
        ``skip_identical``); it still uses up its slot of the rate limit, so a still scene
        is not captured faster than ``fps``.

        Returns:
            JPEG bytes, or ``None`` when there is nothing to send now.
        """
        with self._lock:
            frame = self._scheduler.take(now)
        if frame is None:
            return None
        image = prepare(frame, self.settings.max_side)
        if self.settings.skip_identical:
            fingerprint = digest(image)
            with self._lock:
                same = fingerprint == self._last_digest
                self._last_digest = fingerprint
                if same:
                    self._identical += 1
                    self._scheduler.done()
            if same:
                return None
        jpeg = encode_jpeg(image, self.settings.jpeg_quality)
        with self._lock:
            self._sent += 1
        return jpeg

    def done(self) -> None:
        """The consumer is ready for the next frame (it is no longer busy with the last)."""
        with self._lock:
            self._scheduler.done()

    def process(self, frame: RawFrame, now: float) -> bytes | None:
        """Offer a frame captured on demand and take it at once (sources that pull frames).

        Returns:
            JPEG bytes, or ``None`` when the rate limit or dedupe held the frame back.
        """
        with self._lock:
            self._scheduler.done()
        self.offer(frame)
        return self.take(now)
