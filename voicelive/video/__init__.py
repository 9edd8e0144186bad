"""Video: frame sources (camera, screen, images, test pattern) for visual context beside the voice.

Every source is a :class:`FrameSource`: an async iterator of JPEG bytes that passes its frames
through a :class:`FramePipeline` (resize so the longer side is at most ``max_side``, JPEG at
``jpeg_quality``, at most ``fps`` frames per second, identical frames skipped, newest frame
wins). ``CameraSource`` needs the ``camera`` extra (OpenCV), ``ScreenSource`` the ``screen``
extra (mss); both import them only when created.
"""

from voicelive.video.camera import CameraSource
from voicelive.video.files import ImageFolderSource
from voicelive.video.pattern import TestPatternSource
from voicelive.video.pipeline import FramePipeline, FrameSettings, FrameStats
from voicelive.video.protocols import FrameSource
from voicelive.video.screen import ScreenSource

__all__ = [
    "CameraSource",
    "FramePipeline",
    "FrameSettings",
    "FrameSource",
    "FrameStats",
    "ImageFolderSource",
    "ScreenSource",
    "TestPatternSource",
]
