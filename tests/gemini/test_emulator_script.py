"""LiveEmulator's pure parts: wire normalisation, message builders and the script runner."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicelive.testing import messages as m
from voicelive.testing.script import (
    Close,
    Received,
    ScriptRunner,
    Step,
    close,
    on_activity_end,
    on_audio,
    on_audio_end,
    on_setup,
    on_text,
    on_tool_response,
    then,
)


@given(st.binary(max_size=64))
def test_decode_base64_accepts_both_alphabets_padded_or_not(data: bytes) -> None:
    standard = base64.b64encode(data).decode()
    urlsafe = base64.urlsafe_b64encode(data).decode()
    for text in (standard, urlsafe, standard.rstrip("="), urlsafe.rstrip("=")):
        assert m.decode_base64(text) == data


def test_decode_base64_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="base64"):
        m.decode_base64("not*base64")


def test_normalize_renames_camel_case_but_not_application_data() -> None:
    raw = {
        "toolResponse": {
            "functionResponses": [
                {"id": "c1", "name": "f", "response": {"someKey": 1, "nestedKey": {"aB": 2}}}
            ]
        }
    }
    assert m.normalize(raw) == {
        "tool_response": {
            "function_responses": [
                {"id": "c1", "name": "f", "response": {"someKey": 1, "nestedKey": {"aB": 2}}}
            ]
        }
    }


def test_normalize_decodes_blob_data_in_either_spelling() -> None:
    payload = base64.urlsafe_b64encode(b"\xfb\xff\xfe").decode().rstrip("=")
    camel = m.normalize({"realtimeInput": {"audio": {"mimeType": "audio/pcm", "data": payload}}})
    snake = m.normalize({"realtime_input": {"audio": {"mime_type": "audio/pcm", "data": payload}}})
    assert camel == snake == {
        "realtime_input": {"audio": {"mime_type": "audio/pcm", "data": b"\xfb\xff\xfe"}}
    }


def test_builders_write_camel_case_the_service_uses() -> None:
    assert m.setup_complete() == {"setupComplete": {}}
    assert m.go_away(2.5) == {"goAway": {"timeLeft": "2.5s"}}
    assert m.resumption_update("h", resumable=False) == {
        "sessionResumptionUpdate": {"newHandle": "h", "resumable": False}
    }
    assert m.tool_call("c", "f") == {"toolCall": {"functionCalls": [{"id": "c", "name": "f",
                                                                    "args": {}}]}}
    assert m.tool_call_cancellation("a", "b") == {"toolCallCancellation": {"ids": ["a", "b"]}}
    assert m.usage(1, 2)["usageMetadata"]["totalTokenCount"] == 3
    blob = m.audio(b"\x01\x02", rate=16000)["serverContent"]["modelTurn"]["parts"][0]["inlineData"]
    assert blob == {"mimeType": "audio/pcm;rate=16000", "data": "AQI="}
    assert m.interrupted() == {"serverContent": {"interrupted": True}}
    assert m.input_transcript("x", finished=True) == {
        "serverContent": {"inputTranscription": {"text": "x", "finished": True}}
    }


def rec(kind: str, body: dict[str, Any] | None = None) -> Received:
    return Received(1, kind, body or {})


def audio_in(n: int) -> Received:
    blob = {"mime_type": "audio/pcm;rate=16000", "data": b"\0" * n}
    return rec("realtime_input", {"audio": blob})


SETUP_DONE = rec("setup_complete")


def test_runner_waits_for_enough_audio_since_the_previous_step() -> None:
    first = on_audio(100, m.turn_complete())
    second = on_audio(100, m.interrupted())
    runner = ScriptRunner([first, second])
    assert runner.observe(audio_in(60)) == []
    assert runner.observe(audio_in(60)) == [first]
    assert runner.observe(audio_in(60)) == []  # the 20 surplus bytes do not count again
    assert runner.observe(audio_in(40)) == [second]
    assert runner.done


def test_runner_runs_then_steps_right_after_their_predecessor() -> None:
    steps = [on_setup(m.resumption_update("h")), then(m.go_away(1)), on_text()]
    runner = ScriptRunner(steps)
    assert runner.observe(SETUP_DONE) == steps[:2]
    assert runner.observe(rec("client_content", {"turns": [{"parts": [{"text": "hi"}]}]})) == [
        steps[2]
    ]


def test_runner_stops_at_a_close_and_resumes_on_the_next_connection() -> None:
    steps = [on_setup(), close(1011, "boom"), then(m.turn_complete())]
    runner = ScriptRunner(steps)
    assert runner.observe(SETUP_DONE) == steps[:2]
    assert runner.observe(audio_in(10)) == []  # still the old connection
    assert runner.observe(SETUP_DONE) == [steps[2]]
    assert steps[1].close == Close(1011, "boom")


def test_runner_tool_response_trigger_remembers_earlier_responses() -> None:
    steps = [on_audio(10), on_tool_response("c1", m.turn_complete())]
    runner = ScriptRunner(steps)
    response = rec("tool_response", {"function_responses": [{"id": "c1", "name": "f"}]})
    assert runner.observe(response) == []
    assert runner.observe(audio_in(10)) == steps


def test_runner_text_activity_and_stream_end_triggers() -> None:
    steps: list[Step] = [
        on_text(contains="weather"),
        on_activity_end(),
        on_audio_end(),
    ]
    runner = ScriptRunner(steps)
    assert runner.observe(rec("realtime_input", {"text": "hello"})) == []
    assert runner.observe(rec("realtime_input", {"text": "the weather?"})) == [steps[0]]
    assert runner.observe(rec("realtime_input", {"activity_start": {}})) == []
    assert runner.observe(rec("realtime_input", {"activity_end": {}})) == [steps[1]]
    assert runner.observe(rec("realtime_input", {"audio_stream_end": True})) == [steps[2]]
