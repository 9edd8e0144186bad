"""Any well-documented ``@tool`` is understood without templates; hints sharpen it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import pytest

from voicelive.backends.local.understand import Understander
from voicelive.tools import ToolRegistry, Vocabulary, hints, tool
from voicelive.tools.hints import parameter_vocabularies, tool_hints


@tool
def log_water(ml: int) -> str:
    """Log water the person drank.

    Args:
        ml: How much water, in millilitres.
    """
    return f"{ml} ml"


@tool
def set_light(room: Literal["kitchen", "bedroom", "living_room"],
              color: Literal["red", "green", "blue", "warm_white"]) -> str:
    """Change the colour of the lights in a room.

    Args:
        room: Which room.
        color: The new colour.
    """
    return f"{room} {color}"


@tool
def set_timer(minutes: int) -> str:
    """Start a kitchen timer.

    Args:
        minutes: How long the timer runs, in minutes.
    """
    return str(minutes)


@hints(writes=False, ability="play music")
@tool
def play_music(artist: str) -> str:
    """Play music by an artist.

    Args:
        artist: The artist or band to play.
    """
    return artist


@tool
def sync(payload: dict[str, int]) -> str:
    """Synchronise a payload."""
    return ""


PLANTS = Vocabulary(["fern", "cactus", "basil", "orchid"], aliases={"cacti": "cactus"},
                    closed=True)


@hints(writes=True, examples=["I watered the fern"])
@tool
def water_plant(plant: Annotated[str, PLANTS]) -> str:
    """Record that a plant was watered.

    Args:
        plant: The plant.
    """
    return plant


@pytest.fixture(scope="module")
def home() -> Understander:
    return Understander(ToolRegistry([log_water, set_light, set_timer, play_music, sync,
                                      water_plant]))


@pytest.fixture(scope="module")
def coach_and_water(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    from voicelive.nutrition import toolkit

    tools = toolkit(db_path=Path(tmp_path_factory.mktemp("w")) / "d.sqlite3")
    return Understander(tools + ToolRegistry([log_water]))


def calls(u: Understander, text: str, state: Any = None) -> list[tuple[str, dict[str, Any]]]:
    return [(c.tool, c.args) for c in u.understand([text], state).calls]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("um could you turn the kitchen lights red", [("set_light",
                                                       {"room": "kitchen", "color": "red"})]),
        ("make the living room warm white please", [("set_light", {"room": "living_room",
                                                                   "color": "warm_white"})]),
        ("set a timer for ten minutes", [("set_timer", {"minutes": 10})]),
        ("start a timer for half an hour", [("set_timer", {"minutes": 30})]),
        ("can you play something by the beatles", [("play_music", {"artist": "beatles"})]),
        ("I just drank 300 ml of water", [("log_water", {"ml": 300})]),
        ("log half a litre of water", [("log_water", {"ml": 500})]),
        ("I watered the cacti", [("water_plant", {"plant": "cactus"})]),
        ("what's the weather like", []),
    ],
)
def test_tools_without_templates_are_understood(home: Understander, text: str,
                                                want: list[Any]) -> None:
    assert calls(home, text) == want


def test_a_value_outside_a_closed_list_is_never_taken(home: Understander) -> None:
    assert calls(home, "turn the garage lights red") == []
    assert calls(home, "I watered the tomatoes") == []


def test_a_write_missing_its_number_asks_for_it(home: Understander) -> None:
    asked = home.understand(["I drank some water"])
    assert asked.kind == "question" and asked.reply == "How many millilitres?"
    assert calls(home, "two hundred", asked.state) == [("log_water", {"ml": 200})]


def test_the_water_tool_is_called_and_still_loses_to_a_better_tool(
        coach_and_water: Understander) -> None:
    assert calls(coach_and_water, "I drank 500 ml of water") == [("log_water", {"ml": 500})]
    assert calls(coach_and_water, "log two hundred and fifty millilitres of water") == [
        ("log_water", {"ml": 250})]
    # better matches: a food, a glass of something, a run
    assert [t for t, _ in calls(coach_and_water, "I drank a glass of orange juice")] == [
        "unplanned_food"]
    assert [t for t, _ in calls(coach_and_water, "I had a banana")] == ["unplanned_food"]
    assert [t for t, _ in calls(coach_and_water, "I ran for 20 minutes")] == ["log_activity"]


def test_unreachable_tools_are_named_with_a_reason(home: Understander) -> None:
    assert home.unreachable() == [("sync", "parameter 'payload' (object) cannot be said")]
    assert "sync" not in {t.name for t in home.tools if not t.unreachable}


def test_hints_and_vocabularies_travel_with_the_declaration() -> None:
    assert tool_hints(water_plant).writes is True
    assert tool_hints(water_plant).examples == ("I watered the fern",)
    assert tool_hints(log_water).writes is None
    assert parameter_vocabularies(water_plant) == {"plant": PLANTS}
    assert water_plant.parameters_json_schema["properties"]["plant"] == {"type": "string",
                                                                         "description":
                                                                         "The plant."}
    assert water_plant("fern") == "fern"  # the tool is unchanged


def test_writes_is_guessed_from_the_name_when_not_declared(home: Understander) -> None:
    writes = {t.name: t.writes for t in home.tools}
    assert writes["log_water"] and writes["set_light"] and writes["water_plant"]
    assert not writes["play_music"]  # declared


def test_voicelive_tools_says_which_tools_offline_cannot_call(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from voicelive.cli import main

    extra = tmp_path / "extra.py"
    extra.write_text(
        "from voicelive.tools import tool\n\n\n"
        "@tool\ndef sync(payload: dict[str, int]) -> str:\n"
        '    """Synchronise a payload."""\n    return ""\n\n\n'
        "@tool\ndef log_water(ml: int) -> str:\n"
        '    """Log water the person drank."""\n    return ""\n')
    assert main(["tools", "--db", str(tmp_path / "d.sqlite3"), "--tools", str(extra)]) == 0
    out = capsys.readouterr()
    assert "sync:" in out.out and "log_water:" in out.out
    assert out.err.strip().splitlines() == [
        "offline: sync cannot be called: parameter 'payload' (object) cannot be said"]


def test_sessions_over_the_same_tools_share_one_understanding() -> None:
    from voicelive.backends.local import LocalBackend

    backend = LocalBackend()  # no models are loaded to build the understanding
    registry = ToolRegistry([log_water, set_timer])
    first = backend.understander(registry)
    assert backend.understander(ToolRegistry([log_water, set_timer])) is first
    assert backend.understander(ToolRegistry([log_water])) is not first
