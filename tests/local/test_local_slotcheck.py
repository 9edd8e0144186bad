"""Checking slot values against the audio: the decision on a table scorer, then on Whisper.

The decision (:func:`recheck_slots`) is tested with a scorer whose log-probabilities come from
a table, so every branch is exercised without models; the last tests run the real recogniser
on synthesised speech.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from voicelive.backends.local.slotcheck import SlotSpan, recheck_slots
from voicelive.backends.local.stt import HeardScorer
from voicelive.backends.local.understand import Understander

FOODS = ["quinoa", "tilapia", "rice", "rice cakes", "almonds", "kiwi"]


class TableScorer:
    """Words are tokens; a word's log-probability comes from ``words`` (default -0.1)."""

    def __init__(self, words: Mapping[str, float], firsts: Mapping[str, float] | None = None,
                 *, fail: bool = False) -> None:
        self.words = dict(words)
        self.firsts = dict(firsts or {})
        self.fail = fail
        self.vocab: dict[str, int] = {}
        self.scored: list[list[str]] = []
        self.asked: list[list[str]] = []

    def _id(self, word: str) -> int:
        return self.vocab.setdefault(word, len(self.vocab))

    def _word(self, token: int) -> str:
        return next(w for w, i in self.vocab.items() if i == token)

    def token_ids(self, text: str) -> list[int]:
        return [self._id(w) for w in text.lower().split()]

    def token_logprobs(self, token_lists: Sequence[Sequence[int]]) -> list[list[float]] | None:
        if self.fail:
            return None
        self.scored += [[self._word(t) for t in tokens] for tokens in token_lists]
        return [[self.words.get(self._word(t), -0.1) for t in tokens] for tokens in token_lists]

    def next_token_logprobs(
        self, prefixes: Sequence[Sequence[int]]
    ) -> list[npt.NDArray[np.float32] | None]:
        self.asked += [[self._word(t) for t in p] for p in prefixes]
        for word in self.firsts:
            self._id(word)
        dist = np.full(len(self.vocab) + 8, -20.0, dtype=np.float32)
        for word, lp in self.firsts.items():
            dist[self.vocab[word]] = lp
        return [dist for _ in prefixes]


def spans_of(text: str, **slots: str) -> list[SlotSpan]:
    return [SlotSpan(slot, text.index(value), text.index(value) + len(value))
            for slot, value in slots.items()]


KNOWN = {"replacement": FOODS, "original": FOODS, "food": FOODS}
TEXT = "swap rice for tilapia at dinner"


def test_a_value_the_audio_supports_stands_without_further_scoring() -> None:
    scorer = TableScorer({"tilapia": -0.2})
    assert recheck_slots(TEXT, spans_of(TEXT, replacement="tilapia"), KNOWN, scorer) == {}
    assert scorer.asked == []  # no ranking of the other values was needed
    assert scorer.scored == [TEXT.split()]


def test_a_doubtful_value_gives_way_to_a_known_value_the_audio_favours() -> None:
    scorer = TableScorer({"tilapia": -9.0, "quinoa": -1.0, "kiwi": -6.0},
                         firsts={"quinoa": -1.0, "kiwi": -2.5, "tilapia": -9.0})
    changes = recheck_slots(TEXT, spans_of(TEXT, replacement="tilapia"), KNOWN, scorer)
    assert changes == {"replacement": "quinoa"}
    assert scorer.asked == [["swap", "rice", "for"]]
    # Candidates are the values whose first token is close to the best one, each followed
    # by the rest of the text; "almonds" (first token far less likely) is never scored.
    assert ["swap", "rice", "for", "quinoa", "at", "dinner"] in scorer.scored
    assert not any("almonds" in s for s in scorer.scored)


def test_a_doubtful_value_stands_when_no_known_value_is_clearly_likelier() -> None:
    scorer = TableScorer({"tilapia": -3.0, "quinoa": -2.5}, firsts={"quinoa": -1.0})
    changes = recheck_slots(TEXT, spans_of(TEXT, replacement="tilapia"), KNOWN, scorer,
                            margin=1.0)
    assert changes == {}


def test_only_the_doubtful_slot_of_several_is_checked() -> None:
    scorer = TableScorer({"tilapia": -9.0, "quinoa": -0.5}, firsts={"quinoa": -0.5})
    spans = spans_of(TEXT, original="rice", replacement="tilapia")
    assert recheck_slots(TEXT, spans, KNOWN, scorer) == {"replacement": "quinoa"}
    assert scorer.asked == [["swap", "rice", "for"]]


def test_an_implausible_unknown_value_gives_way_even_to_a_less_likely_known_one() -> None:
    text = "i snacked on some moments"
    spans = spans_of(text, food="moments")
    words = {"moments": -0.05, "almonds": -7.5}
    firsts = {"almonds": -6.0}
    assert recheck_slots(text, spans, KNOWN, TableScorer(words, firsts)) == {}
    assert recheck_slots(text, spans, KNOWN, TableScorer(words, firsts),
                         plausible=lambda slot, value: True) == {}
    changes = recheck_slots(text, spans, KNOWN, TableScorer(words, firsts),
                            plausible=lambda slot, value: value != "moments")
    assert changes == {"food": "almonds"}
    # ... but not to a known value that is far less likely than the allowance.
    far = TableScorer({"moments": -0.05, "almonds": -30.0}, firsts)
    assert recheck_slots(text, spans, KNOWN, far, plausible=lambda s, v: False) == {}


