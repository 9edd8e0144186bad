"""The offline reply path speaks for the ear and shows for the eye: Piper is given "calories"
and "grams" while the transcript event keeps "kcal" and "g"; a repeated request is answered
from the day's state, never as an error."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from voicelive.backends.local import LocalBackend, LocalModels
from voicelive.config import SessionConfig
from voicelive.events import AssistantTranscript, Event, ToolCall, TurnComplete

pytestmark = pytest.mark.slow


async def turn(conn: Any, registry: Any, text: str) -> list[Event]:
    await conn.send_text(text)
    seen: list[Event] = []
    async for event in conn.events():
        seen.append(event)
        if isinstance(event, ToolCall):
            await conn.send_tool_result(event.id, event.name,
                                        await registry.call(event.name, event.args))
        if isinstance(event, TurnComplete):
            return seen
    return seen


def said(events: list[Event]) -> str:
    return " ".join(e.text for e in events if isinstance(e, AssistantTranscript))


def test_piper_hears_words_while_the_transcript_keeps_units(
    backend: LocalBackend, models: LocalModels, tools: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    spoken: list[str] = []
    real = models.synthesizer.synthesize

    def recording(text: str, *args: Any, **kwargs: Any) -> bytes:
        spoken.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(models.synthesizer, "synthesize", recording)

    async def main() -> list[Event]:
        async with backend.connect(SessionConfig(user_id="eater"), tools) as conn:
            return await turn(conn, tools, "how many calories are in a banana")

    events = anyio.run(main)
    shown = said(events)
    assert "kcal" in shown and " g" in shown
    heard = " ".join(spoken)
    assert "calories" in heard and "grams" in heard
    assert "kcal" not in heard and " g " not in heard and " g)" not in heard


def test_missing_lunch_twice_is_answered_from_the_state(backend: LocalBackend, tools: Any) -> None:
    async def main() -> tuple[list[Event], list[Event]]:
        async with backend.connect(SessionConfig(user_id="forgetful"), tools) as conn:
            first = await turn(conn, tools, "I skipped lunch today")
            again = await turn(conn, tools, "I skipped lunch today")
            return first, again

    first, again = anyio.run(main)
    assert "Sorry" not in said(first)
    reply = said(again)
    assert reply.startswith("Lunch is already marked as missed;"), reply
    assert "Sorry" not in reply and "Error" not in reply
