"""Silence what C audio libraries print while PortAudio probes for devices.

Creating a ``pyaudio.PyAudio()`` makes PortAudio probe ALSA, JACK and OSS, and on a machine
without a sound card those libraries print dozens of lines ("ALSA lib pcm.c ... Unknown PCM",
"jack server is not running") straight to file descriptor 2, around the one error that matters.
:func:`quiet_native_stderr` points fd 2 at ``/dev/null`` for the length of that call only; the
library's own error then arrives as one exception. Set ``VOICELIVE_AUDIO_DEBUG=1`` to see the
probing output.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

__all__ = ["quiet_native_stderr"]

_lock = threading.Lock()


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Discard what native code writes to fd 2 inside the block.

    Python's own errors still propagate as exceptions. A no-op when ``VOICELIVE_AUDIO_DEBUG``
    is set or fd 2 is not available.
    """
    if os.environ.get("VOICELIVE_AUDIO_DEBUG"):
        yield
        return
    with _lock:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError, AttributeError):
            yield
            return
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 2)
            finally:
                os.close(devnull)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
