"""The spoken test set's data and scoring (no audio, no models)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench.spoken.generate import VOICES, assign
from bench.spoken.items import Item, args_match, load_items, score
from bench.spoken.legacy import UTTERANCES, legacy_items
from bench.spoken.run import HERE, _from_records, _load_tools

CATEGORIES = {"fillers", "context", "questions", "negation", "two_in_one", "follow_up",
              "no_tool", "near_miss", "custom"}


def test_the_set_covers_every_category_and_every_nutrition_tool() -> None:
    from voicelive.nutrition import toolkit

    items = load_items()
    assert len(items) >= 150 and sum(len(i.turns) for i in items) >= 150
    assert set(Counter(i.category for i in items)) == CATEGORIES
    assert min(Counter(i.category for i in items).values()) >= 10
    called = {c.tool for i in items for c in i.expect}
    assert {t.name for t in toolkit(db_path=":memory:")} <= called
    assert len({i.turns for i in items}) == len(items)  # no duplicates
    assert not {i.turns[0] for i in items} & {u.text for u in UTTERANCES}  # not the old set


def test_follow_ups_hold_two_and_three_turns() -> None:
    turns = Counter(len(i.turns) for i in load_items() if i.category == "follow_up")
    assert turns[2] >= 6 and turns[3] >= 4


def test_custom_items_reach_tools_without_templates_and_also_lose_to_better_ones() -> None:
    items = [i for i in load_items() if i.category == "custom"]
    registry = _load_tools(HERE / "custom_tools.py")
    names = {t.name for t in registry}
    assert {"log_water"} <= names
    assert all(not t.templates for t in registry)
    assert all(t.description for t in registry)
    water = next(d for d in registry.to_json() if d["name"] == "log_water")
    water = water["parametersJsonSchema"]
    assert water["properties"]["ml"]["type"] == "integer"
    expected = {c.tool for i in items for c in i.expect}
    assert expected & names and expected - names  # some go to a nutrition tool instead


def test_three_voices_at_least_two_engines_and_one_noisy() -> None:
    assert len(VOICES) >= 3
    assert {v.engine for v in VOICES} == {"piper", "espeak"}
    espeak = [(v.name, v.rate) for v in VOICES if v.engine == "espeak"]
    assert len(set(espeak)) >= 2 and len({n for n, _ in espeak}) >= 2
    assert any(v.noise_snr_db is not None for v in VOICES)
    assert len({v.tag for v in VOICES}) == len(VOICES)


def test_every_category_is_spread_over_every_voice() -> None:
    pairs = assign(load_items())
    for category in CATEGORIES:
        voices = {v.tag for i, v in pairs if i.category == category}
        assert len(voices) == len(VOICES), category
    assert len(assign(load_items(), all_voices=True)) == len(VOICES) * len(load_items())


def test_text_compares_loosely_and_numbers_by_value() -> None:
    assert args_match({"food": "egg"}, {"food": "eggs"})
    assert args_match({"food": "berries"}, {"food": "berry"})
    assert args_match({"food": "brownie"}, {"food": "brownies"})
    assert args_match({"food": "cookies"}, {"food": "a cookie"})
    assert args_match({"activity": "bike|cycling"}, {"activity": "cycling"})
    assert args_match({"activity": "bike|cycling"}, {"activity": "biking"})
    assert not args_match({"activity": "bike|cycling"}, {"activity": "running"})
    assert args_match({"food": "pizza"}, {"food": "two slices of pizza"})
    assert args_match({"amount": "2"}, {"amount": "two"})
    assert args_match({"activity": "running"}, {"activity": "run"})
    assert args_match({"meal": "Lunch"}, {"meal": "lunch"})
    assert args_match({"minutes": 30}, {"minutes": 30.0})
    assert not args_match({"minutes": 30}, {"minutes": 45})
    assert not args_match({"food": "rice"}, {"food": "quinoa"})
    assert not args_match({"meal": "lunch"}, {"meal": ""})
    assert not args_match({"kcal": 1800}, {"kcal": "lots"})


def item(category: str, *calls: tuple[str, dict[str, object]]) -> Item:
    from bench.spoken.items import Call

    return Item("x-01", category, ("...",), tuple(Call(n, a) for n, a in calls))


def test_calls_must_come_in_order_and_in_number() -> None:
    two = item("two_in_one", ("missed_meal", {"meal": "lunch"}), ("daily_summary", {}))
    assert score(two, [("missed_meal", {"meal": "lunch"}), ("daily_summary", {})], 3.0).ok
    assert not score(two, [("daily_summary", {}), ("missed_meal", {"meal": "lunch"})], 3.0).ok
    assert not score(two, [("missed_meal", {"meal": "lunch"})], 3.0).ok
    out = score(two, [("missed_meal", {"meal": "dinner"}), ("daily_summary", {})], 3.0)
    assert not out.ok and "call 1" in out.reason


@pytest.mark.parametrize(("calls", "reply_s", "ok"), [
    ([], 3.0, True), ([], 14.0, False), ([("daily_summary", {})], 2.0, False)])
def test_no_tool_means_no_call_and_a_short_reply(
        calls: list[tuple[str, dict[str, object]]], reply_s: float, ok: bool) -> None:
    assert score(item("no_tool"), calls, reply_s).ok is ok


def test_a_near_miss_may_read_but_never_write() -> None:
    miss = item("near_miss")
    assert score(miss, [], 14.0).ok
    assert score(miss, [("daily_summary", {})], 2.0).ok
    out = score(miss, [("missed_meal", {"meal": "lunch"})], 2.0)
    assert not out.ok and "missed_meal" in out.reason


def test_the_old_set_runs_through_the_same_runner() -> None:
    old = legacy_items()
    assert len(old) == len(UTTERANCES) == 48
    assert all(i.category.startswith("old:") and len(i.expect) == 1 for i in old)


def test_voices_are_read_from_specs_and_the_heldout_ones_are_not_the_sets() -> None:
    from bench.spoken.generate import HELDOUT_VOICES, parse_voice, parse_voices

    scot = parse_voice("espeak:en-gb-scotland:160:p40")
    assert (scot.engine, scot.name, scot.rate, scot.pitch) == ("espeak", "en-gb-scotland", 160, 40)
    assert scot.tag == "espeak:en-gb-scotland@160wpm-p40"
    noisy = parse_voice("piper:0.9:noise10:label=joe-fast")
    assert (noisy.rate, noisy.noise_snr_db, noisy.tag) == (0.9, 10.0, "joe-fast")
    assert parse_voices([]) == VOICES
    assert parse_voices(["heldout"]) == HELDOUT_VOICES
    assert parse_voices(["default,espeak:en-029"])[-1].name == "en-029"
    assert not set(HELDOUT_VOICES) & set(VOICES)
    assert len({v.tag for v in HELDOUT_VOICES}) == len(HELDOUT_VOICES)
    for bad in ("festival:en", "espeak:en-us:fast!", "piper:en-us"):
        with pytest.raises(ValueError, match="voice"):
            parse_voice(bad)


def test_the_cache_key_of_the_sets_voices_did_not_change_with_pitch() -> None:
    from bench.spoken.generate import _key

    # recordings cached before Voice had a pitch keep their names
    first = load_items()[0]
    assert _key(first, VOICES[0]) == _key(first, VOICES[0])
    assert "pitch" not in repr(VOICES[0]).replace(", pitch=None", "")


def test_another_set_file_is_read_and_texts_scores_it(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from bench.spoken import texts

    other = tmp_path / "other.toml"
    other.write_text('[[item]]\ncat = "scripted"\nsay = ["I skipped my lunch today."]\n'
                     'expect = [{tool = "missed_meal", meal = "lunch"}]\n\n'
                     '[[item]]\ncat = "no_tool"\nsay = ["Sing me a song."]\nexpect = []\n')
    assert [i.id for i in load_items(other)] == ["scripted-01", "no_tool-01"]
    table = texts.main(["--set", str(other), "--json", str(tmp_path / "out.json")])
    assert set(table) == {"scripted", "no_tool"} and all(n == 1 for _, n in table.values())
    assert "total" in capsys.readouterr().out
    assert (tmp_path / "out.json").is_file()


def test_the_heldout_set_loads_and_every_expected_tool_and_argument_exists() -> None:
    import inspect

    from voicelive.nutrition import toolkit

    items = load_items(HERE / "heldout.toml")
    assert len(items) >= 200
    assert {i.category for i in items} == {"scripted", "extra_words", "two_in_one", "follow_up",
                                           "no_tool", "near_miss", "custom"}
    tools = {t.name: t for t in toolkit(db_path=":memory:")}
    extra = {f: {t.name: t for t in _load_tools(HERE / f)} for f in {i.tools for i in items}
             if f}
    for item in items:
        known = tools | extra.get(item.tools or "", {})
        for call in item.expect:
            assert call.tool in known, (item.id, call.tool)
            params = inspect.signature(known[call.tool].fn).parameters
            assert set(call.args) <= set(params), (item.id, call.args)
    assert len({i.turns for i in items}) == len(items)  # no duplicates
    # written blind, yet 9 common phrasings (mostly no_tool) happen to be in the main set too
    assert len({i.turns for i in items} & {i.turns for i in load_items()}) <= 10


def test_a_call_withdrawn_before_its_confirmation_is_not_a_call_the_run_made() -> None:
    records: list[dict[str, Any]] = [
        {"type": "tool_call", "id": "c1", "name": "set_targets", "args": {"kcal": 1600}},
        {"type": "tool_confirmation", "id": "c1", "name": "set_targets",
         "args": {"kcal": 1600}, "status": "pending"},
        {"type": "tool_cancelled", "id": "c1", "name": "set_targets"},
        {"type": "tool_call", "id": "c2", "name": "set_targets", "args": {"kcal": 1700}},
        {"type": "tool_result", "id": "c2", "name": "set_targets", "ok": True},
    ]
    assert _from_records(records)["calls"] == [("set_targets", {"kcal": 1700})]
