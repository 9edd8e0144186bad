"""Score the spoken test set: right tool with right slots, per category and per voice, latency.

Run: ``python -m bench.spoken.run [--set FILE] [--voices SPEC ...] [--via session|cli]
[--realtime] [--all-voices] [--category NAME ...] [--legacy] [--markdown] [--json FILE] [-v]``

Each recording (see :mod:`bench.spoken.generate`, made on first use into the cache folder) is
a short conversation streamed exactly as ``voicelive ask`` streams it: turn by turn through
:class:`voicelive.conversation.Conversation` into a :class:`~voicelive.LiveSession` on the
offline backend, with the nutrition toolkit (and ``bench/spoken/custom_tools.py`` for the
``custom`` items) on a temporary database and a fresh user per item.

* ``--via session`` (default) runs the sessions in this process (models load once);
* ``--via cli`` runs ``voicelive ask IN.wav --events EVENTS.jsonl`` per recording (a model
  load each, slower) and scores the events file;
* ``--listen`` waits, before a follow-up turn, until the reply has had time to play, as
  ``voicelive ask`` does; without it (faster) the follow-up may start while the offline
  backend thinks its finished reply is still playing, which it reports as an interruption
  (the calls are the same either way);
* ``--set FILE`` scores another set of the same format (a held-out one) instead of
  ``bench/spoken/requests.toml``; its ``tools`` files are still found in ``bench/spoken/``;
* ``--voices`` speaks it in other voices (``heldout``: voices the repository's set does not
  use; or specs, see :func:`bench.spoken.generate.parse_voice`); ``--cache DIR`` keeps those
  recordings elsewhere;
* ``--legacy`` scores the old 48-request set (:mod:`bench.spoken.legacy`) the same way, side
  by side.

Latency is the session's ``turn_complete.latency_ms``: end of user speech to first reply
audio. Streamed as fast as accepted (the default) it leaves out the silence the detector waits
for; ``--realtime`` streams at real-time pace as a microphone would, so it includes it (and
the run takes about as long as the audio).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import anyio
import numpy as np

from bench.spoken.generate import CACHE, VOICES, assign_only, parse_voices, render
from bench.spoken.items import DATA, Item, load_items, score, wrong_writes
from voicelive.testing.speech import Voice
from voicelive.tools import Tool, ToolRegistry

HERE = Path(__file__).resolve().parent


@dataclass
class Run:
    """What one recording produced and how it scored."""

    item: str
    category: str
    voice: str
    turns: list[str]
    heard: list[str]
    calls: list[tuple[str, dict[str, Any]]]
    reply_s: float
    latencies_ms: list[float]
    ok: bool = False
    reason: str = ""
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    """Calls that wrote something the item does not expect (a wrong write, not a question)."""


def _load_tools(file: Path) -> ToolRegistry:
    spec = importlib.util.spec_from_file_location(f"spoken_{file.stem}", file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return ToolRegistry([v for v in vars(module).values() if isinstance(v, Tool)])


def _made_calls(records: Sequence[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """The tool calls a run ended in: every ``tool_call`` but those later withdrawn.

    A call that asked for confirmation and was then replaced or refused ("Set 1600." /
    "Actually, make it 1700." / "Yes.") has a ``tool_cancelled`` event on its id; it never ran,
    so it is not one of the calls the run made.
    """
    cancelled = {r["id"] for r in records if r["type"] == "tool_cancelled"}
    return [(r["name"], dict(r["args"])) for r in records
            if r["type"] == "tool_call" and r.get("id") not in cancelled]


def _from_records(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {
        "heard": [r["text"] for r in records if r["type"] == "user_transcript" and r.get("final")],
        "calls": _made_calls(records),
        "latencies_ms": [float(r["latency_ms"]) for r in records
                         if r["type"] == "turn_complete" and r.get("latency_ms") is not None],
        "errors": [f"{r['code']}: {r['message']}" for r in records if r["type"] == "error"],
    }


async def _run_in_session(backend: Any, wav: Path, tools: ToolRegistry, user: str,
                          realtime: bool, reply_timeout_s: float, listen: bool,
                          ) -> tuple[dict[str, Any], float]:
    from voicelive.audio import PCM16_24K, MemorySink, WavSource
    from voicelive.config import SessionConfig
    from voicelive.conversation import Conversation, converse
    from voicelive.session import LiveSession

    config = SessionConfig(user_id=user)
    sink = MemorySink(PCM16_24K)
    conversation = Conversation(WavSource(wav, realtime=realtime), sink,
                                hold_after_ms=config.vad.silence_ms + 300,
                                reply_timeout_s=reply_timeout_s, wait_for_playback=listen)
    async with LiveSession(backend, config, source=conversation, sink=conversation.sink,
                           tools=tools) as session:
        events = await converse(session, conversation)
    records = [e.to_dict() for e in events]
    return _from_records(records), len(sink.data) / PCM16_24K.bytes_per_second


def _run_in_cli(wav: Path, item: Item, user: str, db: Path, realtime: bool,
                timeout: float, work: Path) -> tuple[dict[str, Any], float]:
    from voicelive.audio import read_wav

    events, out = work / f"{user}.jsonl", work / f"{user}.wav"
    cmd = [sys.executable, "-m", "voicelive.cli", "ask", str(wav), "--backend", "local",
           "--events", str(events), "--out", str(out), "--user", user, "--db", str(db),
           "--timeout", str(timeout)]
    if item.tools:
        cmd += ["--tools", str(HERE / item.tools)]
    if realtime:
        cmd.append("--realtime")
    env = {k: v for k, v in os.environ.items() if k not in ("GEMINI_API_KEY", "GOOGLE_API_KEY")}
    env["XDG_DATA_HOME"] = str(work / "data")
    subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout * 4 + 120,
                   check=False)
    if not events.is_file():
        return _from_records([]), 0.0
    records = [json.loads(line) for line in events.read_text().splitlines() if line.strip()]
    reply_s = 0.0
    if out.is_file():
        pcm, fmt = read_wav(out)
        reply_s = len(pcm) / fmt.bytes_per_second
    return _from_records(records), reply_s


def run_set(items: Sequence[Item], *, via: str = "session", realtime: bool = False,
            all_voices: bool = False, timeout: float = 30.0, listen: bool = False,
            verbose: bool = False, voices: Sequence[Voice] = VOICES,
            cache: Path = CACHE, whisper_model: str | None = None,
            check_writes: bool = True, second_opinion: bool | None = None,
            categories: Sequence[str] = ()) -> list[Run]:
    """Run and score every item (in its voice, or in every voice).

    ``categories`` keeps only the items of those categories, each still in the voice it has
    in the whole set (voices are assigned before the choice, so the recordings are the ones
    a full run made). ``second_opinion`` ``None`` keeps the backend's default.
    """
    from voicelive.backends.local import LocalBackend
    from voicelive.nutrition import toolkit

    backend = LocalBackend(whisper_model=whisper_model, check_writes=check_writes)
    if second_opinion is not None:  # None: the backend's default
        backend.second_opinion = second_opinion
    models = backend.load()
    pairs = assign_only(items, voices, all_voices=all_voices, categories=categories)
    wavs = [render(item, voice, cache, synthesizer=models.synthesizer) for item, voice in pairs]
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="spoken-") as tmp:
        work = Path(tmp)
        db = work / "days.sqlite3"
        base = toolkit(db_path=db)
        extra = {name: _load_tools(HERE / name) for name in {i.tools for i in items if i.tools}}
        for n, ((item, voice), wav) in enumerate(zip(pairs, wavs, strict=True)):
            user = f"u{n:04d}"
            tools = base + extra[item.tools] if item.tools else base
            if via == "cli":
                got, reply_s = _run_in_cli(wav, item, user, db, realtime, timeout, work)
            else:
                got, reply_s = anyio.run(_run_in_session, backend, wav, tools, user, realtime,
                                         timeout, listen)
            outcome = score(item, got["calls"], reply_s)
            run = Run(item.id, item.category, voice.tag, list(item.turns), got["heard"],
                      got["calls"], round(reply_s, 2), got["latencies_ms"], outcome.ok,
                      outcome.reason, got["errors"], wrong_writes(item, got["calls"]))
            runs.append(run)
            mark = "ok  " if run.ok else ("MISS" if not run.wrong else "WRNG")
            print(f"{n + 1:>4}/{len(pairs)} {mark} [{run.voice}] {run.item}", flush=True)
            if verbose:
                print(f"     said {' / '.join(run.turns)}\n"
                      f"     heard {run.heard} -> {run.calls} {run.reason}", flush=True)
    return runs


def _percentile(values: Sequence[float], q: float) -> float | None:
    return float(np.percentile(np.asarray(values), q)) if values else None


def summarise(runs: Sequence[Run]) -> dict[str, Any]:
    """Accuracy overall, per category and per voice; latency p50/p95 over every turn."""
    def table(key: str) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for r in runs:
            cell = out.setdefault(getattr(r, key), [0, 0])
            cell[0] += r.ok
            cell[1] += 1
        return out

    latencies = [ms for r in runs for ms in r.latencies_ms]
    p50, p95 = _percentile(latencies, 50), _percentile(latencies, 95)
    return {
        "right": sum(r.ok for r in runs), "items": len(runs),
        "wrote_wrong": sum(bool(r.wrong) for r in runs),
        "requests": sum(len(r.turns) for r in runs),
        "by_category": table("category"), "by_voice": table("voice"),
        "latency_ms_p50": round(p50) if p50 is not None else None,
        "latency_ms_p95": round(p95) if p95 is not None else None,
        "latency_turns": len(latencies),
    }


def _pct(cell: Sequence[int]) -> str:
    return f"{cell[0]}/{cell[1]} ({100.0 * cell[0] / cell[1]:.0f} %)" if cell[1] else "-"


def report(summary: dict[str, Any], *, title: str, markdown: bool) -> str:
    """The figures as plain text or as Markdown tables."""
    lines = [f"## {title}" if markdown else f"== {title}"]
    total = [summary["right"], summary["items"]]
    lines.append(f"overall: {_pct(total)} of {summary['items']} recordings "
                 f"({summary['requests']} spoken requests); latency p50 "
                 f"{summary['latency_ms_p50']} ms, p95 {summary['latency_ms_p95']} ms over "
                 f"{summary['latency_turns']} turns; wrote something wrong in "
                 f"{summary.get('wrote_wrong', 0)}")
    for name, key in (("category", "by_category"), ("voice", "by_voice")):
        rows = summary[key]
        if markdown:
            lines += ["", f"| {name} | right |", "| --- | --- |"]
            lines += [f"| {k} | {_pct(v)} |" for k, v in rows.items()]
        else:
            lines += [f"  {k:<16} {_pct(v)}" for k, v in rows.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the set (and optionally the legacy one) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DATA, help="the set's TOML file")
    parser.add_argument("--voices", action="append", default=[],
                        help="voices instead of the default four: heldout, default or specs "
                             "such as espeak:en-029:160:p40 or piper:0.9:noise10 (repeat)")
    parser.add_argument("--cache", type=Path, default=CACHE, help="folder of the recordings")
    parser.add_argument("--via", choices=["session", "cli"], default="session")
    parser.add_argument("--realtime", action="store_true", help="stream at real-time pace")
    parser.add_argument("--all-voices", action="store_true", help="every item in every voice")
    parser.add_argument("--category", action="append", default=[], help="only these (repeat)")
    parser.add_argument("--legacy", action="store_true", help="also score the old 48 requests")
    parser.add_argument("--timeout", type=float, default=30.0, help="longest wait per reply")
    parser.add_argument("--listen", action="store_true",
                        help="before a follow-up, wait until the reply has played (as "
                             "voicelive ask does); off, the follow-up may cut the played reply")
    parser.add_argument("--whisper-model", default=None,
                        help="recogniser: tiny.en (default), base, or a model directory")
    parser.add_argument("--no-check-writes", action="store_true",
                        help="write without weighing rival readings of the audio first "
                             "(LocalBackend(check_writes=False)), for a before/after")
    parser.add_argument("--second-opinion", action=argparse.BooleanOptionalAction,
                        default=None,
                        help="hear unsure transcripts again with Whisper base, or not "
                             "(LocalBackend(second_opinion=...); the backend's default, on, "
                             "when neither is given), for a before/after")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--json", type=Path, default=None, help="write every run here")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every item")
    args = parser.parse_args(argv)

    items = load_items(args.set)
    voices = parse_voices(args.voices)
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} "
          f"cores; voices: {', '.join(v.tag for v in voices)}; via {args.via}, "
          f"{'real time' if args.realtime else 'as fast as accepted'}", flush=True)
    started = time.perf_counter()
    runs = run_set(items, via=args.via, realtime=args.realtime, all_voices=args.all_voices,
                   timeout=args.timeout, listen=args.listen, verbose=args.verbose,
                   voices=voices, cache=args.cache, whisper_model=args.whisper_model,
                   check_writes=not args.no_check_writes,
                   second_opinion=args.second_opinion, categories=args.category)
    figures: dict[str, Any] = {"spoken": summarise(runs)}
    print(report(figures["spoken"], title=f"spoken set ({args.set})", markdown=args.markdown))
    every = list(runs)
    if args.legacy:
        from bench.spoken.legacy import legacy_items

        old = run_set(legacy_items(), via=args.via, realtime=args.realtime,
                      all_voices=args.all_voices, timeout=args.timeout, listen=args.listen,
                      verbose=args.verbose, voices=voices, cache=args.cache,
                      whisper_model=args.whisper_model, check_writes=not args.no_check_writes,
                      second_opinion=args.second_opinion)
        figures["legacy"] = summarise(old)
        print(report(figures["legacy"], title="old set (bench/spoken/legacy.py)",
                     markdown=args.markdown))
        every += old
    figures["took_s"] = round(time.perf_counter() - started, 1)
    print(f"(took {figures['took_s']} s)")
    if not args.verbose:
        for r in every:
            if not r.ok:
                print(f"  miss [{r.voice}] {r.item} {r.turns} heard {r.heard} -> {r.calls}: "
                      f"{r.reason}")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "runs": [asdict(r) for r in every]},
                                        indent=1, default=str))
    return figures


if __name__ == "__main__":
    main()
