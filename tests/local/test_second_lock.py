"""The second recogniser has a lock of its own: a second hearing never makes a first one wait.

Whisper base hears an unsure turn again for about 0.3 s. Under the first recogniser's lock
(shared by every session of the process) the next utterance's transcript, or another
session's, would queue behind it; with a lock of its own they run beside it. Stand-in
recognisers driven by events (no models, no sleeps): the second hearing waits, while it
holds its lock, until a first transcription has finished.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import anyio
import numpy as np
import pytest

from voicelive.backends.local.listening import Listener
from voicelive.backends.local.models import recogniser_lock
from voicelive.backends.local.stt import Hearing
from voicelive.backends.local.understand import DialogueState, Understander

GUARD_S = 20.0  # only ends a test that would otherwise hang; never reached when it passes


class Models:
    """What :class:`Listener` reads of :class:`~voicelive.backends.local.models.LocalModels`."""

    def __init__(self, transcriber: Any) -> None:
        self.transcriber = transcriber
        self.stt_lock = threading.Lock()


class First:
    """The first recogniser: hears a request and says it has."""

    def __init__(self) -> None:
        self.done = threading.Event()

    def listen(self, audio: Any, **_: Any) -> Hearing:
        self.done.set()
        return Hearing(("how many calories are in a banana",), scores=(-0.1,))


class Second:
    """The second recogniser: starts, then waits (holding its lock) for the first to finish."""

    def __init__(self, first: First) -> None:
        self.first = first
        self.started = threading.Event()
        self.saw_first_finish = False

    def listen(self, audio: Any, **_: Any) -> Hearing:
        self.started.set()
        self.saw_first_finish = self.first.done.wait(GUARD_S)
        return Hearing(("how many calories are in a banana",), scores=(-0.2,))


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("lock")) / "d.sqlite3"))


def test_the_main_recogniser_uses_the_shared_lock_and_another_its_own() -> None:
    first, other, third = First(), First(), First()
    models = Models(first)
    assert recogniser_lock(models) is models.stt_lock  # type: ignore[arg-type]
    assert recogniser_lock(models, first) is models.stt_lock  # type: ignore[arg-type]
    own = recogniser_lock(models, other)  # type: ignore[arg-type]
    assert own is not models.stt_lock
    assert recogniser_lock(models, other) is own  # type: ignore[arg-type]
    assert recogniser_lock(models, third) is not own  # type: ignore[arg-type]


def test_a_first_transcription_runs_while_the_second_recogniser_hears(
        nutrition: Understander) -> None:
    first = First()
    second = Second(first)
    listener = Listener(Models(first), nutrition, None,  # type: ignore[arg-type]
                        prompt_ids=[], dialogue=DialogueState, hypotheses=2, check_slots=False,
                        early_commit_ms=0.0, judge=lambda texts, result: False,
                        second=second)  # type: ignore[arg-type]
    audio = np.zeros(16000, np.float32)
    unsure = nutrition.understand(["the weather in the harbour"], DialogueState())
    heard: dict[str, Any] = {}

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            async def hear_again() -> None:
                heard["opinion"] = await listener.second_opinion(
                    audio, Hearing(("the weather in the harbour",), scores=(-0.9,)), unsure,
                    DialogueState(), "no_call")

            tg.start_soon(hear_again)
            assert await anyio.to_thread.run_sync(second.started.wait, GUARD_S)
            heard["first"] = await listener.transcribe(audio)  # while base holds its lock

    anyio.run(main)
    assert second.saw_first_finish  # the first transcription did not wait for the second
    assert heard["first"].texts == ("how many calories are in a banana",)
    choice = heard["opinion"].choice
    assert choice is not None and choice.decision == "second"
    assert [c.tool for c in choice.result.calls] == ["lookup_food"]
