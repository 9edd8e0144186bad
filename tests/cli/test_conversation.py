"""A recorded conversation is streamed turn by turn: decisions first, then through a session."""

from __future__ import annotations

import anyio
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from voicelive.audio import PCM16_16K, MemorySink, MemorySource
from voicelive.conversation import Conversation, TurnPacer, converse, heard_speech, rms
from voicelive.events import AudioOut, ToolCall, TurnComplete, UserTranscript
from voicelive.session import LiveSession
from voicelive.testing import Await, ScriptedBackend

RATE = 16000


def tone(seconds: float, level: float = 0.3) -> bytes:
    t = np.arange(int(RATE * seconds)) / RATE
    return (np.sin(2 * np.pi * 220 * t) * level * 32767).astype("<i2").tobytes()


def quiet(seconds: float) -> bytes:
    return bytes(int(RATE * seconds) * 2)


def test_the_pacer_holds_only_after_a_long_pause_that_follows_speech() -> None:
    pacer = TurnPacer(hold_after_ms=700)
    assert not pacer.on_chunk(0.0, 40) and not pacer.outstanding  # leading silence
    assert not pacer.on_chunk(5000.0, 40) and pacer.outstanding
    assert not any(pacer.on_chunk(0.0, 40) for _ in range(17))  # 680 ms: a pause in a sentence
    assert pacer.on_chunk(0.0, 40) and pacer.holding  # 720 ms: the turn is over
    pacer.on_turn_complete()
    assert not pacer.holding and not pacer.outstanding
    assert not pacer.on_input_end()  # nothing left unanswered


def test_steady_noise_is_not_speech_but_speech_over_it_is() -> None:
    pacer = TurnPacer()
    assert not pacer.is_speech(800.0)  # first chunk: the floor is itself
    assert not pacer.is_speech(900.0)  # noise at the floor
    assert pacer.is_speech(5000.0)


def test_input_ending_mid_turn_holds_for_the_reply() -> None:
    pacer = TurnPacer()
    pacer.on_chunk(0.0, 40)
    pacer.on_chunk(4000.0, 40)
    assert pacer.on_input_end()
    pacer.give_up()
    assert not pacer.holding


def test_the_stream_goes_on_once_the_reply_has_played() -> None:
    pacer = TurnPacer()
    pacer.on_reply_audio(10.0, 1.5)
    pacer.on_reply_audio(10.2, 1.0)  # produced faster than it plays: queued after the first
    assert pacer.resume_in(10.5) == 2.0
    assert pacer.resume_in(13.0) == 0.0


@given(st.lists(st.floats(0, 20000), max_size=60), st.floats(100, 2000))
def test_the_pacer_never_holds_without_speech_first(levels: list[float], hold: float) -> None:
    pacer = TurnPacer(hold_after_ms=hold)
    for level in levels:
        if pacer.on_chunk(level, 40):
            assert pacer.outstanding
            break


def test_rms_of_silence_and_a_tone() -> None:
    assert rms(b"") == 0.0 and rms(quiet(0.1)) == 0.0
    assert 6000 < rms(tone(0.1)) < 7500


def test_heard_speech_needs_words_or_a_call() -> None:
    assert not heard_speech([TurnComplete(), UserTranscript(text="  ", final=True)])
    assert heard_speech([UserTranscript(text="hi", final=True)])
    assert heard_speech([ToolCall(id="1", name="x", args={})])


def test_a_two_turn_recording_waits_for_each_reply_before_the_next_turn() -> None:
    first, pause, second = tone(1.0), quiet(2.0), tone(0.8)
    recording = quiet(0.2) + first + pause + second + quiet(1.0)
    hold_point = len(quiet(0.2) + first + quiet(0.7))
    reply = AudioOut(data=bytes(4800), sample_rate=24000)  # 0.1 s of reply audio
    backend = ScriptedBackend([
        Await(audio_bytes=hold_point), UserTranscript(text="one", final=True), reply,
        TurnComplete(),
        Await(audio_bytes=len(recording)), UserTranscript(text="two", final=True), reply,
        TurnComplete(),
    ])
    sink = MemorySink()

    async def main() -> list[object]:
        conversation = Conversation(MemorySource.from_bytes(recording, PCM16_16K), sink,
                                    hold_after_ms=700, reply_timeout_s=30)
        async with LiveSession(backend, source=conversation, sink=conversation.sink) as s:
            return list(await converse(s, conversation))

    events = anyio.run(main)
    kinds = [type(e).__name__ for e in events]
    assert kinds.count("TurnComplete") == 2 and kinds[-1] == "SessionClosed"
    assert [e.text for e in events if isinstance(e, UserTranscript)] == ["one", "two"]
    sent = bytes(backend.connections[0].audio)
    samples = np.frombuffer(sent, dtype="<i2")
    loud = np.flatnonzero(np.abs(samples) > 1000)
    gaps = np.diff(loud)
    between = int(gaps.max())  # the silence the backend got between the two turns
    assert between > len(pause) // 2 + RATE // 25  # the file's pause plus held silence
    assert len(sink.data) == 2 * 4800  # both replies kept


def test_a_recording_ending_mid_turn_is_answered_before_the_session_closes() -> None:
    recording = quiet(0.2) + tone(0.6)  # no trailing silence at all
    backend = ScriptedBackend([
        Await(audio_bytes=len(recording) + 3200),  # silence the conversation adds
        UserTranscript(text="late", final=True), TurnComplete(),
    ])

    async def main() -> list[object]:
        conversation = Conversation(MemorySource.from_bytes(recording, PCM16_16K), MemorySink(),
                                    reply_timeout_s=30)
        async with LiveSession(backend, source=conversation, sink=conversation.sink) as s:
            return list(await converse(s, conversation))

    events = anyio.run(main)
    assert any(isinstance(e, UserTranscript) and e.text == "late" for e in events)
    assert backend.connections[0].audio_ended


def test_no_reply_in_time_is_counted_and_the_stream_goes_on() -> None:
    recording = quiet(0.2) + tone(0.5) + quiet(1.0)
    backend = ScriptedBackend([])  # never answers

    async def main() -> Conversation:
        conversation = Conversation(MemorySource.from_bytes(recording, PCM16_16K), MemorySink(),
                                    hold_after_ms=500, reply_timeout_s=0.2)
        async with LiveSession(backend, source=conversation, sink=conversation.sink) as s:
            await converse(s, conversation)
        return conversation

    assert anyio.run(main).timed_out == 1


def test_a_file_that_is_one_steady_sound_holds_for_the_backends_verdict() -> None:
    pacer = TurnPacer()
    for _ in range(40):
        assert not pacer.on_chunk(7000.0, 20)  # never above its own floor
    assert pacer.on_input_end()  # loud throughout: the backend decides


def test_a_quiet_file_does_not_hold() -> None:
    pacer = TurnPacer()
    for _ in range(40):
        pacer.on_chunk(50.0, 20)
    assert not pacer.on_input_end()
