"""Intent and slot recognition with user-defined tools (no speech models)."""

from __future__ import annotations

from typing import Literal

import pytest

from voicelive.backends.local.intent import IntentMatcher, normalize_text
from voicelive.tools import ToolRegistry, tool

Color = Literal["red", "green", "blue", "warm_white"]


@tool(templates=["(turn|switch) [the] {room} light[s] {color}",
                 "make [the] {room} [light[s]] {color}"])
def set_light(room: Literal["kitchen", "bedroom", "living_room"], color: Color) -> str:
    """Change the colour of a light."""
    return f"{room} {color}"


@tool(templates=["set [a] timer for {minutes} minute[s]", "remind me in {minutes} minute[s]"])
def set_timer(minutes: int) -> str:
    """Start a kitchen timer."""
    return f"{minutes}"


@tool(templates=["(play|put on) [some] {artist}", "i want to hear {artist}"])
def play_music(artist: str) -> str:
    """Play music by an artist."""
    return artist


@tool(templates=["swap {food:original} for {food:replacement}"])
def swap(original: str, replacement: str) -> str:
    """Swap one food for another."""
    return original + replacement


@tool
def no_templates() -> str:
    """A tool the offline matcher cannot reach."""
    return ""


@pytest.fixture(scope="module")
def matcher() -> IntentMatcher:
    registry = ToolRegistry([set_light, set_timer, play_music, swap, no_templates])
    # More than 12 known values: an open list (a wildcard is tried when no value fits).
    foods = ["rice", "brown rice", "quinoa", "oatmeal", "apple", "pear", "bread", "tofu",
             "beans", "lentils", "pasta", "salmon", "tuna"]
    return IntentMatcher(registry, {"food": foods})


@pytest.mark.parametrize(
    ("text", "tool", "args"),
    [
        ("Turn the kitchen lights red.", "set_light", {"room": "kitchen", "color": "red"}),
        ("make the living room warm white", "set_light",
         {"room": "living_room", "color": "warm_white"}),
        ("Set a timer for forty five minutes", "set_timer", {"minutes": 45}),
        ("remind me in 10 minutes", "set_timer", {"minutes": 10}),
        ("Play some Miles Davis", "play_music", {"artist": "miles davis"}),
        ("swap rice for quinoa", "swap", {"original": "rice", "replacement": "quinoa"}),
        ("Swap brown rice for oatmeal.", "swap", {"original": "brown rice",
                                                  "replacement": "oatmeal"}),
    ],
)
def test_user_tools_match_with_slots(matcher: IntentMatcher, text: str, tool: str,
                                     args: dict[str, object]) -> None:
    found = matcher.match(text)
    assert found is not None
    assert (found.tool, found.args) == (tool, args)


def test_slot_outside_the_schema_does_not_match(matcher: IntentMatcher) -> None:
    assert matcher.match("turn the garage lights red") is None


def test_short_known_lists_are_closed() -> None:
    registry = ToolRegistry([swap])
    closed = IntentMatcher(registry, {"food": ["rice", "quinoa"]})
    assert closed.match("swap rice for pasta") is None
    found = closed.match("swap rice for quinoa")
    assert found is not None and found.args == {"original": "rice", "replacement": "quinoa"}


def test_unknown_value_goes_through_the_wildcard_and_snaps(matcher: IntentMatcher) -> None:
    found = matcher.match("swap rice for quinola")
    assert found is not None and found.args == {"original": "rice", "replacement": "quinoa"}
    found = matcher.match("swap rice for couscous")
    assert found is not None and found.args["replacement"] == "couscous"


def test_misheard_words_are_corrected_toward_the_templates(matcher: IntentMatcher) -> None:
    found = matcher.match("sett a timer for 5 minutes")
    assert found is not None and found.corrected and found.args == {"minutes": 5}


def test_nothing_matches_unrelated_speech(matcher: IntentMatcher) -> None:
    assert matcher.match("what is the meaning of life") is None
    assert matcher.match("") is None


def test_examples_and_abilities_describe_the_tools(matcher: IntentMatcher) -> None:
    examples = matcher.examples()
    assert len(examples) == 4  # the tool without templates is not offered
    assert examples[2].lower().startswith("play")
    assert "no_templates" not in matcher.tool_names
    assert "start a kitchen timer" in matcher.abilities()


def test_normalize_text() -> None:
    assert normalize_text("Swap rice, for QUINOA!") == "swap rice for quinoa"
    assert normalize_text("I ran 2.5 miles.") == "i ran 2.5 miles"


def test_fuzzy_alignment_accepts_a_near_miss_and_rejects_unrelated_text() -> None:
    from voicelive.backends.local.fuzzy import Skeleton, align, best_match, kinds_from

    kinds = kinds_from({"minutes"}, {"meal": ["breakfast", "lunch"]}, {"food": ["pizza", "tofu"]})
    log = Skeleton("log", ("add", "{minutes}", "minutes", "of", "yoga"))
    cost, slots = align(["and", "15", "minutes", "of", "yoga"], log, kinds)
    assert 0 < cost < 1 and slots == {"minutes": "15"}
    ate = Skeleton("ate", ("i", "had", "{food}", "for", "{meal}"))
    found = best_match(["i", "have", "pizza", "for", "lunch"], [log, ate], kinds)
    assert [(s.tool, slots) for _, s, slots in found] == [
        ("ate", {"food": "pizza", "meal": "lunch"})]
    assert best_match(["what", "is", "the", "weather", "like"], [log, ate], kinds) == []
    # A known-values slot must hit a known value nearly, or the alignment is impossible.
    assert align(["i", "had", "moments", "for", "lunch"], ate, kinds)[0] == float("inf")


def test_fuzzy_fallback_in_the_matcher(matcher: IntentMatcher) -> None:
    found = matcher.match("sat a timer for 20 minutes")
    assert found is not None and found.tool == "set_timer" and found.args == {"minutes": 20}
    assert found.corrected and not found.exact
