"""Understanding inside the offline backend: from speech (Piper, the loaded models) and text."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import anyio
import pytest

from voicelive.backends.local import LocalBackend
from voicelive.backends.local.understand import Understander
from voicelive.config import SessionConfig
from voicelive.events import AssistantTranscript, ToolCall, TurnComplete
from voicelive.tools import ToolRegistry, tool

pytestmark = pytest.mark.slow

SILENCE = bytes(16000)  # 0.5 s at 16 kHz
STEP = 1280  # 40 ms of PCM16 at 16 kHz


@tool
def log_water(ml: int) -> str:
    """Log water the person drank.

    Args:
        ml: How much water, in millilitres.
    """
    return f"Logged {ml} millilitres of water."


async def _turns(conn: Any, tools: ToolRegistry, inputs: list[bytes | str]) -> list[Any]:
    """Send each input (speech or text) in turn; answer tool calls; return every event."""
    seen: list[Any] = []
    for item in inputs:
        if isinstance(item, str):
            await conn.send_text(item)
        else:
            for start in range(0, len(item), STEP):
                await conn.send_audio(item[start:start + STEP])
            await conn.end_audio()
        async for event in conn.events():
            seen.append(event)
            if isinstance(event, ToolCall):
                await conn.send_tool_result(event.id, event.name,
                                            await tools.call(event.name, event.args))
            elif isinstance(event, TurnComplete):
                break
    return seen


def test_a_plain_tool_is_called_from_speech_and_loses_to_a_better_one(
        backend: LocalBackend, tmp_path: Path, say: Any) -> None:
    from voicelive.nutrition import toolkit

    tools = toolkit(db_path=tmp_path / "d.sqlite3") + ToolRegistry([log_water])

    async def main() -> list[Any]:
        async with backend.connect(SessionConfig(), tools) as conn:
            return await _turns(conn, tools, [
                SILENCE + say("I just drank five hundred millilitres of water.") + SILENCE,
                SILENCE + say("I had a banana.") + SILENCE,
            ])

    events = anyio.run(main)
    calls = [(e.name, e.args) for e in events if isinstance(e, ToolCall)]
    assert calls[0] == ("log_water", {"ml": 500})
    assert [name for name, _ in calls[1:]] == ["unplanned_food"]
    assert "banana" in calls[1][1]["food"]
    replies = [e.text for e in events if isinstance(e, AssistantTranscript)]
    assert replies[0] == "Logged 500 millilitres of water."


def test_a_conversation_keeps_its_state_across_turns(backend: LocalBackend, tools: Any) -> None:
    async def main() -> tuple[list[Any], Any]:
        async with backend.connect(SessionConfig(), tools) as conn:
            events = await _turns(conn, tools, ["I ate something", "oh, an apple",
                                                "I skipped breakfast and then ran for "
                                                "half an hour", "and lunch too"])
            return events, conn.dialogue

    events, state = anyio.run(main)
    replies = [e.text for e in events if isinstance(e, AssistantTranscript)]
    assert replies[0] == "Which food?"
    calls = [(e.name, e.args) for e in events if isinstance(e, ToolCall)]
    assert [name for name, _ in calls] == ["unplanned_food", "missed_meal", "log_activity",
                                          "missed_meal"]
    assert calls[0][1]["food"] == "apple" and calls[3][1] == {"meal": "lunch"}
    assert calls[2][1]["minutes"] == 30 and calls[2][1]["activity"] == "running"
    assert state.to_dict()["last"] == [{"tool": "missed_meal", "args": {"meal": "lunch"}}]


def test_understanding_runs_off_the_event_loop(backend: LocalBackend, tools: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[bool] = []
    real = Understander.understand

    def spy(self: Understander, *args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Understander, "understand", spy)

    async def main() -> list[Any]:
        async with backend.connect(SessionConfig(), tools) as conn:
            return await _turns(conn, tools, ["I had a banana. " * 500])  # 8,000 characters

    events = anyio.run(main)
    assert threads == [False]
    assert any(isinstance(e, ToolCall) for e in events)


def test_unreachable_tools_are_warned_about_once(caplog: pytest.LogCaptureFixture) -> None:
    @tool
    def sync(payload: dict[str, int]) -> str:
        """Synchronise a payload."""
        return ""

    registry = ToolRegistry([sync])
    backend = LocalBackend()  # no models are needed to build the understanding
    with caplog.at_level("WARNING", logger="voicelive.backends.local.backend"):
        backend.understander(registry)
        backend.understander(registry)
    warnings = [r for r in caplog.records if "cannot be called" in r.getMessage()]
    assert len(warnings) == 1 and "sync" in warnings[0].getMessage()


def test_a_follow_up_resumes_on_another_connection(backend: LocalBackend, tools: Any) -> None:
    async def main() -> tuple[dict[str, Any], list[Any]]:
        async with backend.connect(SessionConfig(), tools) as first:
            await _turns(first, tools, ["I skipped breakfast"])
            saved = first.export_state()
        resumed = SessionConfig(resume_state=json.loads(json.dumps(saved)))
        async with backend.connect(resumed, tools) as second:
            return saved, await _turns(second, tools, ["and lunch too"])

    saved, events = anyio.run(main)
    assert saved["dialogue"]["last"] == [{"tool": "missed_meal", "args": {"meal": "breakfast"}}]
    calls = [(e.name, e.args) for e in events if isinstance(e, ToolCall)]
    assert calls == [("missed_meal", {"meal": "lunch"})]
