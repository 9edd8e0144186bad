"""Properties of understanding, checked on generated utterances (Hypothesis)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicelive.backends.local.understand import Understander

REQUESTS = [
    "I skipped breakfast",
    "I had a banana",
    "I went running for thirty minutes",
    "how many calories are in an avocado",
    "I finished my lunch",
    "swap the rice for quinoa",
    "how am I doing",
    "I did forty minutes of yoga",
    "I drank a glass of milk",
    "there was no time for dinner",
    "set my target to two thousand calories",
    "I grabbed a muffin",
]
OPENERS = ["um", "uh", "so", "okay so", "well", "hey", "um so", "you know", "so um",
           "alright", "hmm", "okay um"]
TRAILERS = ["after work", "at the office", "with some friends", "this morning", "today",
            "with my family", "at the gym", "earlier", "on the way home", "just now"]
CHATTER = ["it was a long day", "the weather is nice", "my dog is asleep",
           "traffic was terrible"]
JOINS = [" and then ", ". ", ", and also ", " and also ", ". Then "]

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("p")) / "d.sqlite3"))


def calls(u: Understander, text: str) -> list[tuple[str, tuple[tuple[str, Any], ...]]]:
    return [(c.tool, tuple(sorted(c.args.items()))) for c in u.understand([text]).calls]


@SETTINGS
@given(request=st.sampled_from(REQUESTS), opener=st.sampled_from(["", *OPENERS]),
       trailer=st.sampled_from(["", *TRAILERS]), comma=st.booleans(),
       please=st.booleans())
def test_fillers_and_trailing_context_keep_the_call(coach: Understander, request: str,
                                                    opener: str, trailer: str, comma: bool,
                                                    please: bool) -> None:
    plain = calls(coach, request)
    assert len(plain) == 1
    text = (opener + (", " if comma else " ") if opener else "") + request
    if trailer:
        text += " " + trailer
    if please:
        text += " please"
    assert calls(coach, text) == plain, text


@SETTINGS
@given(first=st.sampled_from(REQUESTS + CHATTER), second=st.sampled_from(REQUESTS + CHATTER),
       join=st.sampled_from(JOINS))
def test_splitting_never_invents_a_call(coach: Understander, first: str, second: str,
                                        join: str) -> None:
    alone = calls(coach, first) + calls(coach, second)
    together = calls(coach, first + join + second)
    for call in together:
        assert call in alone, (first + join + second, together, alone)


@SETTINGS
@given(first=st.sampled_from(REQUESTS), second=st.sampled_from(REQUESTS),
       join=st.sampled_from([" and then ", ". ", ", and also "]))
def test_two_requests_give_both_calls_in_order(coach: Understander, first: str, second: str,
                                               join: str) -> None:
    want = calls(coach, first) + calls(coach, second)
    if want[0] == want[1]:
        return  # the same request twice: once or twice are both fine
    assert calls(coach, first + join + second) == want


NUMBERED = ["I ran for {n} minutes", "set my target to {n} calories",
            "I did {n} minutes of yoga", "log {n} minutes of cycling"]
TAKE_BACK = ["no wait", "no", "sorry", "I mean", "or rather", "no sorry", "wait"]


@SETTINGS
@given(template=st.sampled_from(NUMBERED), wrong=st.integers(10, 90),
       right=st.integers(10, 90), phrase=st.sampled_from(TAKE_BACK))
def test_a_number_taken_back_gives_the_call_of_the_one_said_last(
        coach: Understander, template: str, wrong: int, right: int, phrase: str) -> None:
    if "calories" in template:
        wrong, right = wrong * 25, right * 25  # calorie targets are in the thousands
    said = template.replace("{n}", f"{wrong}, {phrase}, {right}")
    assert calls(coach, said) == calls(coach, template.replace("{n}", str(right))), said
