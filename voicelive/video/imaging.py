"""Image work for frames, with Pillow: resize geometry, colour conversion, JPEG, digests.

Everything here is synchronous and free of I/O, so it can run in a worker thread and be
tested directly.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

import numpy as np
from PIL import Image

from voicelive.exceptions import FrameError

__all__ = ["RawFrame", "digest", "encode_jpeg", "fit_size", "prepare", "to_image"]

RawFrame = Image.Image | np.ndarray[Any, Any]
"""What a source captures: a Pillow image, or an ``HxW`` / ``HxWx3`` / ``HxWx4`` uint8 array
in RGB(A) channel order."""


def fit_size(width: int, height: int, max_side: int) -> tuple[int, int]:
    """Return the size that fits ``width x height`` within ``max_side``, keeping the aspect.

    The longer side becomes ``max_side`` when it was longer than that; the shorter side is
    scaled by the same factor and rounded (at least 1 pixel). Images that already fit keep
    their size: frames are never upscaled.

    Args:
        width: Current width in pixels (positive).
        height: Current height in pixels (positive).
        max_side: The largest allowed side in pixels (positive).

    Raises:
        ValueError: A size is not positive.
    """
    if width <= 0 or height <= 0 or max_side <= 0:
        raise ValueError(f"sizes must be positive, got {width}x{height} within {max_side}")
    longer = max(width, height)
    if longer <= max_side:
        return width, height
    scale = max_side / longer
    if width >= height:
        return max_side, max(1, round(height * scale))
    return max(1, round(width * scale)), max_side


def to_image(frame: RawFrame) -> Image.Image:
    """Turn a captured frame into a Pillow image (arrays must be uint8 RGB, RGBA or gray).

    Raises:
        FrameError: The array has a shape or dtype that is not an image.
    """
    if isinstance(frame, Image.Image):
        return frame
    array = np.asarray(frame)
    if array.dtype != np.uint8:
        raise FrameError(f"frame arrays must be uint8, got {array.dtype}")
    if array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4)):
        return Image.fromarray(np.ascontiguousarray(array))  # L, RGB or RGBA by shape
    raise FrameError(f"frame arrays must be HxW, HxWx3 or HxWx4, got shape {array.shape}")


def prepare(frame: RawFrame, max_side: int) -> Image.Image:
    """Convert a frame to RGB (or gray) without transparency and fit it within ``max_side``.

    Transparent pixels are laid over white, the way a viewer would show them.
    """
    image = to_image(frame)
    if image.mode not in ("RGB", "L"):
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (255, 255, 255))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        else:
            image = image.convert("RGB")
    size = fit_size(image.width, image.height, max_side)
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image


def digest(image: Image.Image) -> bytes:
    """A short fingerprint of the pixels, mode and size: equal images give equal digests."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{image.mode}:{image.width}x{image.height}:".encode("ascii"))
    h.update(image.tobytes())
    return h.digest()


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """Encode an RGB or gray image as baseline JPEG at ``quality`` (1-95)."""
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=False)
    return out.getvalue()
