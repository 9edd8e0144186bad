"""Smoke test: the understanding benchmark runs and reports every figure (no timing asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "bench_understand.py"


def test_bench_runs_and_reports_every_figure() -> None:
    spec = importlib.util.spec_from_file_location("bench_understand_smoke", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.main(rounds=1)
    assert set(figures) == {"build_ms", "nbest4_p50_ms", "nbest4_p95_ms", "nbest4_max_ms",
                            "nbest4_cpu_p50_ms", "nbest4_cpu_p95_ms", "single_p50_ms",
                            "single_p95_ms", "long_text_8000_chars_ms"}
    assert all(isinstance(v, float) and v >= 0 for v in figures.values())
