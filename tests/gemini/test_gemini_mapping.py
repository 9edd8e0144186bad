"""Pure translations of the Gemini backend: config building, message mapping, error mapping."""

from __future__ import annotations

import ssl

import pytest
import websockets.exceptions as ws_errors
from google.genai import errors as genai_errors
from google.genai import types
from websockets.datastructures import Headers
from websockets.frames import Close
from websockets.http11 import Response

from voicelive.backends.gemini.errors import map_error
from voicelive.backends.gemini.families import GEMINI_3
from voicelive.backends.gemini.mapping import interpret
from voicelive.backends.gemini.setup import build_live_config
from voicelive.config import SessionConfig, VadConfig
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    GoAway,
    Interrupted,
    ToolCall,
    ToolCallCancellation,
    TurnComplete,
    Usage,
    UserTranscript,
)
from voicelive.exceptions import (
    BackendError,
    ConnectError,
    ConnectionClosedError,
    ProtocolError,
)
from voicelive.tools import ToolDeclaration

ADD = ToolDeclaration(name="add", description="Add.", parameters={"type": "object"})


def message(data: dict[str, object]) -> types.LiveServerMessage:
    return types.LiveServerMessage.model_validate(data)


def test_default_config_turns_everything_useful_on() -> None:
    live = build_live_config(SessionConfig(), [ADD], family=GEMINI_3, handle=None)
    assert live.response_modalities == [types.Modality.AUDIO]
    assert live.input_audio_transcription is not None
    assert live.output_audio_transcription is not None
    assert live.session_resumption == types.SessionResumptionConfig(handle=None)
    assert live.context_window_compression is not None
    assert live.context_window_compression.sliding_window is not None
    assert live.tools == [types.Tool(function_declarations=[types.FunctionDeclaration(
        name="add", description="Add.", parameters_json_schema={"type": "object"},
        behavior=types.Behavior.BLOCKING)])]
    assert live.enable_affective_dialog is None and live.proactivity is None
    assert live.realtime_input_config is not None
    detection = live.realtime_input_config.automatic_activity_detection
    assert detection is not None
    assert (detection.disabled, detection.silence_duration_ms) == (False, 400)


def test_config_switches_are_honoured() -> None:
    config = SessionConfig(
        transcribe_input=False,
        transcribe_output=False,
        resumption=False,
        context_compression=False,
        vad=VadConfig(start_sensitivity="low", end_sensitivity="high", silence_ms=900),
        language="de-DE",
    )
    live = build_live_config(config, [], family=GEMINI_3, handle="ignored")
    assert live.input_audio_transcription is None and live.output_audio_transcription is None
    assert live.session_resumption is None and live.context_window_compression is None
    assert live.tools is None
    assert live.speech_config == types.SpeechConfig(language_code="de-DE")
    assert live.realtime_input_config is not None
    detection = live.realtime_input_config.automatic_activity_detection
    assert detection is not None
    assert detection.start_of_speech_sensitivity == types.StartSensitivity.START_SENSITIVITY_LOW
    assert detection.end_of_speech_sensitivity == types.EndSensitivity.END_SENSITIVITY_HIGH
    assert detection.silence_duration_ms == 900


def test_resumption_handle_goes_into_the_config() -> None:
    live = build_live_config(SessionConfig(), [], family=GEMINI_3, handle="h7")
    assert live.session_resumption == types.SessionResumptionConfig(handle="h7")


def test_server_content_maps_to_events_in_order() -> None:
    meaning = interpret(message({
        "serverContent": {
            "inputTranscription": {"text": "hi", "finished": True},
            "modelTurn": {"parts": [
                {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "AAEC"}},
                {"text": "ignored"},
            ]},
            "outputTranscription": {"text": "hello"},
            "interrupted": True,
            "turnComplete": True,
        }
    }))
    assert meaning.events == [
        UserTranscript(text="hi", final=True),
        AudioOut(data=b"\x00\x01\x02", sample_rate=24000),
        AssistantTranscript(text="hello", final=False),
        Interrupted(),
        TurnComplete(),
    ]


