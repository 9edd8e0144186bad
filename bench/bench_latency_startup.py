"""Start-up of ``voicelive ask``: process start to ready for the first turn.

Each run is a fresh Python process that does what ``voicelive ask`` does before the first chunk
of speech: import the CLI, make the local backend and the nutrition toolkit (through the CLI's
own start-up function, so the models start loading where ``ask`` starts them), import what
``ask`` imports, and open a ``LiveSession``. It is ready when the session has started: the
models are loaded and warmed, the intent matcher is built and the food table is read. The
parent notes the wall time just before it starts the process, so interpreter start-up counts.

The child also reports its phases, as offsets from its first line (``cli`` imported, backend
and tools made, ``ask``'s other imports done, session open) and the models' own step times
(``load_seconds``; the steps overlap, so they add up to more than the wall time).

``--before REV`` runs a git revision too (its ``voicelive`` package exported with
``git archive``), in the same rounds, alternating which goes first, so both see the same load.

``--first-turn`` also streams a spoken request (Piper's voice, made once by the parent) at real
pace from the moment the session is open, as ``voicelive ask --realtime`` would, and reports
its latency (end of speech to first reply audio): the models' warm-up runs in the background
after loading, and this shows whether the first turn pays for it.

Run: ``python bench/bench_latency_startup.py [--rounds 5] [--before REV] [--first-turn]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, tempfile, time
from pathlib import Path
t0 = time.perf_counter()
import anyio
from voicelive import cli
t_cli = time.perf_counter()
args = cli._parser().parse_args(
    ["ask", "unused.wav", "--backend", "local",
     "--db", str(Path(tempfile.mkdtemp()) / "start.sqlite3")])
if hasattr(cli, "_start_up"):  # models loading before the rest (this work)
    backend, tools = cli._start_up(args)
else:  # earlier revisions: toolkit, then the backend; the models load in the connect
    tools = cli._toolkit(args.db, args.tools)
    backend = cli.make_backend(args.backend, progress=True)
t_made = time.perf_counter()
from voicelive.audio import PCM16_24K, MemorySink, WavSource, write_wav
from voicelive.conversation import Conversation, converse, heard_speech
from voicelive.session import LiveSession
t_imports = time.perf_counter()

first = {}

async def connect():
    config = cli._session_config(args)
    if len(sys.argv) < 2:
        async with LiveSession(backend, config, tools=tools):
            return time.time(), time.perf_counter()
    # the first request, streamed at real pace from the moment the session is open, as
    # `voicelive ask --realtime` does: its latency says whether the start-up left work behind
    conversation = Conversation(WavSource(sys.argv[1], realtime=True), MemorySink(PCM16_24K),
                                reply_timeout_s=60, hold_after_ms=config.vad.silence_ms + 300)
    async with LiveSession(backend, config, source=conversation, sink=conversation.sink,
                           tools=tools) as session:
        ready = time.time(), time.perf_counter()
        events = await converse(session, conversation, lambda event: None)
    done = [e for e in events if type(e).__name__ == "TurnComplete" and e.latency_ms]
    first["latency_ms"] = round(done[0].latency_ms) if done else None
    first["tools"] = [e.name for e in events if type(e).__name__ == "ToolCall"]
    return ready

ready_wall, t_ready = anyio.run(connect)
from voicelive.backends.local.models import load_models
models = load_models()
warmed = models.warmed.wait(60) if hasattr(models, "warmed") else True
t_warm = time.perf_counter()
ms = lambda t: round((t - t0) * 1000)
print(json.dumps({"ready_wall": ready_wall, "cli_at": ms(t_cli), "made_at": ms(t_made),
                  "imports_at": ms(t_imports), "ready_at": ms(t_ready),
                  "warmed_by": ms(t_warm) if len(sys.argv) < 2 else None, "first_turn": first,
                  "models_ms": {k: round(v * 1000) for k, v in models.load_seconds.items()}}))
"""

SPEAK = r"""
import sys
from voicelive.audio import PCM16_16K, write_wav
from voicelive.backends.local.models import default_voice_path
from voicelive.backends.local.tts import Synthesizer, resample, to_pcm16
voice = Synthesizer(default_voice_path())
audio = resample(voice.synthesize_float(sys.argv[2], deterministic=True), voice.voice_rate, 16000)
silence = bytes(16000)  # half a second
write_wav(sys.argv[1], silence + to_pcm16(audio) + silence * 3, PCM16_16K)
"""

FIRST_REQUEST = "how many calories have I had so far today"

PHASES = ("cli_at", "made_at", "imports_at", "ready_at")


def run_once(package_root: Path, first_turn: Path | None = None) -> dict[str, Any]:
    """One fresh process with ``package_root`` first on the path; its figures."""
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    extra = [str(first_turn)] if first_turn else []
    started = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD, *extra], cwd="/", env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"start-up child failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["ready_ms"] = (result.pop("ready_wall") - started) * 1000
    return result


def export(rev: str, into: Path) -> Path:
    """Write the ``voicelive`` package of ``rev`` into ``into``."""
    data = subprocess.run(["git", "archive", "--format=tar", rev, "voicelive"], cwd=ROOT,
                          capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values)) if values else None


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Median and range of the ready time, medians of the phases and model steps."""
    ready = [r["ready_ms"] for r in results]
    steps = sorted({k for r in results for k in r["models_ms"]})
    first = [r["first_turn"]["latency_ms"] for r in results
             if r.get("first_turn", {}).get("latency_ms") is not None]
    return {
        "ready_ms_median": round(statistics.median(ready)),
        "ready_ms_range": f"{min(ready):.0f}-{max(ready):.0f}",
        "runs": len(ready),
        **{p: round(statistics.median(r[p] for r in results)) for p in PHASES},
        "warmed_by": _median([r["warmed_by"] for r in results if r.get("warmed_by")]),
        "first_turn_latency_ms": _median(first),
        "first_turn_range": f"{min(first):.0f}-{max(first):.0f}" if first else None,
        "models_ms": {k: round(statistics.median(r["models_ms"].get(k, 0) for r in results))
                      for k in steps},
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", default=None, help="git revision to compare with")
    parser.add_argument("--first-turn", action="store_true",
                        help="also stream a first spoken request at real pace once ready and "
                             "report its latency (end of speech to first reply audio)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        roots = {"this checkout": ROOT}
        if args.before:
            roots[f"before ({args.before})"] = export(args.before, Path(tmp) / "before")
        wav = None
        if args.first_turn:
            wav = Path(tmp) / "first.wav"
            subprocess.run([sys.executable, "-c", SPEAK, str(wav), FIRST_REQUEST], cwd=ROOT,
                           check=True, timeout=300)
        labels = list(roots)
        runs: dict[str, list[dict[str, Any]]] = {label: [] for label in labels}
        for r in range(args.rounds):
            for label in labels if r % 2 == 0 else labels[::-1]:
                result = run_once(roots[label], wav)
                runs[label].append(result)
                print(f"round {r + 1} {label}: ready {result['ready_ms']:.0f} ms (cli "
                      f"{result['cli_at']}, backend+tools {result['made_at']}, imports "
                      f"{result['imports_at']}, session open {result['ready_at']}, warm "
                      f"{result['warmed_by']} ms after the first line; first turn "
                      f"{result['first_turn']}; models {result['models_ms']})", flush=True)
    figures = {label: summarise(results) for label, results in runs.items()}
    for label, summary in figures.items():
        print(f"{label}: {json.dumps(summary)}")
    return figures


if __name__ == "__main__":
    main()
