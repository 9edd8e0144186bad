"""The voice detector and segmenter the offline backend streams through, for the benches.

``bench/bench_recognition.py`` and ``python -m bench.spoken.stages`` replay recordings through
the same parts, built here from :class:`voicelive.config.VadConfig`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["backend_segmenter"]


def backend_segmenter(vad_session: Any, *, prefix_padding_ms: float | None = None) -> Any:
    """``(vad, detector, segmenter)`` as the backend builds them (96 ms pauses).

    Args:
        vad_session: The loaded Silero session (``LocalModels.vad_session``).
        prefix_padding_ms: The pre-roll; the config's by default.
    """
    from voicelive.backends.local.vad import EndpointDetector, Segmenter, SileroStream
    from voicelive.config import VadConfig

    vad = VadConfig()
    detector = EndpointDetector(threshold=vad.threshold, silence_ms=vad.silence_ms,
                                pause_ms=96.0)
    seg = Segmenter(SileroStream(vad_session), detector,
                    prefix_padding_ms=vad.prefix_padding_ms if prefix_padding_ms is None
                    else prefix_padding_ms)
    return vad, detector, seg
