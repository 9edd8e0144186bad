"""A transcript the recogniser cut short is taken after the whole one (readings.whole_first)."""

from __future__ import annotations

from voicelive.backends.local.readings import whole_first

CUT = "I went for a swim for 30 minutes."
WHOLE = ("I went for a swim for 30 minutes, I weigh 74 kilos, and after that I had a protein "
         "bar.")


def test_a_first_transcript_that_stops_after_its_first_sentence_goes_after_the_whole() -> None:
    # 6.6 s of speech heard as 8 words: the rest of the beam goes on with the same words
    assert whole_first([CUT, WHOLE, "I went for a swim."], 6.6) == [1, 0, 2]


def test_a_transcript_at_a_speaking_pace_stays_first() -> None:
    assert whole_first([CUT, WHOLE], 3.0) == [0, 1]  # 8 words in 3 s is speech, not a cut


def test_a_short_utterance_is_never_taken_as_cut_short() -> None:
    assert whole_first(["Yes.", "Yes, please do that now."], 1.2) == [0, 1]


def test_a_longer_transcript_must_start_with_the_same_words_and_add_three() -> None:
    assert whole_first([CUT, "I want to swim for 30 minutes and a protein bar."], 6.6) == [0, 1]
    assert whole_first([CUT, "I went for a swim for 30 minutes today."], 6.6) == [0, 1]


def test_a_longer_transcript_faster_than_speech_is_not_taken() -> None:
    babble = CUT + " " + " ".join(["and then a protein bar"] * 6)
    assert whole_first([CUT, babble], 6.6) == [0, 1]


def test_nothing_or_one_transcript_is_left_as_it_is() -> None:
    assert whole_first([], 9.0) == []
    assert whole_first([CUT], 9.0) == [0]
