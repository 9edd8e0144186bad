"""No write on a mishearing: the decision on tables of readings and scores (no models).

The readings are understood by the real understanding of the nutrition tools; the audio is a
table that gives each reading a log-probability, so every branch of :func:`weigh` and of the
answer to a question is exercised without a recogniser. The wordings are everyday ones, not
the spoken sets' sentences.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicelive.backends.local.doubt import (
    DEFAULT_KEEP_NUMBER,
    MAX_SPLICES,
    Doubt,
    Verdict,
    canonical,
    number_twins,
    rival_texts,
    rivals,
    splices,
    weigh,
    writes_of,
)
from voicelive.backends.local.understand import DialogueState, PreviousCall, Understander
from voicelive.backends.local.understand import Understanding as U


@pytest.fixture(scope="module")
def nutrition(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("doubt")) / "d.sqlite3"))


def table(scores: Mapping[str, float]) -> Callable[[Sequence[str]], list[float]]:
    """A scorer of readings: each text's log-probability from ``scores`` (by canonical text)."""
    by_text = {canonical(k): v for k, v in scores.items()}

    def score(texts: Sequence[str]) -> list[float]:
        return [by_text[canonical(t)] for t in texts]

    return score


def decide(nutrition: Understander, hypotheses: Sequence[str], scores: Mapping[str, float],
           state: DialogueState | None = None) -> tuple[U, Verdict]:
    """What the backend does with a turn heard as ``hypotheses``: (result acted on, verdict)."""
    state = state or DialogueState()
    heard = nutrition.understand(list(hypotheses), state)
    others, twins = rival_texts(hypotheses, heard.text)
    verdict = weigh(heard, [nutrition.understand([t], state) for t in others],
                    table(scores),
                    twins=[nutrition.understand([t], state) for t in twins], before=state)
    return verdict.result, verdict


def written(result: U) -> list[tuple[str, dict[str, object]]]:
    return [(c.tool, dict(c.args)) for c in result.calls if c.writes]


# -- number twins --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "twins"),
    [
        ("I went jogging for like 14 minutes.", ["I went jogging for like 40 minutes."]),
        ("did sixty minutes of rowing", ["did sixteen minutes of rowing"]),
        ("Fifteen minutes on the bike", ["Fifty minutes on the bike"]),
        ("forty five minutes of yoga", []),  # one number, 45: no near-homophone
        ("I ate 2 eggs and walked 25 minutes", []),
        ("set protein to 120 and fat to 70", ["set protein to 120 and fat to 17"]),
    ],
)
def test_numbers_with_a_near_homophone_get_a_twin(text: str, twins: list[str]) -> None:
    assert number_twins(text) == twins


@given(st.sampled_from([13, 14, 15, 16, 17, 18, 19, 30, 40, 50, 60, 70, 80, 90]),
       st.sampled_from(["I swam for {} minutes", "{} minutes of cycling", "about {} grams"]))
def test_the_twin_of_a_twin_is_the_number_heard(n: int, pattern: str) -> None:
    text = pattern.format(n)
    (twin,) = number_twins(text)
    assert twin != text
    assert number_twins(twin) == [text]


def test_a_splice_differs_from_the_heard_text_in_one_place() -> None:
    heard = "Earlier I munched on a bear, then walked home."
    other = "Early I munched on a pear then walked home."
    assert splices(heard, [other]) == ["Early I munched on a bear, then walked home.",
                                       "Earlier I munched on a pear, then walked home."]
    assert splices(heard, [heard]) == []
    assert len(splices(heard, [f"{n} {heard}" for n in range(20)])) == MAX_SPLICES


# -- rivals ------------------------------------------------------------------------------------


def test_a_reading_that_only_adds_an_amount_is_no_rival(nutrition: Understander) -> None:
    heard = nutrition.understand(["Had the handful of grapes."])
    fuller = nutrition.understand(["Had a handful of grapes."])
    assert writes_of(heard) != writes_of(fuller)  # the amount differs ...
    assert rivals(heard, [fuller]) == []  # ... but nothing heard is contradicted


def test_another_food_another_meal_or_another_tool_is_a_rival(nutrition: Understander) -> None:
    heard = nutrition.understand(["Earlier I munched on a pear."])
    bear = nutrition.understand(["Earlier I munched on a bear."])
    lunch = nutrition.understand(["I ended up skipping lunch."])
    assert rivals(heard, [bear, lunch]) == [bear, lunch]
    assert rivals(heard, [heard]) == []
    assert rivals(heard, [bear], rejected=[bear]) == []  # a slot check already weighed it


def test_a_reading_that_writes_nothing_is_no_rival(nutrition: Understander) -> None:
    heard = nutrition.understand(["I ended up skipping dinner."])
    thought = nutrition.understand(["Should I skip dinner?"])
    assert rivals(heard, [thought]) == []


# -- the decision ----------------------------------------------------------------------------


