"""Choosing among recogniser hypotheses (no models, except the last test).

The wordings here are deliberately not those of the spoken evaluation set
(``bench.spoken.legacy.UTTERANCES``): they check the mechanisms, not the set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from voicelive.backends.local.understand import Understander


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("hyp")) / "d.sqlite3"))


def _calls(result: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(c.tool, c.args) for c in result.calls]


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("I had to skip breakfast", "missed_meal", {"meal": "breakfast"}),
        ("I jogged for half an hour", "log_activity", {"activity": "jogging", "minutes": 30}),
        ("I swam for forty five minutes", "log_activity",
         {"activity": "swimming", "minutes": 45}),
        ("How many calories in three bananas?", "lookup_food",
         {"food": "bananas", "amount": "3"}),
        ("Instead of pasta I had rice for dinner.", "substitute_food",
         {"original": "pasta", "replacement": "rice", "meal": "dinner"}),
        ("add 25 minutes on rowing", "log_activity", {"activity": "rowing", "minutes": 25}),
    ],
)
def test_new_wordings_are_understood(nutrition: Understander, text: str, tool: str,
                                     args: dict[str, Any]) -> None:
    (call,) = nutrition.understand([text]).calls
    assert call.tool == tool
    assert {k: call.args.get(k) for k in args} == args


def test_an_unknown_food_is_kept_not_snapped_to_a_similar_one(nutrition: Understander) -> None:
    (call,) = nutrition.understand(["swap the rice for falafel"]).calls
    assert call.args["replacement"] == "falafel"


def test_a_hypothesis_with_known_values_wins(nutrition: Understander) -> None:
    result = nutrition.understand(["I drank a glass of milked", "I drank a glass of milk"])
    assert result.text == "I drank a glass of milk"
    assert _calls(result) == [("unplanned_food", {"food": "milk", "amount": "a glass of"})]


def test_the_likeliest_hypothesis_stays_when_none_is_better(nutrition: Understander) -> None:
    result = nutrition.understand(["I ate a dragonfruit smoothie",
                                   "I ate a dragon fruits moody"])
    assert result.text == "I ate a dragonfruit smoothie"
    # a smoothie is an everyday food: the dish is logged as said, not the runner-up's words
    assert _calls(result) == [("unplanned_food", {"food": "dragonfruit smoothie",
                                                  "amount": ""})]


def test_a_later_hypothesis_that_makes_sense_wins(nutrition: Understander) -> None:
    result = nutrition.understand(["what a lovely morning", "I skipped lunch"])
    assert result.text == "I skipped lunch"
    assert _calls(result) == [("missed_meal", {"meal": "lunch"})]


def test_hypotheses_with_scores_and_nothing_at_all(nutrition: Understander) -> None:
    result = nutrition.understand([("I skipped lunch", -0.2), ("I slipped lunch", -1.5)])
    assert _calls(result) == [("missed_meal", {"meal": "lunch"})]
    empty = nutrition.understand([])
    assert empty.text == "" and empty.calls == () and empty.reply == ""
    unrelated = nutrition.understand(["what is the meaning of life"])
    assert unrelated.calls == () and unrelated.kind == "nothing" and unrelated.reply


@pytest.mark.slow
def test_the_recogniser_returns_distinct_hypotheses_best_first(models: Any, say: Any) -> None:
    import numpy as np

    pcm = bytes(8000) + say("I skipped lunch.")
    audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    texts = models.transcriber.hypotheses(audio, beam_size=4, count=4)
    assert 1 <= len(texts) <= 4 and len(set(texts)) == len(texts)
    assert texts[0] == models.transcriber.transcribe(audio, beam_size=4)
    assert "lunch" in texts[0].lower()
    assert models.transcriber.hypotheses(audio[:800], count=4) == []
