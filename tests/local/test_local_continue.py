"""A pause at a comma after an early end of turn: the rest continues the turn, not a new one.

The rule (:func:`continues`), the pause the detector measures, and what the two parts ask for
together (:func:`continue_turn`) are plain code tested without models; the last test streams
synthesised speech with a short pause through a real connection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import numpy as np
import pytest

from voicelive.backends.local.early import Answered, continue_turn, continues
from voicelive.backends.local.understand import DialogueState, Understander
from voicelive.backends.local.vad import EndpointDetector, VadSignal
from voicelive.config import SessionConfig
from voicelive.events import Event, ToolCall, TurnComplete


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("cont")) / "d.sqlite3"))


@pytest.mark.parametrize(("early", "pause", "going_on"), [
    (True, 250.0, True),  # a comma: without the early end the turn had not ended
    (True, 399.0, True),
    (True, 400.0, False),  # the full window would have ended it anyway
    (False, 250.0, False),  # it ended at the full window: a new turn
    (True, None, False),  # the first utterance
])
def test_speech_continues_a_turn_only_inside_the_window_it_cut_short(
        early: bool, pause: float | None, going_on: bool) -> None:
    assert continues(ended_early=early, pause_ms=pause, silence_ms=400.0) is going_on


def test_the_detector_measures_the_pause_before_each_start() -> None:
    detector = EndpointDetector(silence_ms=320.0, min_speech_ms=64.0, window_ms=32.0)
    signals = [detector.feed(p) for p in [0.9] * 5]
    assert VadSignal.START in signals and detector.gap_ms is None
    [detector.feed(0.0) for _ in range(4)]  # 128 ms of silence, then an early end
    detector.force_end()
    [detector.feed(0.0) for _ in range(3)]  # 96 ms more
    assert [detector.feed(0.9) for _ in range(2)][-1] is VadSignal.START
    assert detector.gap_ms == pytest.approx(7 * 32.0)


def answered(nutrition: Understander, text: str) -> Answered:
    first = nutrition.understand([text])
    return Answered(DialogueState(), first.text,
                    tuple((c.tool, dict(c.args)) for c in first.calls), "Noted.")


def test_an_aside_after_the_pause_adds_no_write(nutrition: Understander) -> None:
    turn = answered(nutrition, "I didn't have breakfast.")
    assert [t for t, _ in turn.made] == ["missed_meal"]
    alone = nutrition.understand(["Just had some coffee."])
    assert [c.tool for c in alone.calls] == ["unplanned_food"]  # a turn of its own writes it
    together = continue_turn(nutrition.understand, turn, ["Just had some coffee."])
    assert together.calls == () and together.reply == "Noted."  # the cut reply, again
    assert together.state.last and together.state.last[0].tool == "missed_meal"


@pytest.mark.parametrize(("first", "rest", "added"), [
    ("I ate a banana.", "And then a yogurt later.", [("unplanned_food", "yogurt")]),
    ("I skipped dinner.", "Lunch too actually.", [("missed_meal", "lunch")]),
])
def test_what_the_rest_adds_is_made_and_nothing_twice(nutrition: Understander, first: str,
                                                      rest: str,
                                                      added: list[tuple[str, str]]) -> None:
    together = continue_turn(nutrition.understand, answered(nutrition, first), [rest])
    assert [(c.tool, next(iter(c.args.values()))) for c in together.calls] == added


# -- through a real connection ---------------------------------------------------------------

PIECE = 640  # 20 ms of PCM16 at 16 kHz


def always(texts: Any, match: Any) -> bool:
    return bool(match is not None and match.calls)


def _trimmed(pcm: bytes) -> bytes:
    """The speech without the silence a synthesiser puts before it."""
    samples = np.frombuffer(pcm, dtype="<i2")
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > 500)
    start = max(0, int(loud[0]) - 320) if loud.size else 0
    return samples[start:].tobytes()


def test_a_comma_pause_after_an_early_end_is_one_turn(tools: Any, say: Any) -> None:
    from voicelive.backends.local import LocalBackend

    backend = LocalBackend(judge=always, early_commit_ms=192.0)
    first, rest = say("I didn't have breakfast."), _trimmed(say("Just had some coffee."))
    seen: list[Event] = []

    async def main() -> tuple[int, int]:
        async with backend.connect(SessionConfig(), tools) as conn:
            called = anyio.Event()

            async def follow() -> None:
                async for event in conn.events():
                    seen.append(event)
                    if isinstance(event, ToolCall):
                        called.set()
                        await conn.send_tool_result(event.id, event.name,
                                                    await tools.call(event.name, event.args))
                    if isinstance(event, TurnComplete) and conn.continued_turns:
                        return

            async def feed(pcm: bytes) -> None:
                for i in range(0, len(pcm), PIECE):
                    await conn.send_audio(pcm[i:i + PIECE])
                    await anyio.lowlevel.checkpoint()

            async with anyio.create_task_group() as tg:
                # a guard against a hang if the events never come, not a speed limit
                tg.cancel_scope.deadline = anyio.current_time() + 120.0
                tg.start_soon(follow)
                await feed(bytes(16000) + first + bytes(4 * PIECE))  # into a pause
                spec = conn._speculation
                assert spec is not None
                await spec.done.wait()
                await feed(bytes(4 * PIECE))  # the turn ends early ...
                await called.wait()  # ... and its answer begins: the missed breakfast
                await feed(rest + bytes(32000))  # speech again within the full window
                await conn.end_audio()
            return conn.continued_turns, conn.carried_turns

    continued, carried = anyio.run(main)
    calls = [e.name for e in seen if isinstance(e, ToolCall)]
    assert (continued, carried) == (1, 0)
    assert calls == ["missed_meal"]  # the coffee was an aside of the missed breakfast
