"""Video: frame sources (camera, screen, images) for visual context beside the voice."""

from voicelive.video.protocols import FrameSource

__all__ = ["FrameSource"]
