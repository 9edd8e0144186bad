"""Smoke test: the benchmark script runs and reports every figure (no timing asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_tools.py"


def test_bench_runs_and_reports_every_figure() -> None:
    spec = importlib.util.spec_from_file_location("bench_tools_smoke", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures = module.main(n=50)
    assert set(figures) >= {
        "schema_simple_us", "schema_realistic_us", "call_sync_inline_us", "call_sync_thread_us",
        "call_async_us", "validate_us",
    }
    assert all(isinstance(v, float) for v in figures.values())
