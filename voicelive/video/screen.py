"""Frames from the screen, grabbed with ``mss`` (the ``screen`` extra)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from PIL import Image

from voicelive._extras import require
from voicelive.exceptions import FrameError, UsageError
from voicelive.video.base import Clock, PulledFrameSource, Sleep
from voicelive.video.imaging import RawFrame
from voicelive.video.pipeline import FrameSettings

__all__ = ["ScreenSource"]


class ScreenSource(PulledFrameSource):
    """Screenshots of one monitor, taken when a frame may be sent.

    ``mss`` is imported when the source is created; each grab opens and closes its own
    ``mss`` handle inside the worker thread, because screen handles must stay on one thread.

    Args:
        monitor: ``1`` is the first monitor, ``2`` the second ...; ``0`` is all of them
            together (mss numbering).
        settings: Frame size, quality, rate and dedupe settings.
        clock: Time source for the rate limit (tests inject a fake one).
        sleep: How to wait for the next slot (paired with ``clock``).

    Raises:
        MissingExtraError: ``mss`` is not installed (``pip install "voicelive[screen]"``).
        UsageError: ``monitor`` is negative.

    Iteration raises :class:`~voicelive.exceptions.FrameError` when the screen cannot be
    grabbed (no display, a monitor that does not exist).
    """

    def __init__(
        self,
        monitor: int = 1,
        *,
        settings: FrameSettings | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        if monitor < 0:
            raise UsageError(f"monitor must be 0 (all) or a 1-based monitor number, got {monitor}")
        self._mss: ModuleType = require("mss", extra="screen", feature="ScreenSource")
        super().__init__(settings, clock=clock, sleep=sleep)
        self.monitor = monitor

    def _capture(self) -> RawFrame | None:
        try:
            factory = getattr(self._mss, "MSS", None) or self._mss.mss  # MSS since mss 10
            with factory() as grabber:
                monitors: list[dict[str, Any]] = list(grabber.monitors)
                if self.monitor >= len(monitors):
                    raise FrameError(
                        f"monitor {self.monitor} does not exist; this screen has "
                        f"{len(monitors) - 1} monitor(s) (0 means all of them)"
                    )
                shot = grabber.grab(monitors[self.monitor])
                width, height = shot.size
                return Image.frombytes("RGB", (width, height), shot.rgb)
        except FrameError:
            raise
        except Exception as exc:  # mss raises ScreenShotError and OS errors of its platform
            raise FrameError(f"cannot grab the screen (monitor {self.monitor}): {exc}") from exc
