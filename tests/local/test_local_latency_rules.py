"""The latency decisions of the offline backend as pure rules: no model, no clock.

Early end of turn, the encoder context sized to an utterance, the short first spoken piece,
the early end of a segment and the split of a turn's latency into stages.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicelive.backends.local.early import (
    CompletenessJudge,
    commit_early,
    judge_by_match,
    sounds_finished,
)
from voicelive.backends.local.stt import context_frames
from voicelive.backends.local.tts import first_cut, split_sentences
from voicelive.backends.local.understand import Understander, Understanding
from voicelive.backends.local.vad import WINDOW, EndpointDetector, Segmenter, VadSignal
from voicelive.turns import TurnTracker, stages

# -- early end of turn ---------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "I just had two eggs for breakfast.",
    "How many calories do I have left?",
    "Log half an hour of cycling!",
])
def test_finished_sentences_sound_finished(text: str) -> None:
    assert sounds_finished(text)


@pytest.mark.parametrize("text", [
    "I had two eggs and",
    "I had two eggs and...",
    "I had two eggs and.",  # Whisper sometimes closes a cut-off sentence with a period
    "So I went for a run with",
    "Can you swap the rice for,",
    "",
    "   ",
])
def test_cut_off_sentences_do_not(text: str) -> None:
    assert not sounds_finished(text)


def _understood(text: str) -> Understanding:
    from voicelive.tools import ToolRegistry, tool

    @tool
    def log_activity(activity: Literal["running", "cycling"], minutes: int) -> str:
        """Log physical activity.

        Args:
            activity: What was done.
            minutes: How long, in minutes.
        """
        return ""

    return Understander(ToolRegistry([log_activity])).understand([text])


def test_a_complete_request_in_a_finished_sentence_is_complete() -> None:
    text = "Log 30 minutes of running."
    assert judge_by_match([text], _understood(text))


@pytest.mark.parametrize(("texts", "heard"), [
    (["Log 30 minutes of running."], None),  # not understood yet
    (["Log 30 minutes of running."], "Log some running."),  # a value missing: a question
    (["Log 30 minutes of running."], "What's the weather?"),  # nothing fits
    (["Log 30 minutes of running and"], "Log 30 minutes of running and"),  # goes on
    (["Log thirty minutes of runnin."], "Log 30 minutes of running."),  # a runner-up's
    ([], "Log 30 minutes of running."),
])
def test_anything_less_keeps_the_full_silence_window(
    texts: list[str], heard: str | None
) -> None:
    assert not judge_by_match(texts, None if heard is None else _understood(heard))


def test_the_default_judge_fits_the_protocol() -> None:
    assert isinstance(judge_by_match, CompletenessJudge)


def test_commit_early_needs_a_pause_a_yes_and_enough_silence() -> None:
    assert commit_early(paused=True, silence_ms=192, early_ms=192, verdict=True)
    assert not commit_early(paused=True, silence_ms=160, early_ms=192, verdict=True)
    assert not commit_early(paused=True, silence_ms=300, early_ms=192, verdict=None)
    assert not commit_early(paused=True, silence_ms=300, early_ms=192, verdict=False)
    assert not commit_early(paused=False, silence_ms=300, early_ms=192, verdict=True)
    assert not commit_early(paused=True, silence_ms=300, early_ms=0, verdict=True)


def test_a_segment_ends_early_and_the_stream_goes_on() -> None:
    probs = iter([0.9] * 10 + [0.0] * 3 + [0.0] * 20 + [0.9] * 5)
    seg = Segmenter(lambda _w: next(probs),
                    EndpointDetector(silence_ms=400, pause_ms=96, window_ms=32),
                    prefix_padding_ms=0)
    signals = [s.signal for s in seg.feed(np.zeros(WINDOW * 13, np.float32))]
    assert signals == [VadSignal.START, VadSignal.PAUSE]
    ended = seg.end_now()
    assert ended is not None and ended.signal is VadSignal.END
    assert ended.audio is not None and ended.audio.size == WINDOW * 13  # speech and pause
    assert ended.trailing_silence_ms == pytest.approx(96)
    assert seg.end_now() is None  # nothing in progress any more
    # no END follows for the same utterance; the next speech starts a new one
    later = [s.signal for s in seg.feed(np.zeros(WINDOW * 25, np.float32))]
    assert later == [VadSignal.START]


# -- the recogniser's context ----------------------------------------------------------------


def test_context_is_sized_to_the_utterance_plus_margin() -> None:
    # 0.3 s lead-in + 2 s of speech + 5 s margin = 7.3 s -> 8 s
    assert context_frames(int(2.3 * 16000), margin_s=5.0) == 800
    assert context_frames(0, margin_s=0.0) == 100  # never below one second


def test_context_is_capped_at_whisper_s_window_and_fixed_wins() -> None:
    assert context_frames(40 * 16000, margin_s=5.0) == 3000
    assert context_frames(16000, fixed_s=10.0, margin_s=5.0) == 1000
    assert context_frames(16000) == 3000  # neither: the full window


@given(st.integers(min_value=0, max_value=60 * 16000), st.floats(min_value=0, max_value=30))
def test_a_sized_context_always_holds_the_utterance_up_to_30_s(samples: int,
                                                                margin: float) -> None:
    frames = context_frames(samples, margin_s=margin)
    assert 100 <= frames <= 3000
    assert frames * 160 >= min(samples, 3000 * 160)


# -- the first spoken piece ------------------------------------------------------------------


def test_first_piece_is_short_and_ends_at_a_word() -> None:
    text = "You're at 1200 kcal of your 2000 kcal target, with 300 burned."
    pieces = split_sentences(text)
    assert pieces[0] == "You're at 1200 kcal"
    assert " ".join(pieces) == text


def test_first_piece_prefers_a_comma_then_a_phrase_start() -> None:
    assert split_sentences("Okay, I noted that you skipped lunch today.")[0] == "Okay, I noted"
    assert split_sentences("Great work today, that run burned about 350 kcal.")[0] == (
        "Great work today,")
    assert split_sentences("Swapped the rice for quinoa at dinner.")[0] == "Swapped the rice"


def test_short_sentences_stay_whole() -> None:
    assert split_sentences("Logged your lunch.") == ["Logged your lunch."]
    assert first_cut("Logged two eggs today.") is None


@given(st.lists(st.sampled_from(["log", "thirty", "minutes", "of", "brisk", "walking", "and",
                                 "a", "banana,", "today", "please"]), min_size=1, max_size=20))
def test_split_keeps_every_word_in_order(words: list[str]) -> None:
    text = " ".join(words) + "."
    pieces = split_sentences(text)
    assert " ".join(pieces).split() == text.split()
    assert all(pieces)
    assert len(pieces[0]) <= max(28, 16 + 8) or len(pieces) == 1


# -- stages of a turn ------------------------------------------------------------------------


def test_stages_add_up_to_the_latency() -> None:
    s = stages(silence_ms=192.0, end=10.0, heard=10.05, understood=10.07, tool_ms=5.0,
               first_audio=10.2)
    assert s == {"silence": 192.0, "stt": 50.0, "understand": 20.0, "tool": 5.0,
                 "first_audio": 125.0}
    assert sum(s.values()) == pytest.approx(192.0 + 200.0)


def test_recognition_finished_during_the_silence_costs_nothing_after_it() -> None:
    s = stages(silence_ms=400.0, end=10.0, heard=9.9, understood=9.93, tool_ms=0.0,
               first_audio=10.1)
    assert s["stt"] == 0.0 and s["understand"] == 0.0 and s["first_audio"] == 100.0


def test_the_tracker_reports_the_stages_of_a_spoken_turn() -> None:
    t = TurnTracker()
    t.speech_started(0.0)
    turn = t.speech_ended(1.0, 192.0)
    t.heard(turn, 1.1)
    t.understood(turn, 1.12)
    t.tool_called(turn, "c1", 1.12)
    t.tool_returned("c1", 1.13)
    assert t.audio_out(turn, 1.2, 100.0)
    stats = t.reply_done(turn)
    assert stats is not None and stats.stages_ms is not None
    assert stats.latency_ms == pytest.approx(392.0)
    assert stats.stages_ms["stt"] == pytest.approx(100.0)
    assert stats.stages_ms["tool"] == pytest.approx(10.0)
    assert sum(stats.stages_ms.values()) == pytest.approx(stats.latency_ms, abs=0.3)


def test_a_text_turn_has_no_stages() -> None:
    t = TurnTracker()
    turn, _ = t.text_received()
    assert t.audio_out(turn, 1.0)
    stats = t.reply_done(turn)
    assert stats is not None and stats.latency_ms is None and stats.stages_ms is None
