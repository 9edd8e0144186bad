"""The recognition bench's scoring: word errors and the per-voice summary (no models)."""

from __future__ import annotations

import pytest

from bench import bench_recognition as rec


def test_word_errors_count_substitutions_insertions_and_deletions() -> None:
    ref = rec._words("I had two slices of pizza, at the office.")
    assert rec._edits(ref, ref) == 0
    assert rec._edits(ref, rec._words("I had two size and unbeat-set the office")) == 4
    assert rec._edits(ref, []) == len(ref)


def test_summary_counts_items_and_errors_per_voice() -> None:
    results = [
        rec.Result("a-01", "piper", True, ["log a run"], [["Log a run."]], [], "", [100.0]),
        rec.Result("a-02", "espeak", False, ["log a walk"], [["Log a wok.", "Log a walk."]],
                   [], "no call", [300.0]),
        # a turn the early end cut in two is heard as two parts
        rec.Result("a-03", "espeak", True, ["lunch, then a walk"], [["Lunch."], ["Then a walk."]],
                   [], "", [200.0]),
    ]
    summary = rec.summarise(results)
    assert summary["right"] == "2/3"
    assert summary["by_voice"] == {"piper": "1/1", "espeak": "1/2"}
    assert summary["wer_by_voice"] == {"piper": 0.0, "espeak": round(1 / 7, 3)}
    assert summary["stt_ms_p50"] == 200.0


def test_an_unknown_configuration_is_refused_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        rec.main(["--configs", "tiny,huge"])
    assert "huge" in capsys.readouterr().err
