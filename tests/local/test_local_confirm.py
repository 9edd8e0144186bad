"""Spoken confirmation with the offline backend: the question is spoken, the answer (typed, or
spoken in the Piper voice) is understood, and ``set_targets`` writes only after a yes."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from voicelive import LiveSession
from voicelive.audio import PCM16_24K, MemorySink, MemorySource
from voicelive.backends.local import LocalBackend
from voicelive.events import (
    AssistantTranscript,
    Event,
    ToolCancelled,
    ToolConfirmation,
    ToolResult,
    TurnComplete,
    UserTranscript,
)
from voicelive.testing.clock import FakeClock
from voicelive.tools import ToolContext, ToolRegistry

pytestmark = [pytest.mark.slow, pytest.mark.anyio]

USER = "confirm-tester"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def target_kcal(tools: ToolRegistry) -> float:
    summary = await tools.call("daily_summary", {}, context=ToolContext(user_id=USER))
    kcal: float = summary["output"]["targets"]["kcal"]
    return kcal


class Turns:
    """Reads a session's events turn by turn."""

    def __init__(self, session: LiveSession) -> None:
        self.session = session
        self.events: list[Event] = []

    async def turn(self) -> list[Event]:
        out: list[Event] = []
        with anyio.fail_after(120):
            async for event in self.session:
                out.append(event)
                if isinstance(event, TurnComplete):
                    break
        self.events += out
        return out

    def statuses(self) -> list[str]:
        return [e.status for e in self.events if isinstance(e, ToolConfirmation)]


def said(events: list[Event]) -> str:
    return " ".join(e.text for e in events if isinstance(e, AssistantTranscript))


async def ask_for_1800(turns: Turns) -> list[Event]:
    await turns.session.send_text("okay please set my daily target to 1800 calories")
    first = await turns.turn()
    assert turns.statuses() == ["pending"]
    assert said(first) == "Set your daily target to 1800 kcal?"
    return first


def session(backend: LocalBackend, tools: ToolRegistry, **kwargs: Any) -> LiveSession:
    from voicelive.config import SessionConfig

    return LiveSession(backend, SessionConfig(user_id=USER), tools=tools,
                       sink=MemorySink(PCM16_24K), **kwargs)


async def test_question_is_spoken_and_yes_writes_once(backend: LocalBackend,
                                                     tools: ToolRegistry) -> None:
    before = await target_kcal(tools)
    s = session(backend, tools)
    async with s:
        turns = Turns(s)
        await ask_for_1800(turns)
        assert isinstance(s.sink, MemorySink) and len(s.sink.data) > 24000  # spoken, > 0.5 s
        assert await target_kcal(tools) == before  # nothing written before the yes
        await s.send_text("yeah, go ahead")
        second = await turns.turn()
    results = [e for e in turns.events if isinstance(e, ToolResult)]
    assert len(results) == 1 and results[0].ok and results[0].name == "set_targets"
    assert turns.statuses() == ["pending", "confirmed"]
    assert "1800 kcal" in said(second)
    assert await target_kcal(tools) == 1800


async def test_a_request_after_the_confirmed_one_runs_once_it_is_answered(
        backend: LocalBackend, tools: ToolRegistry) -> None:
    s = session(backend, tools)
    async with s:
        turns = Turns(s)
        await s.send_text("set my daily target to 1700 calories and then tell me how I'm doing")
        first = await turns.turn()
        assert turns.statuses() == ["pending"]
        assert not any(isinstance(e, ToolResult) for e in first)  # the summary waits too
        await s.send_text("yes please")
        second = await turns.turn()
    names = [e.name for e in second if isinstance(e, ToolResult)]
    assert names == ["set_targets", "daily_summary"]
    assert "1700 kcal" in said(second)


@pytest.mark.parametrize("answer", ["no thanks", "hmm, wait, don't"])
async def test_no_writes_nothing(backend: LocalBackend, tools: ToolRegistry, answer: str) -> None:
    before = await target_kcal(tools)
    s = session(backend, tools)
    async with s:
        turns = Turns(s)
        await ask_for_1800(turns)
        await s.send_text(answer)
        reply = await turns.turn()
    assert turns.statuses() == ["pending", "declined"]
    assert any(isinstance(e, ToolCancelled) for e in reply)
    assert not any(isinstance(e, ToolResult) for e in turns.events)
    assert said(reply) == "Okay, I won't do that."
    assert await target_kcal(tools) == before


async def test_a_new_request_cancels_and_is_answered(backend: LocalBackend,
                                                    tools: ToolRegistry) -> None:
    before = await target_kcal(tools)
    s = session(backend, tools)
    async with s:
        turns = Turns(s)
        await ask_for_1800(turns)
        await s.send_text("how many calories are in a banana")
        reply = await turns.turn()
    assert turns.statuses() == ["pending", "declined"]
    results = [e for e in reply if isinstance(e, ToolResult)]
    assert [r.name for r in results] == ["lookup_food"]  # the new request ran instead
    transcripts = [e.text for e in turns.events if isinstance(e, UserTranscript)]
    assert transcripts.count("how many calories are in a banana") == 1
    assert await target_kcal(tools) == before


async def test_silence_past_the_timeout_then_yes_writes_nothing(backend: LocalBackend,
                                                                tools: ToolRegistry) -> None:
    before = await target_kcal(tools)
    clock = FakeClock()
    s = session(backend, tools)
    s.confirmations.clock = clock
    async with s:
        turns = Turns(s)
        await ask_for_1800(turns)
        clock.advance(s.confirmations.gate.timeout_s + 0.5)
        with anyio.fail_after(30):
            async for event in s:
                turns.events.append(event)
                if isinstance(event, ToolCancelled):
                    break
        await s.send_text("yes")  # too late: a plain "yes" is no request at all
        await turns.turn()
    assert turns.statuses() == ["pending", "expired"]
    assert not any(isinstance(e, ToolResult) for e in turns.events)
    assert await target_kcal(tools) == before


async def test_spoken_yes_is_understood(backend: LocalBackend, tools: ToolRegistry,
                                        say: Any) -> None:
    source = MemorySource(max_chunks=1000)
    s = session(backend, tools, source=source)
    async with s:
        turns = Turns(s)
        await ask_for_1800(turns)
        speech = say("Yes, please do.") + bytes(32000)  # then a second of silence
        for i in range(0, len(speech), 640):
            await source.push(speech[i : i + 640])
        await turns.turn()
    heard = [e.text for e in turns.events if isinstance(e, UserTranscript)]
    assert "yes" in heard[-1].lower()
    assert turns.statuses() == ["pending", "confirmed"]
    assert await target_kcal(tools) == 1800


async def test_a_correction_with_a_new_value_asks_again(backend: LocalBackend,
                                                        tools: ToolRegistry) -> None:
    """ "No wait, 1700." corrects the number: nothing is written, the question is put again
    with the new value, and its yes writes that one."""
    before = await target_kcal(tools)
    s = session(backend, tools)
    async with s:
        turns = Turns(s)
        await ask_for_1800(turns)
        await s.send_text("No wait, 1700.")
        again = await turns.turn()
        assert said(again) == "Set your daily target to 1700 kcal?"
        assert await target_kcal(tools) == before
        await s.send_text("yes")
        await turns.turn()
    assert turns.statuses() == ["pending", "declined", "pending", "confirmed"]
    assert await target_kcal(tools) == 1700
