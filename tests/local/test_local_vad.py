"""Endpoint decisions of the offline VAD, driven by made-up probabilities (no model)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicelive.backends.local.vad import WINDOW, EndpointDetector, Segmenter, VadSignal


def feed_all(detector: EndpointDetector, probs: list[float]) -> list[tuple[int, VadSignal]]:
    out = []
    for i, p in enumerate(probs):
        signal = detector.feed(p)
        if signal is not None:
            out.append((i, signal))
    return out


def test_speech_then_silence_ends_after_silence_ms() -> None:
    det = EndpointDetector(threshold=0.5, silence_ms=320, min_speech_ms=64, pause_ms=96,
                           window_ms=32)
    signals = feed_all(det, [0.0] * 3 + [0.9] * 10 + [0.0] * 10)
    assert signals == [(4, VadSignal.START), (15, VadSignal.PAUSE), (22, VadSignal.END)]
    assert det.trailing_silence_ms == pytest.approx(320)


def test_single_click_is_not_speech() -> None:
    det = EndpointDetector(threshold=0.5, min_speech_ms=64, window_ms=32)
    assert feed_all(det, [0.0, 0.95, 0.0, 0.0, 0.95, 0.1]) == []


def test_short_pause_resumes_without_ending() -> None:
    det = EndpointDetector(threshold=0.5, silence_ms=320, pause_ms=64, window_ms=32)
    signals = [s for _, s in feed_all(det, [0.9] * 5 + [0.1] * 4 + [0.9] * 3 + [0.1] * 10)]
    assert signals == [VadSignal.START, VadSignal.PAUSE, VadSignal.RESUME, VadSignal.PAUSE,
                       VadSignal.END]


def test_hysteresis_keeps_speech_between_thresholds() -> None:
    det = EndpointDetector(threshold=0.5, neg_threshold=0.3, silence_ms=96, window_ms=32)
    # 0.4 is between the thresholds: still speech while speaking.
    signals = [s for _, s in feed_all(det, [0.9, 0.9] + [0.4] * 10)]
    assert signals == [VadSignal.START]


@given(st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=300))
def test_signals_alternate_properly(probs: list[float]) -> None:
    det = EndpointDetector(threshold=0.5, silence_ms=200, pause_ms=64, window_ms=32)
    in_speech = False
    for _, signal in feed_all(det, probs):
        if signal is VadSignal.START:
            assert not in_speech
            in_speech = True
        else:
            assert in_speech
            if signal is VadSignal.END:
                in_speech = False
    assert in_speech == det.in_speech


def test_segmenter_keeps_preroll_and_returns_the_utterance() -> None:
    # Probability comes from the window's loudness: a fake model.
    def prob(window: npt.NDArray[np.float32]) -> float:
        return 1.0 if float(np.abs(window).max()) > 0.1 else 0.0

    det = EndpointDetector(threshold=0.5, silence_ms=320, min_speech_ms=64, pause_ms=160)
    seg = Segmenter(prob, det, prefix_padding_ms=200)
    quiet = np.zeros(WINDOW * 20, np.float32)
    loud = np.full(WINDOW * 10, 0.5, np.float32)
    events = []
    # Feed in odd-sized chunks to exercise the carry-over of partial windows.
    audio = np.concatenate([quiet, loud, quiet])
    for start in range(0, len(audio), 777):
        events += seg.feed(audio[start:start + 777])
    kinds = [e.signal for e in events]
    assert kinds == [VadSignal.START, VadSignal.PAUSE, VadSignal.END]
    end = events[-1]
    assert end.audio is not None
    # 10 loud windows + pre-roll of ceil(200/32)=7 windows + 10 trailing silence windows.
    assert len(end.audio) == WINDOW * (10 + 7 + 10)
    assert float(np.abs(end.audio[: WINDOW * 7]).max()) == 0.0
    assert end.trailing_silence_ms == pytest.approx(320)


def test_segmenter_forces_end_of_very_long_speech() -> None:
    det = EndpointDetector(threshold=0.5)
    seg = Segmenter(lambda w: 1.0, det, max_utterance_s=1.0)
    events = seg.feed(np.ones(WINDOW * 60, np.float32) * 0.3)
    assert [e.signal for e in events][:2] == [VadSignal.START, VadSignal.END]
    assert events[1].audio is not None and len(events[1].audio) <= WINDOW * 40
