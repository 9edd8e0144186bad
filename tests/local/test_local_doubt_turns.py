"""No write on a mishearing, turn by turn: the question, the answer next turn, the counts.

The first tests drive the real :class:`~voicelive.backends.local.answering.Answerer` with the
real understanding and turn tracker; only the recogniser's side is a stand-in that hands out
prepared hypotheses and scores readings from a table, and the reply is recorded instead of
synthesised. The last tests weigh real Whisper readings of synthesised speech.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anyio
import numpy as np
import pytest
from mouth import Mouth

from voicelive.backends.local.answering import Answerer, Job
from voicelive.backends.local.doubt import Verdict, canonical, rival_texts, weigh
from voicelive.backends.local.stt import Hearing
from voicelive.backends.local.understand import DialogueState, Understander, Understanding
from voicelive.events import Event, ToolCall
from voicelive.turns import TurnTracker


class Hearer:
    """The recogniser's side: each utterance's hypotheses in turn; readings scored by table."""

    check_slots = False
    check_writes = True
    second = None

    def __init__(self, understander: Understander, turns: Sequence[Sequence[str]],
                 scores: Mapping[str, float]) -> None:
        self._understander = understander
        self._turns = list(turns)
        self._scores = {canonical(k): v for k, v in scores.items()}

    async def transcribe(self, audio: Any, spec: Any = None) -> Hearing:
        return Hearing(tuple(self._turns.pop(0)))

    def unsure(self, hearing: Hearing | None, result: Understanding | None) -> None:
        return None  # no second opinion here (see test_local_second_turns.py)

    async def weigh(self, hearing: Hearing, result: Understanding, before: DialogueState,
                    rejected: Sequence[Understanding] = (), by: Any = None) -> Verdict:
        others, twins = rival_texts(hearing.texts, result.text)
        understand = self._understander.understand
        return weigh(result, [understand([t], before) for t in others],
                     lambda texts: [self._scores.get(canonical(t), -99.0) for t in texts],
                     twins=[understand([t], before) for t in twins], before=before)


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("turns")) / "d.sqlite3"))


def converse(nutrition: Understander, turns: Sequence[Sequence[str]],
             scores: Mapping[str, float]) -> tuple[list[ToolCall], list[str], Answerer]:
    """Answer each utterance in turn; the calls made, the replies, the answerer."""
    tracker = TurnTracker()
    mouth = Mouth(tracker)
    calls: list[ToolCall] = []
    answerer: Answerer

    async def emit(event: Event) -> None:
        if isinstance(event, ToolCall):
            calls.append(event)
            answerer.deliver(event.id, event.name, {"output": {"summary": "Done."}})

    answerer = Answerer(nutrition, Hearer(nutrition, turns, scores),  # type: ignore[arg-type]
                        mouth, tracker, emit,  # type: ignore[arg-type]
                        dialogue=DialogueState(), transcribe_input=True)

    async def main() -> None:
        for _ in turns:
            tracker.speech_started(time.perf_counter())
            turn = tracker.speech_ended(time.perf_counter(), 400.0)
            await answerer.answer(Job(turn, audio=np.zeros(16000, np.float32)))

    anyio.run(main)
    return calls, mouth.said, answerer


JOG_14 = "So I went jogging for like 14 minutes."
JOG_40 = "So I went jogging for like 40 minutes."
CLOSE = {JOG_14: -9.0, JOG_40: -8.7}  # the audio slightly prefers the twin


def test_a_doubtful_number_is_asked_about_and_the_answer_is_written(
        nutrition: Understander) -> None:
    calls, said, answerer = converse(nutrition, [[JOG_14], ["forty"]], CLOSE)
    assert said[0] == "Sorry, did you say 14 or 40?"
    assert [(c.name, c.args["minutes"]) for c in calls] == [("log_activity", 40.0)]
    assert answerer.doubts == {"kept": 0, "switched": 0, "asked": 1, "resolved": 1,
                               "dropped": 0}
    assert answerer.dialogue.last[0].args["minutes"] == 40.0  # a follow-up leans on it


def test_an_answer_about_something_else_is_a_new_request(nutrition: Understander) -> None:
    calls, said, answerer = converse(
        nutrition, [[JOG_14], ["How many calories are in a banana?"]], CLOSE)
    assert said[0].endswith("?") and len(said) == 2
    assert [c.name for c in calls] == ["lookup_food"]  # nothing of the doubtful turn written
    assert answerer.doubts["asked"] == 1 and answerer.doubts["dropped"] == 1


def test_a_number_the_audio_supports_is_written_at_once(nutrition: Understander) -> None:
    calls, said, answerer = converse(nutrition, [[JOG_40]], {JOG_40: -5.0, JOG_14: -12.0})
    assert said == ["Done."]
    assert [(c.name, c.args["minutes"]) for c in calls] == [("log_activity", 40.0)]
    assert answerer.doubts["kept"] == 1 and answerer.doubts["asked"] == 0


def test_typed_text_is_not_weighed(nutrition: Understander) -> None:
    tracker = TurnTracker()
    calls: list[ToolCall] = []
    answerer: Answerer

    async def emit(event: Event) -> None:
        if isinstance(event, ToolCall):
            calls.append(event)
            answerer.deliver(event.id, event.name, {"output": {"summary": "Done."}})

    answerer = Answerer(nutrition, Hearer(nutrition, [], {}),  # type: ignore[arg-type]
                        Mouth(tracker), tracker, emit,  # type: ignore[arg-type]
                        dialogue=DialogueState(), transcribe_input=False)

    async def main() -> None:
        turn, _ = tracker.text_received()
        await answerer.answer(Job(turn, text=JOG_14))

    anyio.run(main)
    assert [c.args["minutes"] for c in calls] == [14.0]  # what was typed is what was meant
    assert sum(answerer.doubts.values()) == 0


# -- real readings of synthesised speech -----------------------------------------------------


@pytest.fixture(scope="module")
def listener(models: Any, nutrition: Understander) -> Any:
    from voicelive.backends.local.early import judge_by_match
    from voicelive.backends.local.listening import Listener
    from voicelive.backends.local.vad import EndpointDetector, Segmenter, SileroStream

    segmenter = Segmenter(SileroStream(models.vad_session), EndpointDetector())
    return Listener(models, nutrition, segmenter, prompt_ids=[], dialogue=DialogueState,
                    hypotheses=4, check_slots=True, early_commit_ms=0.0, judge=judge_by_match)


def _hear(listener: Any, say: Any, text: str) -> Hearing:
    pcm = say(text)
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    hearing: Hearing = anyio.run(listener.transcribe, audio)
    return hearing


def test_whisper_keeps_a_number_it_heard_right(listener: Any, say: Any,
                                               nutrition: Understander) -> None:
    hearing = _hear(listener, say, "I went for a bike ride, about forty minutes.")
    result = nutrition.understand(list(hearing.texts))
    assert [c.args.get("minutes") for c in result.calls] == [40.0], hearing.texts
    verdict = anyio.run(listener.weigh, hearing, result, DialogueState())
    assert verdict.decision == "keep" and verdict.margin is not None and verdict.margin < 0.0
    assert verdict.result is result


def test_whisper_does_not_let_a_misheard_number_be_written(listener: Any, say: Any,
                                                           nutrition: Understander) -> None:
    # the audio says forty; the transcript the understanding got says fourteen
    hearing = _hear(listener, say, "I went for a bike ride, about forty minutes.")
    misheard = nutrition.understand(["I went for a bike ride, about 14 minutes."])
    assert [c.args.get("minutes") for c in misheard.calls] == [14.0]
    verdict = anyio.run(listener.weigh, hearing, misheard, DialogueState())
    assert verdict.decision in ("ask", "switch"), verdict
    assert all(c.args.get("minutes") != 14.0 for c in verdict.result.calls)
