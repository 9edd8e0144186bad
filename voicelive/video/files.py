"""Frames from image files: a folder, one file, or a list of files, played once or looped.

An image that cannot be read does not stop the stream: the source records a
:class:`~voicelive.exceptions.FrameError` naming the file in :attr:`ImageFolderSource.errors`,
counts it in ``stats.unreadable``, logs a warning and goes on with the next image. Only when no
image at all can be read does iteration raise :class:`~voicelive.exceptions.FrameError`
(LiveSession then reports a ``frame_error`` and the conversation goes on without frames).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from voicelive.exceptions import FrameError
from voicelive.video.base import Clock, PulledFrameSource, Sleep
from voicelive.video.imaging import RawFrame
from voicelive.video.pipeline import FrameSettings

__all__ = ["IMAGE_SUFFIXES", "ImageFolderSource", "read_image"]

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".bmp", ".gif", ".jpeg", ".jpg", ".png", ".tif", ".tiff", ".webp"})
"""File name endings a folder is scanned for (compared in lower case)."""

StrPath = str | os.PathLike[str]


def read_image(path: Path) -> Image.Image:
    """Read an image file fully, upright (EXIF orientation applied).

    Raises:
        FrameError: The file is missing, not an image, truncated or absurdly large; the
            message names the file.
    """
    try:
        with Image.open(path) as opened:
            opened.load()
            image = ImageOps.exif_transpose(opened)
            image.load()
            return image
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError,
            Image.DecompressionBombError) as exc:
        raise FrameError(f"cannot read image {path}: {exc}") from exc


def _list_images(path_or_paths: StrPath | Sequence[StrPath]) -> list[Path]:
    if isinstance(path_or_paths, str | os.PathLike):
        path = Path(path_or_paths)
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
            if not found:
                suffixes = ", ".join(sorted(IMAGE_SUFFIXES))
                raise FrameError(f"no image files ({suffixes}) in folder {path}")
            return found
        if not path.exists():
            raise FrameError(f"no such image file or folder: {path}")
        return [path]
    paths = [Path(p) for p in path_or_paths]
    if not paths:
        raise FrameError("the list of image files is empty")
    return paths


class ImageFolderSource(PulledFrameSource):
    """Frames read from image files, in name order for a folder.

    Args:
        path_or_paths: A folder (its image files, sorted by name), one image file, or a
            list of image files (in the given order).
        loop: Start again after the last image; otherwise the stream ends there.
        settings: Frame size, quality, rate and dedupe settings.
        clock: Time source for the rate limit (tests inject a fake one).
        sleep: How to wait for the next slot (paired with ``clock``).

    Attributes:
        paths: The image files, in play order.
        errors: One :class:`FrameError` per unreadable image met so far (in order).

    Raises:
        FrameError: The folder holds no image file, the path does not exist, or the list
            is empty.
    """

    def __init__(
        self,
        path_or_paths: StrPath | Sequence[StrPath],
        *,
        loop: bool = False,
        settings: FrameSettings | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        super().__init__(settings, clock=clock, sleep=sleep)
        self.paths = _list_images(path_or_paths)
        self.loop = loop
        self.errors: list[FrameError] = []
        self._position = 0
        self._read_this_pass = 0

    def _capture(self) -> RawFrame | None:
        while True:
            if self._position >= len(self.paths):
                if self._read_this_pass == 0:
                    last = f"; last error: {self.errors[-1]}" if self.errors else ""
                    raise FrameError(
                        f"none of the {len(self.paths)} image files can be read{last}"
                    )
                if not self.loop:
                    return None
                self._position = 0
                self._read_this_pass = 0
            path = self.paths[self._position]
            self._position += 1
            try:
                image = read_image(path)
            except FrameError as exc:
                self.errors.append(exc)
                self.pipeline.count_unreadable()
                log.warning("skipping unreadable frame image: %s", exc)
                continue
            self._read_this_pass += 1
            return image
