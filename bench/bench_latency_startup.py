"""Start-up of the offline backend: process start to ready for the first turn.

Each run is a fresh Python process that does what ``voicelive ask`` does before the first chunk
of speech: import the CLI, make the local backend, build the nutrition toolkit, and open a
``LiveSession`` (models, intent matcher and food table load in parallel inside the connect). It
is ready when the session has started. The parent notes the wall time just before it starts the
process, so interpreter start-up counts. The child also reports its phases: import, toolkit,
connect (and the models' own load times).

``--sequential`` runs the old order for comparison (models first, one after another, then the
matcher and the food table), in the same rounds, alternating.

Run: ``python bench/bench_latency_startup.py [--rounds 5] [--sequential]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, tempfile, time
from pathlib import Path
t0 = time.perf_counter()
import anyio
from voicelive.cli import _toolkit, make_backend
from voicelive import LiveSession, SessionConfig
t_import = time.perf_counter()
sequential = sys.argv[1] == "sequential"
backend = make_backend("local")
if sequential:
    from voicelive.backends.local import models as m
    from voicelive.backends.local.stt import Transcriber
    from voicelive.backends.local.tts import Synthesizer
    from voicelive.backends.local.backend import _warm_nutrition
    vad = m._vad_session(m.default_vad_path())
    stt = Transcriber(m.default_whisper_path(), context_s=30.0)
    tts = Synthesizer(m.default_voice_path())
    loaded = m.LocalModels(vad, stt, tts, {})
    loaded.warm_up()
    m._cache[(m.default_whisper_path(), m.default_voice_path(), m.default_vad_path(), None)] = (
        loaded)
    _warm_nutrition()
tools = _toolkit(str(Path(tempfile.mkdtemp()) / "start.sqlite3"))
t_tools = time.perf_counter()

async def connect():
    async with LiveSession(backend, SessionConfig(), tools=tools):
        return time.time()

ready_wall = anyio.run(connect)
t_ready = time.perf_counter()
from voicelive.backends.local.models import load_models
seconds = load_models().load_seconds
print(json.dumps({"ready_wall": ready_wall, "import_ms": (t_import - t0) * 1000,
                  "toolkit_ms": (t_tools - t_import) * 1000,
                  "connect_ms": (t_ready - t_tools) * 1000,
                  "models_ms": {k: round(v * 1000) for k, v in seconds.items()}}))
"""


def run_once(mode: str) -> dict[str, Any]:
    started = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"start-up child failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["ready_ms"] = (result.pop("ready_wall") - started) * 1000
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sequential", action="store_true",
                        help="also run the old, one-after-another order")
    args = parser.parse_args(argv)
    modes = ["parallel", "sequential"] if args.sequential else ["parallel"]
    runs: dict[str, list[dict[str, Any]]] = {m: [] for m in modes}
    for r in range(args.rounds):
        for mode in modes if r % 2 == 0 else modes[::-1]:
            result = run_once(mode)
            runs[mode].append(result)
            print(f"round {r + 1} {mode}: ready {result['ready_ms']:.0f} ms (import "
                  f"{result['import_ms']:.0f}, toolkit {result['toolkit_ms']:.0f}, connect "
                  f"{result['connect_ms']:.0f}; models {result['models_ms']})", flush=True)
    figures: dict[str, Any] = {}
    for mode, results in runs.items():
        ready = [r["ready_ms"] for r in results]
        figures[mode] = {
            "ready_ms_median": round(statistics.median(ready)),
            "ready_ms_range": f"{min(ready):.0f}-{max(ready):.0f}",
            **{k: round(statistics.median(r[k] for r in results))
               for k in ("import_ms", "toolkit_ms", "connect_ms")},
        }
        print(f"{mode}: {figures[mode]}")
    return figures


if __name__ == "__main__":
    main()
