"""Spoken confirmation through LiveSession with a scripted backend: nothing runs before a yes in
a later turn; a yes runs the read-back call once; a no, a new request, silence (fake clock) and
the end of the session each cancel it."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from confirm_harness import WRITES, FakeClock, set_goal, whats_left

from voicelive import LiveSession
from voicelive.audio import PCM16_24K, MemorySink
from voicelive.events import (
    AudioOut,
    Event,
    SessionClosed,
    ToolCall,
    ToolCallCancellation,
    ToolCancelled,
    ToolConfirmation,
    ToolResult,
    TurnComplete,
    UserTranscript,
)
from voicelive.exceptions import ToolDefinitionError
from voicelive.testing import Await, ScriptedBackend
from voicelive.tools import ToolRegistry, tool

pytestmark = pytest.mark.anyio

QUESTION_AUDIO = b"\x10\x00" * 2400
ASKED: list[Event | Await] = [
    UserTranscript(text="could you set my goal to eighteen hundred"),
    ToolCall(id="c1", name="set_goal", args={"kcal": "1800"}),
    Await(tool_result="c1"),
    AudioOut(data=QUESTION_AUDIO),
    TurnComplete(),
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _no_writes() -> None:
    WRITES.clear()


def tools() -> ToolRegistry:
    return ToolRegistry([set_goal, whats_left])


async def until(session: LiveSession, stop: type[Event], out: list[Event]) -> Event:
    with anyio.fail_after(10):
        async for event in session:
            out.append(event)
            if isinstance(event, stop):
                return event
    raise AssertionError(f"the session ended before {stop.__name__}")


def statuses(events: list[Event]) -> list[str]:
    return [e.status for e in events if isinstance(e, ToolConfirmation)]


async def test_yes_in_a_later_turn_runs_the_read_back_call_once() -> None:
    backend = ScriptedBackend([
        *ASKED, Await(texts=1), UserTranscript(text="yeah, go ahead please"),
    ])
    events: list[Event] = []
    async with LiveSession(backend, tools=tools(), sink=MemorySink(PCM16_24K)) as s:
        await until(s, TurnComplete, events)
        assert WRITES == []  # the question was put; nothing ran
        await s.send_text("(the test checked; the script goes on)")
        conn = backend.connections[0]
        first = conn.tool_results[0]
        assert first[0] == "c1"
        assert first[2]["output"]["status"] == "confirmation_required"
        assert first[2]["output"]["question"] == "Set your daily goal to 1800 kcal?"
        result = await until(s, ToolResult, events)
    assert WRITES == [{"kcal": 1800.0, "note": "", "user": "default"}]
    assert isinstance(result, ToolResult) and result.ok and result.id == "c1"
    assert conn.tool_results[1] == ("c1", "set_goal", {
        "output": {"kcal": 1800.0, "summary": "Your goal is now 1800 kcal."}})
    kinds = [e.type for e in events]
    assert kinds.index("tool_call") < kinds.index("tool_confirmation") < kinds.index(
        "turn_complete") < kinds.index("tool_result")
    assert statuses(events) == ["pending", "confirmed"]
    pending = next(e for e in events if isinstance(e, ToolConfirmation))
    assert pending.to_dict() == {
        "type": "tool_confirmation", "id": "c1", "name": "set_goal", "args": {"kcal": "1800"},
        "status": "pending", "question": "Set your daily goal to 1800 kcal?",
    }


@pytest.mark.parametrize("answer", ["no, don't", "nope", "hmm wait a second"])
async def test_no_cancels_and_nothing_is_written(answer: str) -> None:
    backend = ScriptedBackend([*ASKED, UserTranscript(text=answer)])
    events: list[Event] = []
    async with LiveSession(backend, tools=tools()) as s:
        cancelled = await until(s, ToolCancelled, events)
    assert cancelled == ToolCancelled(id="c1", name="set_goal")
    assert statuses(events) == ["pending", "declined"]
    assert WRITES == []
    follow = backend.connections[0].tool_results[-1]
    assert follow[0] == "c1" and follow[2]["output"]["status"] == "declined"
    assert not any(isinstance(e, ToolResult) for e in events)


async def test_a_different_request_cancels_it() -> None:
    backend = ScriptedBackend([
        *ASKED, UserTranscript(text="hmm actually how much have I got left"),
    ])
    events: list[Event] = []
    async with LiveSession(backend, tools=tools()) as s:
        await until(s, ToolCancelled, events)
    assert statuses(events) == ["pending", "declined"]
    assert WRITES == []
    assert backend.connections[0].tool_results[-1][2]["output"]["status"] in (
        "cancelled", "declined")


async def test_a_call_of_another_tool_cancels_it_and_runs() -> None:
    backend = ScriptedBackend([
        *ASKED, ToolCall(id="c2", name="whats_left"), Await(tool_result="c2"),
    ])
    events: list[Event] = []
    async with LiveSession(backend, tools=tools()) as s:
        result = await until(s, ToolResult, events)
    assert isinstance(result, ToolResult) and result.id == "c2"
    assert statuses(events) == ["pending", "declined"]
    assert ToolCancelled(id="c1", name="set_goal") in events
    assert WRITES == []
    sent = [(r[0], r[2]["output"].get("status")) for r in backend.connections[0].tool_results]
    assert sent == [("c1", "confirmation_required"), ("c1", "cancelled"), ("c2", None)]


async def test_silence_past_the_timeout_expires_it() -> None:
    clock = FakeClock()
    backend = ScriptedBackend(ASKED)
    events: list[Event] = []
    session = LiveSession(backend, tools=tools())
    session.confirmations.clock = clock
    session.confirmations.gate.timeout_s = 20.0
    async with session as s:
        await until(s, TurnComplete, events)
        clock.advance(19.5)
        assert statuses(events) == ["pending"]
        clock.advance(1.0)
        await until(s, ToolCancelled, events)
    assert statuses(events) == ["pending", "expired"]
    assert WRITES == []
    assert backend.connections[0].tool_results[-1][2]["output"]["status"] == "expired"


async def test_a_yes_after_the_timeout_runs_nothing() -> None:
    clock = FakeClock()
    backend = ScriptedBackend([*ASKED, Await(texts=1), UserTranscript(text="yes")])
    events: list[Event] = []
    session = LiveSession(backend, tools=tools())
    session.confirmations.clock = clock
    async with session as s:
        await until(s, TurnComplete, events)
        clock.advance(session.confirmations.gate.timeout_s + 1)
        await until(s, ToolCancelled, events)
        await s.send_text("are you there")
        await until(s, UserTranscript, events)
        await s.close()
        async for event in s:
            events.append(event)
    assert statuses(events) == ["pending", "expired"]
    assert WRITES == []


async def test_the_request_transcript_is_not_the_answer() -> None:
    # The transcript of the request itself may arrive after the call: it must not count.
    backend = ScriptedBackend([
        ToolCall(id="c1", name="set_goal", args={"kcal": 1800}),
        Await(tool_result="c1"),
        UserTranscript(text="yes set my goal to 1800"),
        AudioOut(data=QUESTION_AUDIO),
        TurnComplete(),
    ])
    events: list[Event] = []
    async with LiveSession(backend, tools=tools()) as s:
        await until(s, TurnComplete, events)
        assert statuses(events) == ["pending"]
        assert s.confirmations.gate.pending is not None
    async for event in s:
        events.append(event)
    assert WRITES == []
    assert statuses(events) == ["pending", "expired"]  # the session ended: given up


async def test_the_end_of_the_session_cancels_it() -> None:
    backend = ScriptedBackend(ASKED)
    events: list[Event] = []
    async with LiveSession(backend, tools=tools()) as s:
        await until(s, TurnComplete, events)
    async for event in s:
        events.append(event)
    assert statuses(events) == ["pending", "expired"]
    assert events[-2:] == [ToolCancelled(id="c1", name="set_goal"), events[-1]]
    assert isinstance(events[-1], SessionClosed)
    assert WRITES == []


async def test_a_repeated_call_is_asked_again_not_run() -> None:
    backend = ScriptedBackend([
        *ASKED, ToolCall(id="c1b", name="set_goal", args={"kcal": "1800"}),
        Await(tool_result="c1b"), UserTranscript(text="sure"),
    ])
    events: list[Event] = []
    async with LiveSession(backend, tools=tools()) as s:
        result = await until(s, ToolResult, events)
    assert isinstance(result, ToolResult) and result.id == "c1"
    assert statuses(events) == ["pending", "confirmed"]
    assert len(WRITES) == 1
    outputs = [(r[0], r[2]["output"].get("status")) for r in backend.connections[0].tool_results]
    assert outputs[:2] == [("c1", "confirmation_required"), ("c1b", "confirmation_required")]


async def test_invalid_arguments_are_refused_without_asking() -> None:
    backend = ScriptedBackend([ToolCall(id="c1", name="set_goal", args={"kcal": "lots"})])
    events: list[Event] = []
    async with LiveSession(backend, tools=tools()) as s:
        result = await until(s, ToolResult, events)
    assert isinstance(result, ToolResult) and not result.ok
    assert statuses(events) == []
    assert WRITES == []


def test_confirm_template_must_name_parameters() -> None:
    with pytest.raises(ToolDefinitionError, match="unknown parameter"):
        @tool(confirm="Really set {calories}?")
        def set_it(kcal: float) -> None:
            """Set it.

            Args:
                kcal: Calories.
            """

    with pytest.raises(ToolDefinitionError, match="question template"):
        @tool(confirm="  ")
        def set_that(kcal: float) -> None:
            """Set that.

            Args:
                kcal: Calories.
            """


def test_default_question_reads_the_arguments_back() -> None:
    @tool(confirm=True)
    def delete_meal(meal: str, day: str = "today") -> dict[str, Any]:
        """Delete a meal.

        Args:
            meal: Which meal.
            day: Which day.
        """
        return {}

    assert delete_meal.confirm
    assert delete_meal.confirmation_question({"meal": "lunch", "day": "today"}) == (
        "Should I delete meal with meal lunch, day today?")
    assert whats_left.confirmation_question({}) is None


async def test_a_call_the_backend_withdraws_is_given_up() -> None:
    # Gemini 3.x cancels a blocking call when the user keeps talking right after it
    backend = ScriptedBackend([*ASKED, ToolCallCancellation(ids=("c1",)),
                               UserTranscript(text="yes")])
    events: list[Event] = []
    async with LiveSession(backend, tools=tools()) as s:
        await until(s, ToolCancelled, events)
        await until(s, UserTranscript, events)
    assert statuses(events) == ["pending", "expired"]
    assert WRITES == []


async def test_the_model_repeating_a_confirmed_call_does_not_run_it_twice() -> None:
    backend = ScriptedBackend([
        *ASKED, UserTranscript(text="yes"), Await(tool_result="c1"),
        ToolCall(id="c1-again", name="set_goal", args={"kcal": "1800"}),
        Await(tool_result="c1-again"),
    ])
    events: list[Event] = []
    async with LiveSession(backend, tools=tools()) as s:
        await until(s, ToolResult, events)
        await until(s, ToolCancelled, events)
    assert len(WRITES) == 1
    assert ToolCancelled(id="c1-again", name="set_goal") in events
    last = backend.connections[0].tool_results[-1]
    assert last[0] == "c1-again" and last[2]["output"]["status"] == "already_done"
    assert statuses(events) == ["pending", "confirmed"]
