"""Understanding the nutrition tools as people talk to a coach: one test per kind of request.

Text only (no audio, no models). The phrases live in ``understand_phrases.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from call_checks import check
from understand_phrases import CASES, FOLLOW_UPS, Call

from voicelive.backends.local.understand import MAX_CHARS, DialogueState, Understander
from voicelive.backends.local.understand.replies import SHORT_REPLY_CHARS


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("u")) / "d.sqlite3"))


def _ids(items: list[tuple[str, list[Call]]]) -> list[str]:
    return [text[:40] for text, _ in items]


@pytest.mark.parametrize(("text", "want"), CASES["fillers"], ids=_ids(CASES["fillers"]))
def test_fillers_do_not_block_a_request(coach: Understander, text: str,
                                        want: list[Call]) -> None:
    check(coach.understand([text]), want)


@pytest.mark.parametrize(("text", "want"), CASES["extra_clauses"],
                         ids=_ids(CASES["extra_clauses"]))
def test_trailing_context_does_not_block_a_request(coach: Understander, text: str,
                                                   want: list[Call]) -> None:
    check(coach.understand([text]), want)


@pytest.mark.parametrize(("text", "want"), CASES["questions"], ids=_ids(CASES["questions"]))
def test_questions(coach: Understander, text: str, want: list[Call]) -> None:
    check(coach.understand([text]), want)


@pytest.mark.parametrize(("text", "want"), CASES["negation"], ids=_ids(CASES["negation"]))
def test_negation_and_absence_mean_a_missed_meal(coach: Understander, text: str,
                                                 want: list[Call]) -> None:
    check(coach.understand([text]), want)


@pytest.mark.parametrize(("text", "want"), CASES["two_in_one"], ids=_ids(CASES["two_in_one"]))
def test_two_requests_in_one_breath(coach: Understander, text: str, want: list[Call]) -> None:
    result = coach.understand([text])
    check(result, want)
    assert result.reply == ""  # the tools' results are the reply


@pytest.mark.parametrize("turns", FOLLOW_UPS, ids=[t[0][0][:30] for t in FOLLOW_UPS])
def test_follow_ups_lean_on_the_turn_before(coach: Understander,
                                            turns: list[tuple[str, list[Call]]]) -> None:
    state = DialogueState()
    for text, want in turns:
        # the state goes through JSON between turns, as a server storing it would do
        state = DialogueState.from_dict(json.loads(json.dumps(state.to_dict())))
        result = coach.understand([text], state)
        check(result, want)
        state = result.state


@pytest.mark.parametrize(("text", "want"), CASES["near_miss"], ids=_ids(CASES["near_miss"]))
def test_near_misses_write_nothing(coach: Understander, text: str, want: list[Call]) -> None:
    result = coach.understand([text])
    assert not any(c.writes for c in result.calls), (text, result.calls)
    assert result.reply  # something honest is said instead
    assert result.state.pending is None  # and no question waits for an answer


@pytest.mark.parametrize(("text", "want"), CASES["intention"] + CASES["someone_else"],
                         ids=_ids(CASES["intention"] + CASES["someone_else"]))
def test_intentions_and_other_people_write_nothing(coach: Understander, text: str,
                                                   want: list[Call]) -> None:
    result = coach.understand([text])
    assert not any(c.writes for c in result.calls), (text, result.calls)
    assert result.kind == "near_miss" and result.reply, (text, result.reply)
    assert len(result.reply) <= 90  # a brief answer
    assert result.state.pending is None


def test_someone_elses_doing_is_answered_as_such(coach: Understander) -> None:
    mine = coach.understand(["I'm not going to skip lunch"]).reply
    theirs = coach.understand(["My friend skipped lunch"]).reply
    assert mine != theirs and "changed anything" in mine


@pytest.mark.parametrize(("text", "want"), CASES["with_someone"],
                         ids=_ids(CASES["with_someone"]))
def test_the_user_with_someone_still_writes(coach: Understander, text: str,
                                            want: list[Call]) -> None:
    check(coach.understand([text]), want)


@pytest.mark.parametrize(("text", "want"), CASES["no_value"], ids=_ids(CASES["no_value"]))
def test_a_pronoun_or_quantifier_is_no_value(coach: Understander, text: str,
                                             want: list[Call]) -> None:
    result = coach.understand([text])
    assert not any(c.writes for c in result.calls), (text, result.calls)
    assert result.kind == "question" and result.reply.endswith("?"), (text, result.reply)
    assert result.state.pending is not None and result.state.pending.missing == "food"


@pytest.mark.parametrize(("text", "want"), CASES["zero_as_no"], ids=_ids(CASES["zero_as_no"]))
def test_zero_time_for_a_meal_is_a_missed_meal(coach: Understander, text: str,
                                               want: list[Call]) -> None:
    check(coach.understand([text]), want)


def test_food_check_wants_a_word_that_names_food() -> None:
    from voicelive.nutrition.slots import is_food

    # words of food names that only describe ("all types", "cook time", "light")
    assert not any(is_food(w) for w in ("all", "time", "it all", "lights", "whole"))
    assert all(is_food(w) for w in ("banana", "whole milk", "dark chocolate", "ice cream"))


def test_a_runner_up_hypothesis_never_turns_a_near_miss_into_a_write(
        coach: Understander) -> None:
    result = coach.understand(["Should I skip dinner?", "I skip dinner."])
    assert result.calls == () and result.kind == "near_miss"
    # while a runner-up that makes sense still beats one that does not
    found = coach.understand(["I skipped dinah", "I skipped dinner"])
    assert [c.tool for c in found.calls] == ["missed_meal"]


@pytest.mark.parametrize(("text", "want"), CASES["nothing_fits"],
                         ids=_ids(CASES["nothing_fits"]))
def test_nothing_fits_is_short_and_names_a_few_things(coach: Understander, text: str,
                                                      want: list[Call]) -> None:
    result = coach.understand([text])
    assert result.calls == () and result.kind == "nothing"
    # under five seconds of speech (Piper says about 15 characters a second)
    assert len(result.reply.split()) >= 6 and len(result.reply) <= SHORT_REPLY_CHARS
    named = [t.ability for t in coach.tools if t.ability in result.reply]
    assert 2 <= len(named) <= 3  # a few things it can do, never the whole list


def test_nothing_fits_varies_with_what_was_heard(coach: Understander) -> None:
    replies = {coach.understand([text]).reply for text, _ in CASES["nothing_fits"]}
    assert len(replies) >= 3


def test_a_missing_value_is_asked_for_and_taken_next_turn(coach: Understander) -> None:
    asked = coach.understand(["I ate something"])
    assert asked.calls == () and asked.kind == "question"
    assert asked.reply.endswith("?") and len(asked.reply.split()) <= 8
    assert asked.state.pending is not None and asked.state.pending.missing == "food"
    answer = coach.understand(["oh, a banana"], asked.state)
    check(answer, [("unplanned_food", {"food": "banana"})])
    assert answer.state.pending is None
    # an unknown food the database knows is taken as well
    again = coach.understand(["some kimchi"], asked.state)
    check(again, [("unplanned_food", {"food": "kimchi"})])


def test_a_question_lists_the_choices_of_a_short_closed_list(coach: Understander) -> None:
    asked = coach.understand(["I skipped a meal"])
    assert asked.kind == "question" and "breakfast" in asked.reply and "dinner" in asked.reply
    check(coach.understand(["lunch"], asked.state), [("missed_meal", {"meal": "lunch"})])


def test_a_new_request_replaces_a_pending_question(coach: Understander) -> None:
    asked = coach.understand(["I ate something"])
    result = coach.understand(["how am I doing today?"], asked.state)
    check(result, [("daily_summary", {})])
    cancelled = coach.understand(["never mind"], asked.state)
    assert cancelled.kind == "cancelled" and cancelled.state.pending is None


def test_one_part_asks_while_the_other_is_done(coach: Understander) -> None:
    result = coach.understand(["I went for a run and then had a protein shake"])
    check(result, [("unplanned_food", {"food": "protein shake"})])
    assert result.reply == "How many minutes?" and not result.complete
    follow = coach.understand(["about twenty minutes"], result.state)
    check(follow, [("log_activity", {"activity": "running", "minutes": 20})])


def test_complete_says_whether_a_turn_may_end_early(coach: Understander) -> None:
    assert coach.understand(["I skipped breakfast"]).complete
    assert not coach.understand(["I skipped breakfast and"]).complete
    assert not coach.understand(["I ate something"]).complete
    assert not coach.understand(["what's the weather"]).complete


def test_a_long_text_is_read_in_bounded_time(coach: Understander) -> None:
    text = "I skipped breakfast and then ran for 30 minutes. " * 200  # 9,800 characters
    result = coach.understand([text])
    assert len(text) > MAX_CHARS and result.calls  # read up to the limit, not refused
    assert len(result.calls) <= 16


def test_the_state_round_trips_and_rejects_garbage() -> None:
    state = DialogueState.from_dict({"version": 1, "last": [{"tool": "x", "args": {"a": 1}}],
                                     "pending": {"tool": "y", "args": {}, "missing": "m"},
                                     "turns": 3})
    assert DialogueState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
    assert DialogueState.from_dict({"last": [{"no": "tool"}], "pending": 5}) == DialogueState()
    with pytest.raises(ValueError, match="mapping"):
        DialogueState.from_dict([])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="newer"):
        DialogueState.from_dict({"version": 99})


def test_the_nutrition_tools_declare_what_writes(coach: Understander) -> None:
    writes = {t.name: t.writes for t in coach.tools}
    assert writes == {"lookup_food": False, "missed_meal": True, "ate_meal": True,
                      "unplanned_food": True, "substitute_food": False,
                      "log_activity": True, "daily_summary": False, "set_targets": True}
    assert coach.unreachable() == []


@pytest.mark.parametrize("text", ["The dog ate my homework", "I love pizza",
                                  "My favourite breakfast is pancakes", "Lunch was great",
                                  "Do you like coffee?", "I'm hungry"])
def test_chatter_about_food_writes_nothing(coach: Understander, text: str) -> None:
    result = coach.understand([text])
    assert not any(c.writes for c in result.calls), (text, result.calls)


def test_a_greeting_is_offered_help_not_an_apology(coach: Understander) -> None:
    result = coach.understand(["hello"])
    assert result.calls == () and "Sorry" not in result.reply and "I can" in result.reply
