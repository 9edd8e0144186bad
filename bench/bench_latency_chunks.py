"""Per-chunk audio path at real pace: voicelive beside Pipecat and LiveKit Agents.

Every system runs the same schedule (:mod:`bench.peers.chunkbench`): 20 ms chunks, one each way
every 4 ms, 5,000 up (16 kHz) and 5,000 down (24 kHz) at once, against an in-process model that
timestamps both ends. Each run is a fresh process; the peers run in their own virtual
environments, built on first use by :func:`bench.peers.venvs.ensure_peer_venv` (they are never a
test dependency). Rounds are interleaved: round ``r`` runs every system once, in an order
rotated by ``r``, so a noisy neighbour hurts all of them alike. The report gives, per system,
the median and range (min-max) over the rounds of up p50/p99, down p50/p99 and CPU per chunk,
and each figure's ratio to voicelive's median.

Run: ``python bench/bench_latency_chunks.py [--rounds 5] [--systems voicelive,livekit,pipecat,bare]
[--json OUT]``. A peer whose venv cannot be built (no package index) is skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.peers.venvs import PeerVenvError, ensure_peer_venv

ROOT = Path(__file__).resolve().parents[1]
PEERS: dict[str, tuple[str, list[str], str]] = {
    # name -> (venv name, requirements, worker script); the venvs are the ones the emulator's
    # peer clients use, so one build serves both benches
    "livekit": ("livekit", ["livekit-agents==1.8.9", "livekit-plugins-google==1.8.9"],
                "bench/peers/chunks_livekit.py"),
    "pipecat": ("pipecat", ["pipecat-ai[google]==1.14.0"], "bench/peers/chunks_pipecat.py"),
}
FIGURES = ("up_p50_us", "up_p99_us", "down_p50_us", "down_p99_us", "cpu_us_per_chunk")
RUN_TIMEOUT_S = 180


def command(system: str) -> list[str]:
    """The command line of one worker run."""
    if system == "voicelive":
        return [sys.executable, "-m", "bench.peers.chunks_voicelive"]
    if system == "bare":
        return [sys.executable, "-m", "bench.peers.chunks_voicelive", "bare"]
    venv, requirements, script = PEERS[system]
    return [str(ensure_peer_venv(venv, requirements)), script]


def run_once(argv: list[str]) -> dict[str, Any]:
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                          check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-10:])
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{tail}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def summarise(runs: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    base = runs.get("voicelive", [])
    for system, results in runs.items():
        row: dict[str, Any] = {"name": results[0]["name"], "rounds": len(results),
                               "lost": sum(r["lost_up"] + r["lost_down"] for r in results)}
        for f in FIGURES:
            values = [float(r[f]) for r in results]
            row[f] = {"median": round(statistics.median(values), 1),
                      "min": round(min(values), 1), "max": round(max(values), 1)}
            if base:
                ref = statistics.median(float(r[f]) for r in base)
                row[f]["vs_voicelive"] = round(statistics.median(values) / ref, 2) if ref else None
        out[system] = row
    return out


def table(summary: dict[str, dict[str, Any]]) -> str:
    head = ("| system | up p50 | up p99 | down p50 | down p99 | CPU per chunk | "
            "x voicelive (up p50 / CPU) |")
    lines = [head, "|" + "---|" * 7]
    for row in summary.values():
        cells = [f"{row[f]['median']:g} ({row[f]['min']:g}-{row[f]['max']:g}) µs"
                 for f in FIGURES]
        up, cpu = row["up_p50_us"], row["cpu_us_per_chunk"]
        ratio = f"{up.get('vs_voicelive')} / {cpu.get('vs_voicelive')}"
        lines.append(f"| {row['name']} | " + " | ".join(cells) + f" | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--systems", default="voicelive,livekit,pipecat,bare")
    parser.add_argument("--json", help="also write the raw runs and the summary here")
    args = parser.parse_args(argv)
    systems = [s for s in args.systems.split(",") if s]
    unknown = set(systems) - {"voicelive", "bare", *PEERS}
    if unknown:
        parser.error(f"unknown system(s): {', '.join(sorted(unknown))}")
    commands: dict[str, list[str]] = {}
    for system in systems:
        try:
            commands[system] = command(system)
        except PeerVenvError as exc:
            print(f"skipping {system}: its venv could not be built: {exc}")
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in commands}
    order = list(commands)
    for r in range(args.rounds):
        rotated = order[r % len(order):] + order[:r % len(order)]
        for system in rotated:
            result = run_once(commands[system])
            runs[system].append(result)
            print(f"round {r + 1} {system}: up p50 {result['up_p50_us']} µs, down p50 "
                  f"{result['down_p50_us']} µs, CPU {result['cpu_us_per_chunk']} µs/chunk, "
                  f"lost {result['lost_up'] + result['lost_down']}", flush=True)
    summary = summarise({s: v for s, v in runs.items() if v})
    print(table(summary))
    if args.json:
        Path(args.json).write_text(json.dumps({"runs": runs, "summary": summary}, indent=2))
    return summary


if __name__ == "__main__":
    main()
