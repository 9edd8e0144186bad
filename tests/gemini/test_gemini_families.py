"""Model families and the decisions that depend on them, as plain code (no sockets)."""

from __future__ import annotations

import logging

import pytest
from google.genai import types

from voicelive.backends.gemini import DEFAULT_MODEL, GEMINI_3, GEMINI_25, family_of
from voicelive.backends.gemini.declarations import (
    AnsweredCalls,
    follow_up_text,
    function_declaration,
    function_response,
    informative_response,
)
from voicelive.backends.gemini.setup import build_live_config, check_config, history_content
from voicelive.backends.gemini.turns import AudioAligner, TurnLedger
from voicelive.config import HistoryTurn, SessionConfig
from voicelive.exceptions import ConfigError
from voicelive.tools import ToolDeclaration, ToolRegistry, tool

LOOKUP = ToolDeclaration(name="lookup", description="Look a food up.",
                         parameters={"type": "object"})
TIMER = ToolDeclaration(name="timer", description="", parameters={"type": "object"},
                        behavior="non_blocking", scheduling="interrupt")


@pytest.mark.parametrize(("model", "family"), [
    ("gemini-3.8-live", GEMINI_3),
    ("gemini-3.8-live-extended-thinking", GEMINI_3),
    ("models/gemini-3.1-flash-live-preview", GEMINI_3),
    ("gemini-2.5-flash-native-audio-preview-09-2025", GEMINI_25),
    ("projects/p/locations/us-central1/publishers/google/models/gemini-live-2.5-flash", GEMINI_25),
])
def test_the_family_follows_the_model_name(model: str, family: object) -> None:
    assert family_of(model) is family


def test_default_model_is_the_stable_3x_live_model() -> None:
    assert DEFAULT_MODEL == "gemini-3.8-live"
    assert family_of(DEFAULT_MODEL) is GEMINI_3


def test_an_unknown_name_gets_the_newest_family_and_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="voicelive.backends.gemini.families")
    assert family_of("gemini-9-whatever-live") is GEMINI_3
    assert family_of("gemini-9-whatever-live") is GEMINI_3
    warnings = [r for r in caplog.records if "gemini-9-whatever-live" in r.getMessage()]
    assert len(warnings) == 1


def test_thinking_settings_are_checked_against_the_family() -> None:
    check_config(SessionConfig(thinking_level="low"), "gemini-3.8-live", GEMINI_3)
    check_config(SessionConfig(thinking_budget=0), "gemini-2.5-x", GEMINI_25)
    with pytest.raises(ConfigError, match=r"thinking_level is not supported.*thinking_budget"):
        check_config(SessionConfig(thinking_level="high"), "gemini-2.5-x", GEMINI_25)
    with pytest.raises(ConfigError, match=r"thinking_budget is not supported.*thinking_level"):
        check_config(SessionConfig(thinking_budget=512), "gemini-3.8-live", GEMINI_3)
    level = build_live_config(SessionConfig(thinking_level="minimal"), [], family=GEMINI_3,
                              handle=None)
    assert level.thinking_config == types.ThinkingConfig(thinking_level=types.ThinkingLevel.MINIMAL)
    budget = build_live_config(SessionConfig(thinking_budget=0), [], family=GEMINI_25,
                               handle=None)
    assert budget.thinking_config == types.ThinkingConfig(thinking_budget=0)


def test_initial_history_needs_history_config_on_3x_only_and_never_on_resumption() -> None:
    config = SessionConfig(initial_history=(
        HistoryTurn(role="user", text="I had porridge for breakfast"),
        HistoryTurn(role="model", text="Noted, porridge it is."),
    ))
    seeded = build_live_config(config, [], family=GEMINI_3, handle=None)
    assert seeded.history_config == types.HistoryConfig(initial_history_in_client_content=True)
    assert build_live_config(config, [], family=GEMINI_3, handle="h1").history_config is None
    assert build_live_config(config, [], family=GEMINI_25, handle=None).history_config is None
    turns = history_content(config)
    assert [(t.role, t.parts[0].text) for t in turns  # type: ignore[union-attr,index]
            ] == [("user", "I had porridge for breakfast"), ("model", "Noted, porridge it is.")]


def test_behavior_is_explicit_on_3x_and_absent_on_25() -> None:
    assert function_declaration(LOOKUP, GEMINI_3).behavior is types.Behavior.BLOCKING
    assert function_declaration(TIMER, GEMINI_3).behavior is types.Behavior.NON_BLOCKING
    assert function_declaration(TIMER, GEMINI_25).behavior is None
    on_3 = function_response("c1", "timer", {"output": 1}, declaration=TIMER, family=GEMINI_3)
    assert on_3.scheduling is types.FunctionResponseScheduling.INTERRUPT
    on_25 = function_response("c1", "timer", {"output": 1}, declaration=TIMER, family=GEMINI_25)
    assert on_25.scheduling is None
    blocking = function_response("c2", "lookup", {"output": 1}, declaration=LOOKUP,
                                 family=GEMINI_3)
    assert blocking.scheduling is None


