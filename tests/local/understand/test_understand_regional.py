"""Foods and meals by their everyday British and regional names: understood, and passed on as said.

The food search knows the other names (``voicelive.nutrition.preferred.REGIONAL`` and the pinned
entries); the understanding must not rename them on the way ("porridge" stays "porridge").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from call_checks import Call, check

from voicelive.backends.local.understand import Understander
from voicelive.nutrition import toolkit
from voicelive.nutrition.foods import default_database


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    return Understander(toolkit(db_path=Path(tmp_path_factory.mktemp("r")) / "d.sqlite3"))


KEPT_AS_SAID: list[tuple[str, list[Call]]] = [
    ("I just polished off a bowl of porridge",
     [("unplanned_food", {"food": "porridge", "amount": "bowl"})]),
    ("what's in a large cappuccino?", [("lookup_food", {"food": "cappuccino"})]),
    ("had two crumpets with butter this morning, not on the plan",
     [("unplanned_food", {"food": "crumpet"})]),
    ("how much protein in a tin of sardines", [("lookup_food", {"food": "sardine",
                                                                "amount": "tin"})]),
    ("I ate a pot of yoghurt", [("unplanned_food", {"food": "yoghurt", "amount": "pot"})]),
    ("I went without brekky today", [("missed_meal", {"meal": "breakfast"})]),
    ("brekkie was exactly as planned", [("ate_meal", {"meal": "breakfast"})]),
    ("I never got my tea last night, worked till ten", [("missed_meal", {"meal": "dinner"})]),
    ("our tea was the planned one, all eaten", [("ate_meal", {"meal": "dinner"})]),
    ("a mug of tea with milk, not planned", [("unplanned_food", {"food": "tea"})]),
    ("could I have courgette instead of pasta tonight",
     [("substitute_food", {"original": "pasta", "replacement": "courgette"})]),
]


@pytest.mark.parametrize(("text", "want"), KEPT_AS_SAID, ids=[t for t, _ in KEPT_AS_SAID])
def test_regional_words_are_understood_and_kept(coach: Understander, text: str,
                                                want: list[Call]) -> None:
    check(coach.understand([text]), want)


@pytest.mark.parametrize(("said", "table_word"), [
    ("a bacon butty", "sandwich"), ("king prawns", "shrimp"), ("aubergine", "eggplant"),
    ("courgettes", "zucchini"), ("houmous", "hummus"), ("beef mince", "beef, ground"),
    ("a cuppa", "tea"), ("a flat white", "milk"), ("crisps", "potato chips"),
    ("a satsuma", "tangerine"), ("porridge", "oats"),
])
def test_the_food_search_finds_other_names_under_the_tables(said: str, table_word: str) -> None:
    (best,) = default_database().search(said, limit=1)
    assert table_word in best.name.lower()


def test_a_word_that_only_looks_regional_is_still_found_as_itself() -> None:
    (best,) = default_database().search("apple crisp", limit=1)
    assert "apple crisp" in best.name.lower()  # a dessert, not potato chips


def test_the_toolkit_looks_up_a_regional_name(tmp_path: Path) -> None:
    tools = {t.name: t for t in toolkit(db_path=tmp_path / "d.sqlite3")}
    result = tools["lookup_food"].fn(food="jacket potato", amount="")
    assert "potato" in str(result).lower() and "baked" in str(result).lower()


RESTARTS_AND_ACTIVITIES: list[tuple[str, list[Call]]] = [
    ("can you, can you tell me the calories in a pear",
     [("lookup_food", {"food": "pear"})]),
    ("I I had a slice of toast just now", [("unplanned_food", {"food": "toast"})]),
    ("did forty minutes on the cross trainer", [("log_activity", {"activity": "cross trainer",
                                                                 "minutes": 40})]),
    ("spent an hour hoovering the whole house", [("log_activity", {"activity": "hoover",
                                                                  "minutes": 60})]),
    ("I was mowing the lawn for 25 minutes", [("log_activity", {"activity": "mowing",
                                                               "minutes": 25})]),
]


@pytest.mark.parametrize(("text", "want"), RESTARTS_AND_ACTIVITIES,
                         ids=[t for t, _ in RESTARTS_AND_ACTIVITIES])
def test_restarts_and_everyday_activity_names(coach: Understander, text: str,
                                              want: list[Call]) -> None:
    check(coach.understand([text]), want)


def test_a_restart_is_said_once_but_a_real_repeat_of_a_request_is_not_invented() -> None:
    from voicelive.backends.local.understand.language import ENGLISH
    from voicelive.backends.local.understand.text import tokenize

    def words(text: str) -> str:
        return " ".join(t.word for t in tokenize(text, ENGLISH)[1])

    assert words("could I, could I swap rice") == "could i swap rice"
    assert words("the the cake") == "the cake"
    assert words("I ran and ran") == "i ran and ran"  # not adjacent copies
