"""The recogniser's window: how much silence leads an utterance, and the window's size."""

from __future__ import annotations

import numpy as np

from voicelive.backends.local.stt import DEFAULT_LEAD_IN_S, context_frames, window_audio


def _speech(seconds: float) -> np.ndarray:
    return np.full(int(seconds * 16000), 0.5, dtype=np.float32)


def test_an_utterance_is_led_by_the_default_silence() -> None:
    window = window_audio(_speech(1.2))
    first = int(np.argmax(window != 0))
    assert first == round(DEFAULT_LEAD_IN_S * 16000)
    assert np.count_nonzero(window) == 1.2 * 16000


def test_the_window_holds_the_lead_the_utterance_and_the_margin() -> None:
    audio = _speech(2.0)
    window = window_audio(audio, lead_in_s=0.6, margin_s=5.0)
    lead = round(0.6 * 16000)
    assert window.size == context_frames(lead + audio.size, margin_s=5.0) * 160
    assert window.size == 8 * 16000  # 0.6 + 2.0 + 5.0 s, rounded up to whole seconds
    assert not window[:lead].any() and window[lead:lead + audio.size].all()


def test_a_long_utterance_is_cut_to_the_full_window() -> None:
    window = window_audio(_speech(31.0), margin_s=None)
    assert window.size == 30 * 16000
    assert window[-1] == 0.5  # the audio fills it to the end, no padding after