def test_responses_tell_the_model_what_to_do_next() -> None:
    assert informative_response({"output": {"kcal": 95}}) == {"status": "ok",
                                                              "output": {"kcal": 95}}
    empty = informative_response({"output": None})
    assert empty["status"] == "ok" and "nothing" in empty["note"]
    bad_args = informative_response(
        {"error": {"type": "ToolArgumentError", "message": "grams: must be > 0"}})
    assert (bad_args["status"], bad_args["retryable"]) == ("error", True)
    assert "correct" in bad_args["reason"]
    unknown = informative_response({"error": {"type": "UnknownToolError", "message": "no"}})
    assert unknown["retryable"] is False and "do not call it again" in unknown["reason"]
    crashed = informative_response({"error": {"type": "ToolExecutionError", "message": "x"}})
    assert crashed["retryable"] is False and "tell the user" in crashed["reason"]
    odd = informative_response({"error": "a bare string"})
    assert odd["status"] == "error" and odd["retryable"] is False


@pytest.mark.anyio
async def test_a_failing_tool_reaches_gemini_with_its_message_and_class_apart() -> None:
    class NutritionError(Exception):
        pass

    @tool
    def lookup(food: str) -> None:
        raise NutritionError(f"I could not find {food}")

    result = await ToolRegistry([lookup]).call("lookup", {"food": "dragon fruit jam"})
    sent = function_response("c1", "lookup", result, declaration=LOOKUP, family=GEMINI_3)
    assert sent.response is not None
    error = sent.response["error"]
    assert error["message"] == "I could not find dragon fruit jam"
    assert error["exception"] == "NutritionError"


def test_a_call_id_gets_one_function_response_and_later_ones_become_text() -> None:
    answered = AnsweredCalls(limit=2)
    assert answered.answer("c1") and not answered.answer("c1")
    assert answered.answer("c2") and answered.answer("c3")
    assert "c1" not in answered and "c3" in answered  # bounded: the oldest is forgotten
    text = follow_up_text("c1", "set_targets", {"output": {"kcal": 1800}})
    assert text.startswith("[the later result of your earlier set_targets call, id c1] ")
    assert '"status": "ok"' in text and '"kcal": 1800' in text


def test_a_turn_complete_that_only_closes_a_tool_call_does_not_end_the_turn_on_25() -> None:
    ledger = TurnLedger(GEMINI_25)
    ledger.on_speech_end(10.0)
    ledger.on_tool_call()
    assert ledger.on_turn_complete() is None  # right after the toolCall
    ledger.on_reply(10.8, audio=True)
    done = ledger.on_turn_complete()
    assert done is not None and done.latency_ms == 800.0
    assert ledger.tool_turn_completes == 1


def test_a_model_that_answers_a_result_with_nothing_still_ends_the_turn() -> None:
    ledger = TurnLedger(GEMINI_25)
    ledger.on_tool_call()
    assert ledger.on_turn_complete() is None
    assert ledger.on_turn_complete() is not None  # after the result: no second swallow


def test_chained_calls_on_25_and_interruptions_end_turns_as_the_user_lives_them() -> None:
    ledger = TurnLedger(GEMINI_25)
    ledger.on_tool_call()
    assert ledger.on_turn_complete() is None
    ledger.on_tool_call()  # the model chains a second call after the first result
    assert ledger.on_turn_complete() is None
    ledger.on_reply(1.0, audio=True)
    assert ledger.on_turn_complete() is not None
    ledger.on_tool_call()
    ledger.on_interrupted()  # the user barged in: interrupted then turnComplete ends the turn
    assert ledger.on_turn_complete() is not None


def test_on_3x_every_turn_complete_ends_the_turn() -> None:
    ledger = TurnLedger(GEMINI_3)
    ledger.on_tool_call()
    done = ledger.on_turn_complete()
    assert done is not None and done.latency_ms is None  # no speech end known
    assert ledger.tool_turn_completes == 0


def test_odd_audio_parts_keep_sample_alignment() -> None:
    aligner = AudioAligner()
    assert aligner.feed(b"\x01\x02\x03") == b"\x01\x02"
    assert aligner.feed(b"\x04\x05\x06") == b"\x03\x04\x05\x06"  # the carried byte leads
    assert aligner.feed(b"\x07") == b""
    aligner.end_turn()  # nothing came to pair it with: dropped, counted
    assert aligner.feed(b"\x08\x09") == b"\x08\x09"
    assert (aligner.odd_parts, aligner.dropped_bytes) == (3, 1)