def test_audio_rate_comes_from_the_mime_type() -> None:
    meaning = interpret(message({"serverContent": {"modelTurn": {"parts": [
        {"inlineData": {"mimeType": "audio/pcm;rate=16000", "data": "AAA="}},
        {"inlineData": {"mimeType": "audio/pcm", "data": "AAA="}},
        {"inlineData": {"mimeType": "image/png", "data": "AAA="}},
    ]}}}))
    assert [(e.sample_rate) for e in meaning.events if isinstance(e, AudioOut)] == [16000, 24000]


def test_tool_calls_cancellation_usage_and_go_away() -> None:
    calls = interpret(message({"toolCall": {"functionCalls": [
        {"id": "c1", "name": "add", "args": {"a": 1}},
        {"id": "c2", "name": "noop"},
    ]}}))
    assert calls.events == [ToolCall(id="c1", name="add", args={"a": 1}),
                            ToolCall(id="c2", name="noop", args={})]
    assert calls.tool_call_ids == ["c1", "c2"]
    cancel = interpret(message({"toolCallCancellation": {"ids": ["c2"]}}))
    assert cancel.events == [ToolCallCancellation(ids=("c2",))] and cancel.cancelled_ids == ["c2"]
    usage = interpret(message({"usageMetadata": {"promptTokenCount": 3, "totalTokenCount": 5}}))
    assert usage.events == [Usage(prompt_tokens=3, response_tokens=0, total_tokens=5)]
    bye = interpret(message({"goAway": {"timeLeft": "12.5s"}}))
    assert bye.events == [GoAway(time_left_s=12.5)] and bye.go_away_s == 12.5


def test_resumption_update_is_a_signal_not_an_event() -> None:
    meaning = interpret(message({"sessionResumptionUpdate": {"newHandle": "h", "resumable": True}}))
    assert meaning.events == [] and meaning.resumption == ("h", True)
    assert interpret(message({"sessionResumptionUpdate": {}})).resumption == (None, False)


@pytest.mark.parametrize(("code", "retryable"), [(1011, True), (1006, True), (1007, False),
                                                 (1008, False)])
def test_sdk_close_errors_become_connection_closed(code: int, retryable: bool) -> None:
    mapped = map_error(genai_errors.APIError(code, "the reason", None))
    assert isinstance(mapped, ConnectionClosedError)
    assert (mapped.code, mapped.reason, mapped.retryable) == (code, "the reason", retryable)


def test_websockets_close_without_frame_is_1006() -> None:
    mapped = map_error(ws_errors.ConnectionClosedError(None, None))
    assert isinstance(mapped, ConnectionClosedError) and mapped.code == 1006 and mapped.retryable
    framed = map_error(ws_errors.ConnectionClosedError(Close(1008, "policy"), None))
    assert isinstance(framed, ConnectionClosedError)
    assert (framed.code, framed.reason, framed.retryable) == (1008, "policy", False)


def test_handshake_and_network_errors_become_connect_errors() -> None:
    refused = map_error(ws_errors.InvalidStatus(Response(403, "Forbidden", Headers())))
    assert isinstance(refused, ConnectError) and "403" in str(refused) and not refused.retryable
    busy = map_error(ws_errors.InvalidStatus(Response(503, "Unavailable", Headers())))
    assert busy.retryable
    tls = map_error(ssl.SSLCertVerificationError("bad cert"))
    assert isinstance(tls, ConnectError) and "SSL_CERT_FILE" in str(tls) and not tls.retryable
    down = map_error(ConnectionRefusedError("refused"))
    assert isinstance(down, ConnectError) and down.retryable


def test_other_errors_are_mapped_and_ours_pass_through() -> None:
    assert isinstance(map_error(ValueError("Failed to parse response")), ProtocolError)
    assert isinstance(map_error(genai_errors.APIError(0, {"message": "x"}, None)), ProtocolError)
    ours = ConnectError("already ours")
    assert map_error(ours) is ours
    assert type(map_error(RuntimeError("odd"))) is BackendError
