"""The stage breakdown's plain parts: cutting a recording into turns, words, attribution."""

from __future__ import annotations

import numpy as np
import pytest

from bench.spoken import stages


def _tone(seconds: float, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(int(seconds * 16000)) / 16000
    return (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + 0.2 * rng.standard_normal(t.size))
            ).astype(np.float32)


def _quiet(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * 16000), np.float32)


@pytest.mark.parametrize("noise", [0.0, 0.02])
def test_a_recording_is_cut_at_its_two_second_pauses_not_at_a_comma(noise: float) -> None:
    rng = np.random.default_rng(1)
    # turn one has a 0.5 s comma pause inside; 2 s between the turns
    parts = [_quiet(0.5), _tone(1.0, rng), _quiet(0.5), _tone(0.8, rng), _quiet(2.0),
             _tone(1.2, rng), _quiet(1.0)]
    samples = np.concatenate(parts)
    samples += (noise * rng.standard_normal(samples.size)).astype(np.float32)
    first, second = stages.cut_turns(samples, 2)
    # the cut falls inside the 2 s pause, so turn one keeps both halves
    assert 2.8 * 16000 < first.size < 4.8 * 16000
    assert first.size + second.size == samples.size
    assert np.abs(second[: int(0.5 * 16000)]).max() < 0.2  # it starts in the pause


def test_too_few_pauses_for_the_turns_is_an_error_naming_them() -> None:
    rng = np.random.default_rng(2)
    samples = np.concatenate([_quiet(0.5), _tone(1.0, rng), _quiet(0.5), _tone(1.0, rng)])
    with pytest.raises(ValueError, match="for 2 turns"):
        stages.cut_turns(samples, 2)
    assert len(stages.cut_turns(samples, 1)) == 1


def test_same_words_ignores_case_punctuation_and_number_spelling() -> None:
    assert stages.same_words("Sorry, make that thirty.", "Sorry, make that 30.")
    assert stages.same_words("Change my target to 2,200.", "change my target to 2200")
    assert not stages.same_words("I had a can of cola.", "I had a cup of cola.")


def _attribute(**changes: bool) -> str:
    flags = {"text_ok": True, "pipeline_ok": False, "oracle_ok": False, "checks_ok": False,
             "choice_ok": False, "right_words": False}
    prompt = changes.pop("prompt_ok", False)
    flags.update(changes)
    return stages.attribute(**flags, prompt_ok=lambda: prompt)


def test_a_miss_goes_to_the_first_stage_that_would_have_saved_it() -> None:
    assert _attribute(pipeline_ok=True) == ""
    assert _attribute(text_ok=False, oracle_ok=True) == "understanding-text"
    assert _attribute(oracle_ok=True, checks_ok=True) == "segmentation"
    assert _attribute(checks_ok=True, choice_ok=True) == "checks"
    assert _attribute(choice_ok=True, right_words=True) == "choice"
    assert _attribute(right_words=True, prompt_ok=True) == "understanding"
    assert _attribute(prompt_ok=True) == "prompt"
    assert _attribute() == "recognition"


def test_the_prompt_is_only_decoded_again_when_nothing_else_explains_the_miss() -> None:
    calls: list[int] = []

    def prompt_ok() -> bool:
        calls.append(1)
        return False

    stages.attribute(text_ok=True, pipeline_ok=False, oracle_ok=True, checks_ok=False,
                     choice_ok=False, right_words=False, prompt_ok=prompt_ok)
    assert calls == []
    stages.attribute(text_ok=True, pipeline_ok=False, oracle_ok=False, checks_ok=False,
                     choice_ok=False, right_words=False, prompt_ok=prompt_ok)
    assert calls == [1]


def test_the_table_counts_stages_per_voice() -> None:
    rows = [stages.Staged("a-01", "x", "v1", True, True, True),
            stages.Staged("a-02", "x", "v1", True, False, False, stage="recognition"),
            stages.Staged("a-03", "x", "v2", True, True, True, session_ok=False)]
    counts = stages.table(rows)
    assert counts["v1"] == {"items": 2, "right": 1, "recognition": 1}
    assert counts["v2"] == {"items": 1, "right": 1, "session": 1}
    assert "| **all** | 3 | 2 |" in stages.render_table(counts)


def test_a_category_keeps_the_voices_a_full_run_gives_its_items() -> None:
    from bench.spoken.generate import VOICES, assign, assign_only
    from bench.spoken.items import Item

    items = [Item(f"{c}-{n:02d}", c, (f"say {c} {n}",), ()) for n in range(3)
             for c in ("scripted", "follow_up")]
    whole = dict((i.id, v) for i, v in assign(items, VOICES))
    only = assign_only(items, VOICES, categories=["follow_up"])
    assert [i.category for i, _ in only] == ["follow_up"] * 3
    assert all(v == whole[i.id] for i, v in only)
    assert assign_only(items, VOICES) == assign(items, VOICES)
