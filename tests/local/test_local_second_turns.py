"""A second opinion, turn by turn: which reading is acted on, the question, the counts.

The real :class:`~voicelive.backends.local.answering.Answerer`, understanding and turn tracker;
the recognisers are stand-ins that hand out prepared hypotheses (the first with a confidence,
the second on request), so the glue between them is exercised without models. The last test
runs the real Whisper base on synthesised speech.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import anyio
import numpy as np
import pytest
from mouth import Mouth

from voicelive.backends.local.answering import Answerer, Job
from voicelive.backends.local.doubt import Verdict, canonical, rival_texts, weigh
from voicelive.backends.local.listening import Opinion
from voicelive.backends.local.second import Reason, choose, needs_second_opinion
from voicelive.backends.local.stt import Hearing
from voicelive.backends.local.understand import DialogueState, Understander, Understanding
from voicelive.events import Event, ToolCall
from voicelive.turns import TurnTracker


class TwoHearers:
    """Both recognisers' sides: per utterance, the first's (texts, confidence) and the second's
    texts."""

    check_slots = False
    check_writes = True
    second = object()  # "a second recogniser is loaded"

    def __init__(self, understander: Understander,
                 turns: Sequence[tuple[Sequence[str], float, Sequence[str] | None]]) -> None:
        self._understander = understander
        self._turns = list(turns)
        self._second: Sequence[str] | None = None
        self.heard_again = 0
        self.weighed: list[tuple[str, ...]] = []
        self.scores: dict[str, float] = {}

    async def weigh(self, hearing: Hearing, result: Understanding, before: DialogueState,
                    rejected: Sequence[Understanding] = (), by: Any = None) -> Verdict:
        """The write check over a table of scores (unknown readings score -20)."""
        self.weighed.append(hearing.texts)
        others, twins = rival_texts(hearing.texts, result.text)
        understand = self._understander.understand
        return weigh(result, [understand([t], before) for t in others],
                     lambda texts: [self.scores.get(canonical(t), -20.0) for t in texts],
                     twins=[understand([t], before) for t in twins], before=before)

    async def transcribe(self, audio: Any, spec: Any = None) -> Hearing:
        texts, confidence, self._second = self._turns.pop(0)
        return Hearing(tuple(texts), scores=(confidence,) * len(texts))

    def unsure(self, hearing: Hearing | None, result: Understanding | None) -> Reason | None:
        if hearing is None or result is None:
            return None
        return needs_second_opinion(result, hearing.confidence)

    async def second_opinion(self, audio: Any, hearing: Hearing, result: Understanding,
                             before: DialogueState, reason: Reason,
                             rival: Any = None) -> Opinion | None:
        self.heard_again += 1
        if self._second is None:
            return Opinion(reason)  # the model failed
        theirs = Hearing(tuple(self._second), scores=(-0.1,))
        choice = choose(result, self._understander.understand(list(self._second), before))
        return Opinion(reason, choice, theirs)


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("two")) / "d.sqlite3"))


def converse(nutrition: Understander,
             turns: Sequence[tuple[Sequence[str], float, Sequence[str] | None]],
             scores: dict[str, float] | None = None) -> tuple[list[ToolCall], list[str], Answerer,
                                                   TwoHearers]:
    tracker = TurnTracker()
    mouth = Mouth(tracker)
    calls: list[ToolCall] = []
    hearers = TwoHearers(nutrition, turns)
    hearers.scores = {canonical(k): v for k, v in (scores or {}).items()}
    answerer: Answerer

    async def emit(event: Event) -> None:
        if isinstance(event, ToolCall):
            calls.append(event)
            answerer.deliver(event.id, event.name, {"output": {"summary": "Done."}})

    answerer = Answerer(nutrition, hearers, mouth, tracker, emit,  # type: ignore[arg-type]
                        dialogue=DialogueState(), transcribe_input=True)

    async def main() -> None:
        for _ in turns:
            tracker.speech_started(time.perf_counter())
            turn = tracker.speech_ended(time.perf_counter(), 400.0)
            await answerer.answer(Job(turn, audio=np.zeros(16000, np.float32)))

    anyio.run(main)
    return calls, mouth.said, answerer, hearers


def test_a_garbled_request_is_answered_from_the_second_hearing(
        nutrition: Understander) -> None:
    calls, _, answerer, _ = converse(nutrition, [
        (["what are the markers for a surfing of old meal"], -0.7,
         ["what are the macros for a serving of oatmeal"])])
    assert [c.name for c in calls] == ["lookup_food"]
    assert "oatmeal" in str(calls[0].args)
    counts = answerer.second_opinions
    assert (counts["asked"], counts["no_call"], counts["taken"]) == (1, 1, 1)


def test_a_sure_request_is_not_heard_again(nutrition: Understander) -> None:
    calls, _, answerer, hearers = converse(nutrition, [
        (["I skipped lunch today"], -0.05, ["I skipped a bunch today"])])
    assert [(c.name, c.args) for c in calls] == [("missed_meal", {"meal": "lunch"})]
    assert hearers.heard_again == 0 and answerer.second_opinions["asked"] == 0


COOKING = "I had a chocolate chip cooking at the office"
COOKIE = "I had a chocolate chip cookie at the office"


def test_an_unsure_write_the_second_contradicts_is_asked_about(
        nutrition: Understander) -> None:
    calls, said, answerer, hearers = converse(nutrition, [([COOKING], -0.5, [COOKIE]),
                                                          (["the cookie"], -0.1, None)])
    assert said[0].startswith("Sorry, did you say")
    assert hearers.weighed == []  # nothing written on the first turn, nothing weighed
    assert [c.name for c in calls] == ["unplanned_food"]  # only after the answer
    assert "cookie" in str(calls[0].args)
    assert answerer.second_opinions["unsure"] == 1
    assert answerer.second_opinions["questions"] == 1
    assert answerer.doubts["resolved"] == 1


def test_a_write_the_second_agrees_with_goes_through_the_write_check(
        nutrition: Understander) -> None:
    calls, said, answerer, hearers = converse(
        nutrition, [([COOKIE], -0.5, ["I had a chocolate chip cookie at the office."])],
        {COOKIE: -3.0})
    assert [c.name for c in calls] == ["unplanned_food"] and not said[0].startswith("Sorry")
    assert hearers.weighed == [(COOKIE,)]
    assert answerer.second_opinions["kept"] == 1


def test_a_failed_second_hearing_leaves_the_first_and_is_counted(
        nutrition: Understander) -> None:
    calls, _, answerer, _ = converse(nutrition, [(["I skipped lunch today"], -0.9, None)])
    assert [(c.name, c.args) for c in calls] == [("missed_meal", {"meal": "lunch"})]
    assert answerer.second_opinions["failed"] == 1


def test_whisper_base_hears_a_request_again(models: Any, say: Any,
                                            nutrition: Understander) -> None:
    """The real second recogniser on real audio: a lookup nobody could mistake."""
    from voicelive.backends.local.listening import Listener
    from voicelive.backends.local.models import load_second_opinion
    from voicelive.backends.local.vad import EndpointDetector, Segmenter, SileroStream

    base = load_second_opinion()
    if base is None:
        pytest.skip("the whisper-base extra is not installed")
    listener = Listener(models, nutrition, Segmenter(SileroStream(models.vad_session),
                                                     EndpointDetector()),
                        prompt_ids=[], dialogue=DialogueState, hypotheses=2,
                        check_slots=False, early_commit_ms=0.0,
                        judge=lambda texts, result: False, second=base)
    audio = np.frombuffer(say("How many calories are in a banana?"),
                          dtype="<i2").astype(np.float32) / 32768.0
    heard = anyio.run(listener.transcribe, audio)
    assert heard is not None and heard.confidence is not None and heard.confidence < 0
    garbled = nutrition.understand(["the weather in the harbour"], DialogueState())
    opinion = anyio.run(listener.second_opinion, audio, heard, garbled, DialogueState(),
                        "no_call")
    assert opinion is not None and opinion.choice is not None
    assert opinion.choice.decision == "second"
    assert [c.tool for c in opinion.choice.result.calls] == ["lookup_food"]


@pytest.mark.slow
def test_a_session_hears_a_request_no_tool_covers_again(backend: Any, tools: Any,
                                                        say: Any) -> None:
    """End to end: no call understood, so Whisper base hears it again; it is counted."""
    from voicelive.backends.local import LocalBackend
    from voicelive.config import SessionConfig
    from voicelive.testing.drive import run_turn

    on = LocalBackend(second_opinion=True)
    if on.load_second_opinion() is None:
        pytest.skip("the whisper-base extra is not installed")
    assert LocalBackend(second_opinion=False).load_second_opinion() is None
    assert LocalBackend().second_opinion  # on by default

    async def main() -> tuple[Any, dict[str, int]]:
        async with on.connect(SessionConfig(), tools) as conn:
            conn._listener.min_confidence = 0.0  # every transcript is unsure
            record = await run_turn(conn, tools, bytes(16000) + say(
                "What will the weather be like this weekend?"))
            return record, conn.second_opinions

    record, counts = anyio.run(main)
    assert record.calls == []  # base hears no request a tool covers either
    assert counts["asked"] == 1 and counts["no_call"] == 1
    assert counts["kept"] + counts["taken"] + counts["questions"] == 1
    assert counts["failed"] == 0
