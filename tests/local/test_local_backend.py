"""The offline backend end to end on synthesised speech: turns, barge-in, text, frames."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from voicelive.backends.base import Backend, BackendConnection
from voicelive.backends.local import LocalBackend, LocalModels, load_models
from voicelive.config import SessionConfig, VadConfig
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    Event,
    Interrupted,
    ToolCall,
    ToolCallCancellation,
    TurnComplete,
    UserTranscript,
)
from voicelive.testing.drive import run_turn
from voicelive.tools import ToolRegistry, tool

pytestmark = pytest.mark.slow

SILENCE = bytes(16000)  # 0.5 s at 16 kHz


def run(coro_fn: Any, *args: Any) -> Any:
    return anyio.run(coro_fn, *args)


def test_backend_fulfils_the_contract(backend: LocalBackend) -> None:
    assert isinstance(backend, Backend)
    assert backend.name == "local"
    assert "tiny.en" in backend.default_model()


def test_models_load_once_per_process(backend: LocalBackend, models: LocalModels) -> None:
    messages: list[str] = []
    again = LocalBackend().load(progress=messages.append)
    assert again is models
    assert messages == []  # already loaded: no progress to show
    assert load_models() is models


def test_a_spoken_request_calls_the_tool_and_speaks_the_summary(
    backend: LocalBackend, tools: Any, say: Any
) -> None:
    async def main() -> Any:
        async with backend.connect(SessionConfig(), tools) as conn:
            assert isinstance(conn, BackendConnection)
            return await run_turn(conn, tools, SILENCE + say("I went running for thirty minutes."))

    record = run(main)
    assert [c.name for c in record.calls] == ["log_activity"]
    assert record.calls[0].args["minutes"] == 30
    assert "running" in record.calls[0].args["activity"]
    assert "30 minutes" in record.user_text[0] or "thirty" in record.user_text[0].lower()
    summary = record.results[0]["output"]["summary"]
    assert record.reply_text == [summary]
    assert len(record.reply_pcm) > 24000  # more than half a second of reply audio at 24 kHz
    kinds = [type(e) for e in record.events if not isinstance(e, AudioOut)]
    assert kinds.index(UserTranscript) < kinds.index(ToolCall) < kinds.index(AssistantTranscript)
    assert kinds[-1] is TurnComplete
    assert record.latency_ms is not None and record.latency_ms >= 400  # silence_ms at least


def test_barge_in_interrupts_the_reply_and_starts_a_new_turn(
    backend: LocalBackend, tools: Any, say: Any
) -> None:
    async def main() -> Any:
        async with backend.connect(SessionConfig(), tools) as conn:
            return await run_turn(conn, tools, SILENCE + say("How am I doing today?"),
                                  barge_in=SILENCE + say("I missed lunch today."))

    record = run(main)
    events: list[Event] = record.events
    interrupted_at = next(i for i, e in enumerate(events) if isinstance(e, Interrupted))
    first_audio = next(i for i, e in enumerate(events) if isinstance(e, AudioOut))
    assert first_audio < interrupted_at
    calls_after = [e for e in events[interrupted_at:] if isinstance(e, ToolCall)]
    assert [c.name for c in calls_after] == ["missed_meal"]
    assert calls_after[0].args == {"meal": "lunch"}
    assert isinstance(events[-1], TurnComplete)
    assert record.reply_pcm  # the new turn's reply was spoken


def test_barge_in_while_a_tool_runs_cancels_the_call(
    backend: LocalBackend, say: Any
) -> None:
    gate = anyio.Event()

    @tool(templates=["start the slow job"])
    async def slow_job() -> str:
        """A job that waits."""
        await gate.wait()
        return "done"

    registry = ToolRegistry([slow_job])

    async def main() -> list[Event]:
        seen: list[Event] = []
        async with backend.connect(SessionConfig(), registry) as conn:
            await conn.send_text("start the slow job")
            async for event in conn.events():
                seen.append(event)
                if isinstance(event, ToolCall):
                    await conn.send_audio(SILENCE + say("I skipped lunch.") + SILENCE * 2)
                if isinstance(event, TurnComplete):
                    break
            gate.set()
        return seen

    seen = run(main)
    kinds = [type(e) for e in seen if not isinstance(e, AudioOut)]
    assert kinds[:3] == [UserTranscript, ToolCall, Interrupted]
    cancelled = next(e for e in seen if isinstance(e, ToolCallCancellation))
    first_call = next(e for e in seen if isinstance(e, ToolCall))
    assert cancelled.ids == (first_call.id,)
    # The late answer needs no result: the new turn replies with the help text (no such tool).
    assert any(isinstance(e, AssistantTranscript) and "Sorry" in e.text for e in seen)


async def follow_turn(conn: Any, registry: Any) -> list[Event]:
    """Collect events to the end of the turn, answering tool calls with ``registry``."""
    seen: list[Event] = []
    async for event in conn.events():
        seen.append(event)
        if isinstance(event, ToolCall):
            await conn.send_tool_result(event.id, event.name,
                                        await registry.call(event.name, event.args))
        if isinstance(event, TurnComplete):
            break
    return seen


def text_turn(backend: LocalBackend, registry: Any, text: str) -> list[Event]:
    """Send one text turn, answer its tool calls with ``registry``, return its events."""

    async def main() -> list[Event]:
        async with backend.connect(SessionConfig(), registry) as conn:
            await conn.send_text(text)
            return await follow_turn(conn, registry)

    return anyio.run(main)


def test_text_turn_skips_speech_recognition(backend: LocalBackend, tools: Any) -> None:
    seen = text_turn(backend, tools, "swap rice for quinoa at dinner")
    call = next(e for e in seen if isinstance(e, ToolCall))
    assert call.name == "substitute_food"
    assert (call.args["original"], call.args["replacement"], call.args["meal"]) == (
        "rice", "quinoa", "dinner")
    done = seen[-1]
    assert isinstance(done, TurnComplete) and done.latency_ms is None  # no speech, no latency
    assert done.chunks_out > 0


def test_unmatched_speech_gets_a_helpful_answer(
    backend: LocalBackend, tools: Any, say: Any
) -> None:
    async def main() -> Any:
        async with backend.connect(SessionConfig(), tools) as conn:
            return await run_turn(conn, tools, SILENCE + say("What is the capital of France?"))

    record = run(main)
    assert record.calls == []
    reply = " ".join(record.reply_text)
    # a short honest answer naming a few things it can do, never the whole list of tools
    assert ("can" in reply or "could" in reply) and len(reply) <= 66
    abilities = [a for a in ("look up calories", "replan a missed meal",
                             "mark a meal eaten", "log a snack", "swap a food", "log exercise",
                             "sum up your day", "set your target")
                 if a in reply]
    assert 2 <= len(abilities) <= 3, reply
    assert record.reply_pcm


def test_tool_error_is_spoken_as_a_sentence(backend: LocalBackend) -> None:
    @tool(templates=["break (it|everything)"])
    def breaker() -> str:
        """Always fails."""
        raise ValueError("the widget is missing")

    registry = ToolRegistry([breaker])
    seen = text_turn(backend, registry, "break it")
    said = [e.text for e in seen if isinstance(e, AssistantTranscript)]
    assert len(said) == 1 and said[0].startswith("Sorry, I couldn't do that")


def test_frames_are_ignored_and_end_audio_finishes_the_utterance(
    backend: LocalBackend, tools: Any, say: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async def main() -> list[Event]:
        async with backend.connect(SessionConfig(), tools) as conn:
            await conn.send_frame(b"\xff\xd8 not really a jpeg")
            await conn.send_frame(b"\xff\xd8 again")
            # No trailing silence: only end_audio() tells the backend the user is done.
            await conn.send_audio(SILENCE + say("I missed lunch today."))
            await conn.end_audio()
            return await follow_turn(conn, tools)

    with caplog.at_level("WARNING"):
        seen = run(main)
    assert sum("no vision model" in r.message for r in caplog.records) == 1
    call = next(e for e in seen if isinstance(e, ToolCall))
    assert (call.name, call.args) == ("missed_meal", {"meal": "lunch"})


def test_silence_only_input_completes_an_empty_turn(backend: LocalBackend, tools: Any) -> None:
    async def main() -> list[Event]:
        async with backend.connect(SessionConfig(), tools) as conn:
            await conn.send_audio(SILENCE * 4)
            await conn.end_audio()
            return await follow_turn(conn, tools)

    assert run(main) == [TurnComplete()]


def test_manual_activity_marks_the_utterance(backend: LocalBackend, tools: Any, say: Any) -> None:
    config = SessionConfig(vad=VadConfig(manual=True))

    async def main() -> list[Event]:
        async with backend.connect(config, tools) as conn:
            await conn.send_activity(start=True)
            await conn.send_audio(say("I skipped dinner."))
            await conn.send_activity(start=False)
            return await follow_turn(conn, tools)

    seen = run(main)
    call = next(e for e in seen if isinstance(e, ToolCall))
    assert (call.name, call.args) == ("missed_meal", {"meal": "dinner"})
    assert isinstance(seen[-1], TurnComplete) and seen[-1].chunks_out > 0


def test_speech_resumed_before_the_answer_began_is_heard_with_what_came_before(
    backend: LocalBackend, tools: Any, say: Any
) -> None:
    # A pause long enough to end the turn (0.55 s > the 0.4 s end-of-speech silence), then
    # more speech at once (streamed as fast as accepted, before the first answer began): the
    # first sentence must not be lost, the two are answered together.
    pause = bytes(int(16000 * 0.55) * 2)
    speech = SILENCE + say("I missed lunch today.") + pause + say("I skipped dinner too.")

    async def main() -> tuple[list[ToolCall], int]:
        calls: list[ToolCall] = []
        async with backend.connect(SessionConfig(), tools) as conn:
            for start in range(0, len(speech), 1280):
                await conn.send_audio(speech[start:start + 1280])
            await conn.send_audio(SILENCE * 2)
            with anyio.fail_after(120):  # a hang guard, not a speed limit
                async for event in conn.events():
                    if isinstance(event, ToolCall):
                        calls.append(event)
                        response = await tools.call(event.name, event.args)
                        await conn.send_tool_result(event.id, event.name, response)
                    elif isinstance(event, TurnComplete):
                        break
            return calls, conn.carried_turns

    calls, carried = run(main)
    assert [(c.name, c.args.get("meal")) for c in calls] == [
        ("missed_meal", "lunch"), ("missed_meal", "dinner")]
    assert carried == 1