def test_a_number_whose_twin_the_audio_favours_is_asked_about_not_written(
        nutrition: Understander) -> None:
    # "forty" heard as "14": without the check, 14 minutes would be logged
    heard = ["So I went jogging for like 14 minutes."]
    before = nutrition.understand(heard)
    assert written(before) == [("log_activity", {"activity": "jogging", "minutes": 14.0,
                                                 "weight_kg": None})]
    result, verdict = decide(nutrition, heard, {
        "So I went jogging for like 14 minutes.": -9.0,
        "So I went jogging for like 40 minutes.": -8.6})
    assert verdict.decision == "ask"
    assert written(result) == []
    assert "14" in result.reply and "40" in result.reply and result.reply.endswith("?")
    assert result.state.pending is None and result.state.last == ()


def test_a_number_the_audio_clearly_supports_is_written(nutrition: Understander) -> None:
    result, verdict = decide(nutrition, ["So I went jogging for like 40 minutes."], {
        "So I went jogging for like 40 minutes.": -6.0,
        "So I went jogging for like 14 minutes.": -6.0 - DEFAULT_KEEP_NUMBER - 0.5})
    assert verdict.decision == "keep"
    assert written(result) == [("log_activity", {"activity": "jogging", "minutes": 40.0,
                                                 "weight_kg": None})]


def test_a_food_another_hypothesis_heard_is_asked_about(nutrition: Understander) -> None:
    hyps = ["Earlier I munched on a pear.", "Earlier I munched on a bear."]
    assert written(nutrition.understand(hyps))[0][1]["food"] == "pear"
    result, verdict = decide(nutrition, hyps, {hyps[0]: -7.0, hyps[1]: -6.8})
    assert verdict.decision == "ask"
    assert written(result) == []
    assert "bear" in result.reply and "pear" in result.reply


def test_a_runner_up_the_audio_likes_less_does_not_stop_the_write(
        nutrition: Understander) -> None:
    hyps = ["Earlier I munched on a pear.", "Earlier I munched on a bear."]
    result, verdict = decide(nutrition, hyps, {hyps[0]: -5.0, hyps[1]: -6.5})
    assert verdict.decision == "keep"
    assert written(result) == [("unplanned_food", {"food": "pear", "amount": ""})]


def test_a_rival_the_audio_clearly_supports_is_written_instead(nutrition: Understander) -> None:
    hyps = ["I ended up skipping dinner.", "I ended up skipping lunch."]
    result, verdict = decide(nutrition, hyps, {hyps[0]: -12.0, hyps[1]: -4.0})
    assert verdict.decision == "switch"
    assert written(result) == [("missed_meal", {"meal": "lunch"})]


def test_read_only_calls_are_not_checked(nutrition: Understander) -> None:
    hyps = ["How many calories are in a bear?", "How many calories are in a pear?"]
    result, verdict = decide(nutrition, hyps, {})  # scoring would fail: never asked
    assert verdict.decision == "keep" and verdict.margin is None
    assert [c.tool for c in result.calls] == ["lookup_food"]


def test_when_the_audio_cannot_tell_the_heard_reading_stands(nutrition: Understander) -> None:
    heard = nutrition.understand(["I ended up skipping dinner."])
    lunch = nutrition.understand(["I ended up skipping lunch."])
    verdict = weigh(heard, [lunch], lambda texts: None)
    assert verdict.decision == "keep" and verdict.result is heard


def test_asking_keeps_the_dialogue_state_of_before(nutrition: Understander) -> None:
    before = DialogueState(last=(PreviousCall("lookup_food", {"food": "pear"}),), turns=3)
    hyps = ["Earlier I munched on a pear.", "Earlier I munched on a bear."]
    result, verdict = decide(nutrition, hyps, {hyps[0]: -7.0, hyps[1]: -6.9}, state=before)
    assert verdict.decision == "ask"
    assert result.state.last == before.last and result.state.turns == 4


# -- the answer, next turn ------------------------------------------------------------------


@pytest.fixture()
def doubt(nutrition: Understander) -> Doubt:
    hyps = ["So I went jogging for like 14 minutes."]
    _, verdict = decide(nutrition, hyps, {hyps[0]: -9.0,
                                          "So I went jogging for like 40 minutes.": -8.5})
    found = verdict.doubt
    assert isinstance(found, Doubt)
    return found


@pytest.mark.parametrize(("answer", "minutes"), [
    ("forty", 40.0), ("Forty minutes.", 40.0), ("no, it was forty", 40.0),
    ("fourteen", 14.0), ("I said 14", 14.0), ("the first one", 14.0), ("the second", 40.0),
])
def test_the_answer_picks_a_reading(doubt: Doubt, answer: str, minutes: float) -> None:
    picked = doubt.resolve([answer])
    assert picked is not None
    assert [c.args["minutes"] for c in picked.calls] == [minutes]


@pytest.mark.parametrize("answer", ["what did I eat today?", "yes", "fourteen or forty, no idea",
                                    ""])
def test_an_answer_that_picks_none_is_a_new_request(doubt: Doubt, answer: str) -> None:
    assert doubt.resolve([answer]) is None


def test_a_later_hypothesis_of_the_answer_may_pick(doubt: Doubt) -> None:
    picked = doubt.resolve(["for tea", "forty"])
    assert picked is not None and picked.calls[0].args["minutes"] == 40.0
