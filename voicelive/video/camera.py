"""Frames from a camera, read with OpenCV (the ``camera`` extra).

A camera produces frames at its own pace (often 30 per second) whether anyone reads them or
not, and drivers queue them, so reading only when a frame is wanted would send stale
pictures. A reader thread therefore takes every frame and offers it to the
:class:`~voicelive.video.pipeline.FramePipeline`; the newest frame wins the next slot of the
rate limit, and the replaced ones are counted (``dropped_rate`` while waiting for the rate
limit, ``dropped_backpressure`` while the session was still sending the previous frame).
"""

from __future__ import annotations

import logging
import threading
import time
from types import ModuleType
from typing import Any, Self

import anyio
import anyio.to_thread
import numpy as np

from voicelive._extras import require
from voicelive.exceptions import ClosedError, FrameError, UsageError
from voicelive.video.base import Clock, Sleep
from voicelive.video.imaging import RawFrame
from voicelive.video.pipeline import FramePipeline, FrameSettings, FrameStats

__all__ = ["CameraSource"]

log = logging.getLogger(__name__)

_RETRY_S = 0.05
"""Pause of the reader thread after a failed read, before it tries again."""

_JOIN_S = 5.0
"""How long closing waits for the reader thread to finish its current read."""


def _bgr_to_rgb(frame: np.ndarray[Any, Any]) -> RawFrame:
    """OpenCV frames are BGR(A) or gray; frames in the pipeline are RGB(A) or gray."""
    if frame.ndim == 3 and frame.shape[2] == 3:
        return frame[..., ::-1]
    if frame.ndim == 3 and frame.shape[2] == 4:
        return frame[..., [2, 1, 0, 3]]
    return frame


class CameraSource:
    """Frames from a camera (``cv2.VideoCapture``), newest first, paced by the settings.

    OpenCV is imported when the source is created; the camera is opened on the first
    iteration and released by :meth:`aclose`.

    Args:
        index: The camera number OpenCV opens (``0`` is the default camera).
        settings: Frame size, quality, rate and dedupe settings.
        clock: Time source for the rate limit (tests inject a fake one).
        sleep: How to wait (paired with ``clock``).
        max_failures: Consecutive failed reads after which the camera counts as lost.

    Raises:
        MissingExtraError: OpenCV is not installed (``pip install "voicelive[camera]"``).
        UsageError: ``index`` is negative or ``max_failures`` is below 1.

    Iteration raises :class:`~voicelive.exceptions.FrameError` when the camera cannot be
    opened or stops delivering frames.
    """

    def __init__(
        self,
        index: int = 0,
        *,
        settings: FrameSettings | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        max_failures: int = 20,
    ) -> None:
        if index < 0:
            raise UsageError(f"camera index must be 0 or more, got {index}")
        if max_failures < 1:
            raise UsageError(f"max_failures must be at least 1, got {max_failures}")
        self._cv2: ModuleType = require("cv2", extra="camera", feature="CameraSource")
        self.index = index
        self.max_failures = max_failures
        self.pipeline = FramePipeline(settings)
        self._clock: Clock = clock or time.monotonic
        self._sleep: Sleep = sleep or anyio.sleep
        self._device: Any = None
        self._reader: threading.Thread | None = None
        self._stop = threading.Event()
        self._error: FrameError | None = None
        self._closed = False

    @property
    def settings(self) -> FrameSettings:
        """The frame settings in use."""
        return self.pipeline.settings

    @property
    def stats(self) -> FrameStats:
        """Counters of captured, sent and dropped frames."""
        return self.pipeline.stats

    # --- iteration (async: waits and moves bytes) ----------------------------------------

    def __aiter__(self) -> Self:
        if self._closed:
            raise ClosedError("CameraSource is closed")
        return self

    async def __anext__(self) -> bytes:
        if self._device is None and not self._closed:
            await self._start()
        self.pipeline.done()
        idle = min(0.02, 1.0 / self.settings.fps)
        while True:
            if self._closed:
                raise StopAsyncIteration
            if self._error is not None:
                raise self._error
            wait = self.pipeline.wait_time(self._clock())
            if wait > 0:
                await self._sleep(wait)
            elif not self.pipeline.has_pending:
                await self._sleep(idle)  # the reader thread has not delivered a frame yet
            else:
                jpeg = await anyio.to_thread.run_sync(self.pipeline.take, self._clock())
                if jpeg is not None:
                    return jpeg

    async def _start(self) -> None:
        self._device = await anyio.to_thread.run_sync(self._open)
        self._reader = threading.Thread(
            target=self._read_frames, name=f"voicelive-camera-{self.index}", daemon=True
        )
        self._reader.start()

    # --- the device (sync, worker threads) -----------------------------------------------

    def _open(self) -> Any:
        device = self._cv2.VideoCapture(self.index)
        if not device.isOpened():
            device.release()
            raise FrameError(
                f"camera {self.index} cannot be opened: there is no such camera, or another "
                f"program uses it, or access is not permitted (OpenCV could not open it)"
            )
        return device

    def _read_frames(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                ok, frame = self._device.read()
            except Exception as exc:  # cv2.error and friends end the stream as a FrameError
                self._error = FrameError(f"camera {self.index} failed: {exc}")
                return
            if not ok or frame is None:
                failures += 1
                if failures >= self.max_failures:
                    self._error = FrameError(
                        f"camera {self.index} stopped delivering frames "
                        f"({failures} failed reads in a row)"
                    )
                    return
                self._stop.wait(_RETRY_S)
                continue
            failures = 0
            self.pipeline.offer(_bgr_to_rgb(np.asarray(frame)))

    def _release(self) -> None:
        self._stop.set()
        if self._reader is not None:
            self._reader.join(timeout=_JOIN_S)
            if self._reader.is_alive():  # a driver stuck in read(): release it anyway
                log.warning("camera %d: reader thread did not stop in %.0f s", self.index,
                            _JOIN_S)
        if self._device is not None:
            self._device.release()
            log.debug("camera %d released", self.index)

    async def aclose(self) -> None:
        """Stop the reader thread and release the camera. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        await anyio.to_thread.run_sync(self._release)
