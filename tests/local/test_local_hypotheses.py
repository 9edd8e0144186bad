"""Choosing among recogniser hypotheses, template gaps and near-miss correction (no models).

The wordings here are deliberately not those of the spoken evaluation set
(``bench.spoken.legacy.UTTERANCES``): they check the mechanisms, not the set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from voicelive.backends.local import LocalBackend
from voicelive.backends.local.fuzzy import Skeleton, align, kinds_from
from voicelive.backends.local.intent import IntentMatcher


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> IntentMatcher:
    from voicelive.nutrition import toolkit

    tools = toolkit(db_path=Path(tmp_path_factory.mktemp("hyp")) / "days.sqlite3")
    return LocalBackend().matcher(tools)


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("I had to skip breakfast", "missed_meal", {"meal": "breakfast"}),
        ("I jogged for half an hour", "log_activity", {"activity": "jogged", "minutes": 30}),
        ("I swam for forty five minutes", "log_activity", {"activity": "swam", "minutes": 45}),
        ("How many calories in three bananas?", "lookup_food",
         {"food": "bananas", "amount": "3"}),
        ("Instead of pasta I had rice for dinner.", "substitute_food",
         {"original": "pasta", "replacement": "rice", "meal": "dinner"}),
        # An unknown value in a wildcard yields to another tool's near-exact template.
        ("add 25 minutes on rowing", "log_activity", {"activity": "rowing", "minutes": 25}),
    ],
)
def test_new_wordings_match(nutrition: IntentMatcher, text: str, tool: str,
                            args: dict[str, Any]) -> None:
    found = nutrition.match(text)
    assert found is not None and found.tool == tool
    assert {k: found.args.get(k) for k in args} == args


def test_an_unknown_food_is_kept_not_snapped_to_a_similar_one(nutrition: IntentMatcher) -> None:
    found = nutrition.match("swap the rice for falafel")
    assert found is not None and found.args["replacement"] == "falafel"


def test_best_prefers_a_hypothesis_with_known_values(nutrition: IntentMatcher) -> None:
    text, found = nutrition.best(["I drank a glass of milked", "I drank a glass of milk"])
    assert text == "I drank a glass of milk"
    assert found is not None and found.tool == "unplanned_food" and found.args["food"] == "milk"


def test_best_keeps_the_likeliest_hypothesis_when_none_is_exact(
        nutrition: IntentMatcher) -> None:
    text, found = nutrition.best(["I ate a dragonfruit smoothie", "I ate a dragon fruits moody"])
    assert text == "I ate a dragonfruit smoothie"
    assert found is not None and found.tool == "unplanned_food"


def test_best_falls_back_to_a_later_hypothesis_that_matches(nutrition: IntentMatcher) -> None:
    text, found = nutrition.best(["what a lovely morning", "I skipped lunch"])
    assert text == "I skipped lunch" and found is not None and found.tool == "missed_meal"


def test_best_of_nothing_and_of_unmatched_text(nutrition: IntentMatcher) -> None:
    assert nutrition.best([]) == ("", None)
    assert nutrition.best(["what is the meaning of life"]) == ("what is the meaning of life",
                                                               None)


def test_fuzzy_slot_ignores_a_leading_article() -> None:
    kinds = kinds_from(set(), {}, {"food": ["pizza", "tofu"]})
    cost, slots = align(["i", "had", "some", "pizza"], Skeleton("ate", ("i", "had", "{food}")),
                        kinds)
    assert cost < 0.5 and slots == {"food": "pizza"}


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
