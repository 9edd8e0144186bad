"""The emulator's decisions without sockets: profiles, conversation rules, timers, auth, tokens."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pytest

from voicelive.testing import LIVE_3, NATIVE_AUDIO_25, SCRIPTED
from voicelive.testing import messages as m
from voicelive.testing.auth import Refusal, Route, TokenBook, authorize
from voicelive.testing.conversation import INVALID_ARGUMENT, Conversation, HandleBook
from voicelive.testing.profiles import model_id, profile_for_model, resolve_profile
from voicelive.testing.script import Close, Received, ScriptRunner, on_setup, wait
from voicelive.testing.setup_check import close_reason

LOUD = b"\x00\x40" * 160  # samples of 16384: speech
QUIET = bytes(320)


@pytest.mark.parametrize(
    ("model", "profile"),
    [
        ("gemini-2.5-flash-native-audio-preview-12-2025", NATIVE_AUDIO_25),
        ("models/gemini-2.5-flash-native-audio-latest", NATIVE_AUDIO_25),
        (
            "projects/p/locations/us-central1/publishers/google/models/"
            "gemini-live-2.5-flash-native-audio",
            NATIVE_AUDIO_25,
        ),
        ("gemini-3.8-live", LIVE_3),
        ("models/gemini-3.8-live-extended-thinking", LIVE_3),
        ("gemini-3.1-flash-live-preview", LIVE_3),
        ("some-future-live-model", LIVE_3),  # unknown: the newest family
    ],
)
def test_the_profile_follows_the_model_family(model: str, profile: object) -> None:
    assert profile_for_model(model) is profile


def test_model_id_strips_every_prefix_form() -> None:
    assert model_id("projects/p/locations/l/publishers/google/models/x-1") == "x-1"
    assert model_id("models/x-1") == "x-1"


def test_an_explicit_profile_wins_and_a_wrong_name_is_named() -> None:
    assert resolve_profile("gemini-2.5", "gemini-3.8-live") is NATIVE_AUDIO_25
    assert resolve_profile(SCRIPTED, "gemini-3.8-live") is SCRIPTED
    with pytest.raises(ValueError, match=r"'gemini-4'.*choose from"):
        resolve_profile("gemini-4", "")


def conversation(
    model: str = "gemini-3.8-live", **setup: Any
) -> tuple[Conversation, HandleBook]:
    handles = HandleBook()
    conv = Conversation(None, handles)
    assert conv.on_setup({"model": model, **setup}).close is None
    return conv, handles


def realtime(**body: Any) -> Received:
    return Received(1, "realtime_input", body)


def test_25_splits_a_message_into_one_part_each_with_usage_on_the_last() -> None:
    conv, _ = conversation("gemini-2.5-flash-native-audio-preview-12-2025")
    both = {
        "serverContent": {
            "modelTurn": {"parts": [{"text": "a"}, {"text": "b"}]},
            "outputTranscription": {"text": "ab"},
            "turnComplete": True,
        }
    }
    sent = conv.shape([both]).send
    assert [list(x["serverContent"]) for x in sent] == [
        ["modelTurn"], ["modelTurn"], ["outputTranscription"], ["turnComplete"]
    ]
    assert "usageMetadata" in sent[-1] and all("usageMetadata" not in x for x in sent[:-1])


def test_3x_merges_audio_and_transcript_but_keeps_turn_complete_apart() -> None:
    conv, _ = conversation()
    sent = conv.shape([m.audio(b"ab"), m.output_transcript("hi"), m.turn_complete()]).send
    assert len(sent) == 2
    assert set(sent[0]["serverContent"]) == {"modelTurn", "outputTranscription"}
    assert sent[1]["serverContent"] == {"turnComplete": True}


def test_usage_counts_the_user_audio_and_reply_since_the_last_turn() -> None:
    conv, _ = conversation()
    conv.on_client(realtime(audio={"mime_type": "audio/pcm", "data": QUIET * 100}))
    end = conv.shape([m.audio(bytes(15000)), m.turn_complete()]).send[-1]
    assert end["usageMetadata"] == {
        "promptTokenCount": 32, "responseTokenCount": 10, "totalTokenCount": 42
    }
    again = conv.shape([m.turn_complete()]).send[-1]
    assert again["usageMetadata"]["totalTokenCount"] == 0


def test_scripted_changes_nothing() -> None:
    conv = Conversation("scripted", HandleBook())
    conv.on_setup({"model": "gemini-2.5-flash", "session_resumption": {"handle": "never-issued"}})
    batch = [m.tool_call("c1", "f"), m.interrupted()]
    assert conv.shape(batch).send == batch


def test_a_non_blocking_call_survives_new_input_and_quiet_audio_is_not_input() -> None:
    decl = {"function_declarations": [{"name": "slow", "behavior": "BLOCKING"}, {"name": "bg"}]}
    conv, _ = conversation(tools=[decl])
    conv.shape([m.tool_calls([("c1", "slow", {}), ("c2", "bg", {})])])
    assert conv.on_client(realtime(audio={"mime_type": "audio/pcm", "data": QUIET})).send == []
    answer = conv.on_client(realtime(audio={"mime_type": "audio/pcm", "data": LOUD}))
    assert answer.send == [m.tool_call_cancellation("c1")]
    assert conv.pending == {"c2": "bg"} and conv.cancelled == ["c1"]


def test_25_keeps_blocking_calls_when_the_user_speaks() -> None:
    conv, _ = conversation("gemini-2.5-flash-native-audio-preview-12-2025")
    conv.shape([m.tool_call("c1", "f")])
    assert conv.on_client(realtime(text="hello?")).send == []


def response(scheduling: str | None, name: str = "bg") -> Received:
    body: dict[str, Any] = {"id": "c1", "name": name, "response": {}}
    if scheduling:
        body["scheduling"] = scheduling
    return Received(1, "tool_response", {"function_responses": [body]})


def test_silent_scheduling_sends_no_model_content() -> None:
    conv, _ = conversation()
    conv.shape([m.tool_call("c1", "bg")])
    cause = response("SILENT")
    conv.on_client(cause)
    sent = conv.react([m.audio(b"xx"), m.turn_complete(), m.resumption_update("h")], cause).send
    assert [list(x) for x in sent] == [["sessionResumptionUpdate"]]
    assert len(conv.suppressed) == 2


def test_when_idle_waits_for_the_user_to_finish() -> None:
    conv, _ = conversation()
    conv.shape([m.tool_call("c1", "bg")])
    conv.on_client(realtime(activity_start={}))
    cause = response("WHEN_IDLE")
    conv.on_client(cause)
    assert list(conv.react([m.audio(b"xx"), m.turn_complete()], cause).send) == []
    released = conv.on_client(realtime(activity_end={})).send
    assert [list(x["serverContent"]) for x in released] == [["modelTurn"], ["turnComplete"]]


def test_interrupt_scheduling_cuts_the_ongoing_answer_short() -> None:
    conv, _ = conversation()
    conv.shape([m.tool_call("c1", "bg")])
    conv.shape([m.audio(b"still talking")])
    cause = response("INTERRUPT")
    conv.on_client(cause)
    sent = conv.react([m.audio(b"news")], cause).send
    assert sent[0] == m.interrupted() and sent[1]["serverContent"]["turnComplete"]
    assert sent[2]["serverContent"]["modelTurn"]["parts"][0]["inlineData"]["data"]


def test_a_second_response_for_an_answered_call_is_ignored_as_the_service_does() -> None:
    blocking = {"function_declarations": [{"name": "f", "behavior": "BLOCKING"}]}
    conv, _ = conversation(tools=[blocking])
    conv.shape([m.tool_calls([("c1", "f", {}), ("c2", "bg", {})])])
    assert conv.on_client(response(None, name="f")).observe
    again = conv.on_client(response(None, name="f"))
    assert not again.observe and conv.responses.ignored == ["c1"]
    # will_continue keeps a non-blocking call open; on a blocking call it is ignored
    keep = {"id": "c2", "name": "bg", "response": {}, "will_continue": True}
    last = {"id": "c2", "name": "bg", "response": {}}
    for body in (keep, last):
        assert conv.on_client(Received(1, "tool_response", {"function_responses": [body]})).observe
    assert not conv.on_client(Received(1, "tool_response", {"function_responses": [last]})).observe
    conv.shape([m.tool_call("c3", "f")])
    held = {"id": "c3", "name": "f", "response": {}, "will_continue": True}
    assert conv.on_client(Received(1, "tool_response", {"function_responses": [held]})).observe
    assert not conv.on_client(Received(1, "tool_response", {"function_responses": [held]})).observe
    assert conv.responses.ignored == ["c1", "c2", "c3"]


def test_scheduling_is_ignored_for_blocking_calls() -> None:
    blocking = {"function_declarations": [{"name": "f", "behavior": "BLOCKING"}]}
    conv, _ = conversation(tools=[blocking])
    conv.shape([m.tool_call("c1", "f")])
    assert conv.scheduling_of(response("SILENT", name="f")) is None


def test_3x_client_content_after_the_first_model_turn_closes_1007() -> None:
    conv, _ = conversation(history_config={"initial_history_in_client_content": True})
    history = Received(1, "client_content", {"turns": [{"parts": [{"text": "earlier"}]}]})
    assert conv.on_client(history).close is None
    conv.shape([m.text("hello")])
    assert conv.on_client(history).close == Close(1007, INVALID_ARGUMENT)


def test_handles_issued_by_updates_are_the_ones_accepted() -> None:
    conv, handles = conversation(session_resumption={})
    conv.shape([m.resumption_update("h1"), m.resumption_update("h2", resumable=False)])
    assert handles.knows("h1") and not handles.knows("h2")
    refused = Conversation(None, handles).on_setup(
        {"model": "gemini-3.8-live", "session_resumption": {"handle": "h2"}}
    )
    assert refused.close is not None and refused.close.code == 1008


def test_malformed_script_messages_pass_unchanged() -> None:
    conv, _ = conversation()
    odd: list[Any] = [["a", "list"], {"toolCall": {"functionCalls": "no"}}, {"serverContent": [1]}]
    assert conv.shape(odd).send == odd


def test_the_go_away_time_left_arms_the_deadline() -> None:
    conv, _ = conversation()
    assert conv.shape([m.go_away(2.5)]).deadline_s == 2.5
    assert conv.shape([m.text("x")]).deadline_s is None


def test_a_wait_step_arms_one_timer_and_fires_on_it() -> None:
    runner = ScriptRunner([on_setup(m.text("a")), wait(250, m.text("b"))])
    assert runner.observe(Received(1, "setup_complete", {}))[0].send == (m.text("a"),)
    assert runner.arm_timer() == 0.25
    assert runner.arm_timer() is None  # armed once
    assert runner.observe(Received(1, "realtime_input", {})) == []
    assert runner.observe(Received(1, "timer", {}))[0].send == (m.text("b"),)
    assert runner.done
    with pytest.raises(ValueError, match="ms >= 0"):
        wait(-1)


def test_close_reasons_fit_a_close_frame() -> None:
    assert len(close_reason("é" * 200).encode()) <= 123


def test_tokens_expire_run_out_and_stop_opening_sessions() -> None:
    book = TokenBook()
    token = book.issue(0.0, uses=2, expire_s=100, new_session_s=10)
    assert book.spend(token, 1.0) is None
    assert book.spend(token, 11.0) == "ephemeral token no longer starts new sessions"
    assert book.spend(token, 2.0) is None
    assert book.spend(token, 3.0) == "ephemeral token has no uses left"
    assert book.spend("auth_tokens/forged", 1.0) == "ephemeral token not recognised"
    with pytest.raises(ValueError, match="uses >= 1"):
        book.issue(0.0, uses=0)


def test_authorize_routes_each_api_and_names_what_is_missing() -> None:
    book = TokenBook()
    common: dict[str, Any] = {"api_key": "k", "tokens": book, "vertex_token": None, "now": 0.0}
    gemini = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
    vertex = "/ws/google.cloud.aiplatform.v1.LlmBidiService/BidiGenerateContent"
    assert authorize(gemini + "?key=k", {}, **common) == Route("gemini", "v1beta")
    assert authorize(gemini, {"x-goog-api-key": "bad"}, **common) == Refusal(
        HTTPStatus.FORBIDDEN, "API key not valid"
    )
    assert authorize(vertex, {"Authorization": "Bearer t"}, **common) == Route("vertex", "v1")
    assert authorize(vertex, {"x-goog-api-key": "k"}, **common) == Route("vertex", "v1")
    assert isinstance(authorize("/ws/other", {}, **common), Refusal)
    token = book.issue(0.0)
    constrained = gemini.replace("v1beta", "v1alpha") + "Constrained"
    assert authorize(constrained, {"Authorization": f"Token {token}"}, **common) == Route(
        "constrained", "v1alpha"
    )