def test_nothing_changes_when_the_scorer_cannot_score_or_spans_overlap() -> None:
    spans = spans_of(TEXT, replacement="tilapia")
    assert recheck_slots(TEXT, spans, KNOWN, TableScorer({}, fail=True)) == {}
    overlapping = [SlotSpan("original", 5, 14), SlotSpan("replacement", 10, 21)]
    assert recheck_slots(TEXT, overlapping, KNOWN, TableScorer({"tilapia": -9.0})) == {}
    assert recheck_slots(TEXT, spans, {"replacement": ["quinoa"]},
                         TableScorer({"tilapia": -9.0})) == {}


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    tools = toolkit(db_path=Path(tmp_path_factory.mktemp("slots")) / "days.sqlite3")
    return Understander(tools)


def test_a_call_records_where_its_text_values_are(nutrition: Understander) -> None:
    (call,) = nutrition.understand(["Swap the rice for tilapia at dinner."]).calls
    assert call.tool == "substitute_food"
    where = {s.slot: call.text[s.start:s.end] for s in call.spans}
    assert where == {"original": "rice", "replacement": "tilapia", "meal": "dinner"}


def test_rechecking_replaces_the_value_in_args_and_text(nutrition: Understander) -> None:
    result = nutrition.understand(["Swap the rice for tilapia at dinner."])
    scorer = TableScorer({"tilapia": -6.0, "quinoa": -0.2}, {"tilapia": -3.0, "quinoa": -0.5})
    revised = nutrition.recheck(result, scorer)
    assert revised is not None
    (call,) = revised.calls
    assert call.args["replacement"] == "quinoa" and call.args["meal"] == "dinner"
    assert call.args["original"] == "rice"
    assert call.text == result.calls[0].text.replace("tilapia", "quinoa")
    assert revised.state.last[-1].args["replacement"] == "quinoa"
    assert nutrition.recheck(nutrition.understand(["how am I doing"]), scorer) is None


def test_a_word_no_food_is_named_gives_way_to_the_food_the_audio_supports(
        nutrition: Understander) -> None:
    asked = nutrition.understand(["I snacked on some moments."])
    assert asked.kind == "question" and asked.calls == ()  # nothing is written on its own
    assert asked.tentative is not None and asked.tentative.args["food"] == "moments"
    scorer = TableScorer({"moments": -0.05, "almonds": -1.5}, {"almonds": -0.4, "moments": -0.1})
    revised = nutrition.recheck(asked, scorer)
    assert revised is not None and revised.kind == "calls"
    assert [(c.tool, c.args["food"]) for c in revised.calls] == [("unplanned_food", "almonds")]
    assert revised.state.pending is None and revised.reply == ""
    # when the audio supports no known food either, the question stands
    from voicelive.nutrition.slots import FOOD_WORDS

    unlikely = {w: -30.0 for food in FOOD_WORDS for w in food.split()}
    far = TableScorer({**unlikely, "moments": -0.05}, {"moments": -0.1})
    assert nutrition.recheck(asked, far) is None


def test_the_food_check_knows_foods_from_words() -> None:
    from voicelive.nutrition import plausible_value
    from voicelive.nutrition.slots import is_food

    assert plausible_value("food", "kimchi")  # in the database, not in the slot values
    assert not plausible_value("food", "moments")
    assert not plausible_value("replacement", "  ")
    assert plausible_value("meal", "anything")  # only food slots are checked
    assert is_food("falafel") and not is_food("weather")  # fruit leather is no weather


def _hear(models: Any, pcm: bytes) -> Any:
    audio = np.frombuffer(bytes(8000) + pcm, dtype="<i2").astype(np.float32) / 32768.0
    return models.transcriber.listen(audio, beam_size=4, count=4)


@pytest.mark.slow
def test_whisper_prefers_the_spoken_value_over_a_wrong_one(
    models: Any, say: Any, nutrition: Understander
) -> None:
    hearing = _hear(models, say("Swap the rice for quinoa at dinner."))
    scorer = HeardScorer(models.transcriber, hearing)
    wrong = nutrition.understand(["swap the rice for tilapia at dinner"])
    right = nutrition.understand(["swap the rice for quinoa at dinner"])
    revised = nutrition.recheck(wrong, scorer)
    assert revised is not None and revised.calls[0].args["replacement"] == "quinoa"
    args = revised.calls[0].args
    assert args["original"] == "rice" and args["meal"] == "dinner"
    assert nutrition.recheck(right, scorer) is None  # the right reading stands


@pytest.mark.slow
def test_the_recogniser_scores_readings_token_by_token(models: Any, say: Any) -> None:
    transcriber = models.transcriber
    hearing = _hear(models, say("I skipped lunch."))
    right, wrong = transcriber.token_ids("i skipped lunch"), transcriber.token_ids("i ate pizza")
    scores = transcriber.token_logprobs(hearing, [right, wrong])
    assert scores is not None and [len(s) for s in scores] == [len(right), len(wrong)]
    assert all(v <= 0 for s in scores for v in s)
    assert sum(scores[0]) > sum(scores[1]) + 5
    (dist,) = transcriber.next_token_logprobs(hearing, [transcriber.token_ids("i skipped")])
    assert dist is not None and abs(float(np.exp(dist).sum()) - 1.0) < 1e-3
    assert int(np.argmax(dist)) == transcriber.token_ids("lunch")[0]
    empty = transcriber.listen(np.zeros(800, np.float32))
    assert empty.texts == () and transcriber.token_logprobs(empty, [right]) is None
