"""Early end of turn, wired through the offline connection, with stand-in judges.

The audio is fed in 32 ms pieces, and the test waits for the speculative transcript before it
feeds the rest of the silence, so where the turn ends depends only on the rule, never on how
fast the machine is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from voicelive.backends.local import LocalBackend
from voicelive.backends.local.early import judge_by_match
from voicelive.backends.local.intent import IntentMatch
from voicelive.config import SessionConfig
from voicelive.events import Event, ToolCall, TurnComplete

pytestmark = pytest.mark.slow

PIECE = 1024  # 32 ms at 16 kHz
FULL_WINDOW_MS = 384.0  # 400 ms of silence_ms, in whole 32 ms windows


def pieces(pcm: bytes) -> list[bytes]:
    return [pcm[i:i + PIECE] for i in range(0, len(pcm), PIECE)]


async def spoken_turn(backend: LocalBackend, tools: Any, pcm: bytes) -> list[Event]:
    seen: list[Event] = []
    async with backend.connect(SessionConfig(), tools) as conn:
        async def follow() -> None:
            async for event in conn.events():
                seen.append(event)
                if isinstance(event, ToolCall):
                    await conn.send_tool_result(event.id, event.name,
                                                await tools.call(event.name, event.args))
                if isinstance(event, TurnComplete):
                    return

        async with anyio.create_task_group() as tg:
            tg.start_soon(follow)
            for piece in pieces(bytes(16000) + pcm + bytes(4 * PIECE)):  # ends 128 ms into a pause
                await conn.send_audio(piece)
                await anyio.lowlevel.checkpoint()  # as a live source does between chunks
            spec = conn._speculation
            assert spec is not None, "the pause did not start a speculative transcript"
            await spec.done.wait()
            for piece in pieces(bytes(32000)):  # one more second of silence
                await conn.send_audio(piece)
                await anyio.lowlevel.checkpoint()
    return seen


def stages_of(seen: list[Event]) -> dict[str, float]:
    done = seen[-1]
    assert isinstance(done, TurnComplete) and done.stages_ms is not None
    assert done.latency_ms is not None
    assert sum(done.stages_ms.values()) == pytest.approx(done.latency_ms, abs=0.5)
    return done.stages_ms


def always(texts: Sequence[str], match: IntentMatch | None) -> bool:
    return True


def never(texts: Sequence[str], match: IntentMatch | None) -> bool:
    return False


def test_a_complete_request_ends_the_turn_at_the_short_pause(tools: Any, say: Any) -> None:
    backend = LocalBackend(judge=always, early_commit_ms=192.0)
    seen = anyio.run(spoken_turn, backend, tools, say("I went running for thirty minutes."))
    stages = stages_of(seen)
    assert 150.0 <= stages["silence"] < FULL_WINDOW_MS
    assert stages["stt"] == 0.0  # recognised during the pause, nothing left after the end
    assert any(isinstance(e, ToolCall) and e.name == "log_activity" for e in seen)


def test_otherwise_the_full_silence_window_is_kept(tools: Any, say: Any) -> None:
    backend = LocalBackend(judge=never, early_commit_ms=192.0)
    stages = stages_of(anyio.run(spoken_turn, backend, tools,
                                 say("I went running for thirty minutes.")))
    assert stages["silence"] == pytest.approx(FULL_WINDOW_MS)


def test_early_ends_can_be_switched_off(tools: Any, say: Any) -> None:
    backend = LocalBackend(judge=always, early_commit_ms=0)
    stages = stages_of(anyio.run(spoken_turn, backend, tools,
                                 say("Log half an hour of cycling please.")))
    assert stages["silence"] == pytest.approx(FULL_WINDOW_MS)


def test_the_default_judge_ends_a_clear_request_early_and_waits_on_an_unfinished_one(
    tools: Any, say: Any
) -> None:
    backend = LocalBackend(judge=judge_by_match)
    clear = stages_of(anyio.run(spoken_turn, backend, tools,
                                say("I skipped lunch today.")))
    assert clear["silence"] < FULL_WINDOW_MS
    unfinished = stages_of(anyio.run(spoken_turn, backend, tools,
                                   say("Could you swap the rice for")))
    assert unfinished["silence"] == pytest.approx(FULL_WINDOW_MS)
