"""The pluggable frame role: where camera or screen frames come from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, runtime_checkable

__all__ = ["FrameSource"]


@runtime_checkable
class FrameSource(Protocol):
    """An async iterator of JPEG-encoded frames, closeable."""

    def __aiter__(self) -> AsyncIterator[bytes]:
        """Iterate over JPEG frames."""
        ...

    async def aclose(self) -> None:
        """Release the camera, screen grabber or files. Safe to call twice."""
        ...
