"""Choosing among hypotheses by the audio: the decision on tables of scores (no models).

The readings come from the real understanding of the nutrition tools; the audio is a table
giving each reading a log-probability. The wordings are everyday ones of our own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from voicelive.backends.local.readings import canonical
from voicelive.backends.local.rescore import (
    DEFAULT_RESCORE_MARGIN,
    MAX_READINGS,
    choose_reading,
    rival_readings,
)
from voicelive.backends.local.understand import DialogueState, Understander


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("rescore")) / "r.db"))


def _audio(table: Mapping[str, float]) -> tuple[list[list[str]], object]:
    asked: list[list[str]] = []

    def score(texts: Sequence[str]) -> list[float]:
        asked.append(list(texts))
        return [table.get(canonical(t), -50.0) for t in texts]

    return asked, score


def test_a_reading_the_audio_favours_replaces_the_beams_first(nutrition: Understander) -> None:
    heard = ["How many calories are in a big mat?", "How many calories are in a Big Mac?"]
    state = DialogueState()
    chosen = nutrition.understand(heard, state)
    rivals = rival_readings(nutrition.understand, heard, state, chosen)
    assert [r.text for r in rivals] == [heard[1]]
    asked, score = _audio({canonical(heard[0]): -9.0, canonical(heard[1]): -4.0})
    got = choose_reading(chosen, rivals, score)  # type: ignore[arg-type]
    assert got.switched and got.result is rivals[0]
    assert got.margin == pytest.approx(5.0)
    assert asked == [[chosen.text, heard[1]]]


def test_a_small_lead_keeps_the_understandings_choice(nutrition: Understander) -> None:
    heard = ["I had a bowl of soup for lunch.", "I had a bowl of soap for lunch."]
    state = DialogueState()
    chosen = nutrition.understand(heard, state)
    rivals = rival_readings(nutrition.understand, heard, state, chosen)
    assert rivals, "soap and soup are different writes"
    _, score = _audio({canonical(heard[0]): -6.0,
                       canonical(heard[1]): -6.0 + DEFAULT_RESCORE_MARGIN - 0.1})
    got = choose_reading(chosen, rivals, score)  # type: ignore[arg-type]
    assert not got.switched and got.result is chosen
    assert got.margin == pytest.approx(DEFAULT_RESCORE_MARGIN - 0.1)


def test_hypotheses_that_do_the_same_are_not_scored(nutrition: Understander) -> None:
    heard = ["How am I doing today?", "How am I doing today.", "how am i doing today"]
    state = DialogueState()
    chosen = nutrition.understand(heard, state)
    assert rival_readings(nutrition.understand, heard, state, chosen) == []
    asked, score = _audio({})
    assert choose_reading(chosen, [], score).result is chosen  # type: ignore[arg-type]
    assert asked == []


def test_only_the_first_hypotheses_are_read_again(nutrition: Understander) -> None:
    foods = ["apple", "banana", "pear", "orange", "peach", "plum"]
    heard = [f"How many calories are in a {f}?" for f in foods]
    state = DialogueState()
    chosen = nutrition.understand(heard, state)
    rivals = rival_readings(nutrition.understand, heard, state, chosen)
    assert len(rivals) == MAX_READINGS - 1
    assert all(r.calls for r in rivals)


def test_no_scores_change_nothing(nutrition: Understander) -> None:
    heard = ["How many calories are in a big mat?", "How many calories are in a Big Mac?"]
    state = DialogueState()
    chosen = nutrition.understand(heard, state)
    rivals = rival_readings(nutrition.understand, heard, state, chosen)
    got = choose_reading(chosen, rivals, lambda texts: None)
    assert got.result is chosen and got.margin is None
