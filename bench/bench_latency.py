"""The offline turn at real pace, stage by stage: end of speech to first reply audio.

Each spoken request of the offline test set (Piper and espeak-ng voices made at run time) is
streamed through :class:`voicelive.LiveSession` with the offline backend and the nutrition
toolkit, in 20 ms chunks at real pace (a microphone's schedule: chunk ``i`` is read at
``t0 + i * 20 ms``), with half a second of silence before it and 1.2 s after. The bench waits
for the reply to finish playing (its duration, as a speaker would) before the next request.

Per turn it records the session's ``TurnComplete.latency_ms`` (last voiced input chunk to first
reply audio, wall clock) and the backend's ``stages_ms``: ``silence`` (the end-of-speech wait),
``stt`` (recognition still running after it), ``understand`` (intent and slot check), ``tool``
and ``first_audio`` (speech synthesis of the first piece). It prints p50/p95 of each, the share
of turns that ended early (a complete request after a short pause), and the accuracy (right
tool with the right arguments).

Configurations run interleaved, one request at a time each, so both see the same machine:
``new`` is the default backend; ``old`` is the previous behaviour (a full 30 s Whisper window,
no early end of turn); ``nodoubt`` is the default without the check of writes against rival
readings of the audio (:mod:`voicelive.backends.local.doubt`); ``second`` the default
(the second opinion of Whisper base on unsure turns, on by default), ``nosecond`` without it
(:mod:`voicelive.backends.local.second`). Per configuration it also prints the second
opinions' counts (``second_opinions``: turns heard again, and what came of them).

Run: ``python bench/bench_latency.py [--quick] [--configs new,old] [--voices heldout]
[--hold-base base] [--trace] [--json OUT]`` (``--hold-base``: each configuration twice,
interleaved, with a second Whisper model held in the process but unused and with it freed;
``--trace``: the speculative transcript's time and the model's alone, per configuration; the
turns heard again by the second opinion and the others are summarised apart; ``--voices``:
the requests said in other voices, e.g. the held-out ones of :mod:`bench.spoken.generate`,
where more turns get a second opinion)
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import numpy as np

from voicelive import LiveSession, SessionConfig
from voicelive.audio import PCM16_16K, PCM16_24K
from voicelive.backends.local import LocalBackend
from voicelive.backends.local.stt import Transcriber
from voicelive.backends.local.vad import WINDOW_MS
from voicelive.backends.local.whisper_models import resolve_whisper_model
from voicelive.events import ToolCall, TurnComplete

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.spoken.legacy import UTTERANCES, args_match, assign_voices, speak
from voicelive.backends.local.listening import Listener

CHUNK_MS = 20
CHUNK_BYTES = PCM16_16K.sample_rate * 2 * CHUNK_MS // 1000
LEAD_S = 0.5
TAIL_S = 1.2
STAGES = ("silence", "stt", "understand", "tool", "first_audio")

CONFIGS: dict[str, dict[str, Any]] = {
    "new": {},
    "old": {"stt_context_s": 30.0, "early_commit_ms": 0.0},
    # the check of writes against rival readings of the audio switched off (before/after)
    "nodoubt": {"check_writes": False},
    "base": {"whisper_model": "base"},  # the defaults with Whisper base (whisper-base extra)
    # the second opinion of Whisper base on unsure turns, on and off
    # (voicelive/backends/local/second.py; on by default)
    "second": {"second_opinion": True},
    "nosecond": {"second_opinion": False},
}


class PacedSource:
    """User audio at real pace; one request at a time, released by the bench."""

    format = PCM16_16K

    def __init__(self) -> None:
        self._send, self._recv = anyio.create_memory_object_stream[bytes | None](4)

    async def play(self, pcm: bytes) -> None:
        await self._send.send(pcm)

    async def end(self) -> None:
        await self._send.send(None)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for pcm in self._recv:
            if pcm is None:
                return
            t0 = time.perf_counter()
            for i, start in enumerate(range(0, len(pcm), CHUNK_BYTES)):
                delay = t0 + i * CHUNK_MS / 1000 - time.perf_counter()
                if delay > 0:
                    await anyio.sleep(delay)
                yield pcm[start:start + CHUNK_BYTES]

    async def aclose(self) -> None:
        self._send.close()


class PlayedSink:
    """Counts reply audio and when it started, so the bench can wait for it to play out."""

    format = PCM16_24K

    def __init__(self) -> None:
        self.first_write: float | None = None
        self.nbytes = 0

    def reset(self) -> None:
        self.first_write = None
        self.nbytes = 0

    def seconds_left(self) -> float:
        if self.first_write is None:
            return 0.0
        played = time.perf_counter() - self.first_write
        return max(0.0, self.nbytes / PCM16_24K.bytes_per_second - played)

    async def write(self, chunk: bytes) -> None:
        if self.first_write is None:
            self.first_write = time.perf_counter()
        self.nbytes += len(chunk)

    async def clear(self) -> None:
        pass

    async def drain(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


@dataclass
class Turn:
    config: str
    text: str
    ok: bool
    latency_ms: float | None
    stages_ms: dict[str, float] | None
    heard_again: bool = False


@dataclass
class Runner:
    name: str
    session: LiveSession
    source: PacedSource
    sink: PlayedSink
    turns: list[Turn] = field(default_factory=list)
    second_opinions: dict[str, int] = field(default_factory=dict)
    cpu_s: float = 0.0
    threads: list[int] = field(default_factory=list)

    def note_counts(self) -> None:
        """Keep the connection's counts of second opinions (before the session closes)."""
        conn = getattr(self.session, "_conn", None)
        self.second_opinions = dict(getattr(conn, "second_opinions", {}))

    def _asked(self) -> int:
        conn = getattr(self.session, "_conn", None)
        return int(getattr(conn, "second_opinions", {}).get("asked", 0))

    async def ask(self, utterance: Any, pcm: bytes) -> None:
        asked = self._asked()
        self.sink.reset()
        silence_lead = bytes(int(LEAD_S * 16000) * 2)
        silence_tail = bytes(int(TAIL_S * 16000) * 2)
        await self.source.play(silence_lead + pcm + silence_tail)
        call: ToolCall | None = None
        done: TurnComplete | None = None
        with anyio.move_on_after(30):
            async for event in self.session:
                if isinstance(event, ToolCall) and call is None:
                    call = event
                elif isinstance(event, TurnComplete):
                    done = event
                    break
        ok = call is not None and call.name == utterance.tool and args_match(utterance.args,
                                                                              call.args)
        self.turns.append(Turn(self.name, utterance.text, ok,
                               done.latency_ms if done else None,
                               dict(done.stages_ms) if done and done.stages_ms else None,
                               self._asked() > asked))
        # let the tail of silence finish and the reply play out, as it would on a speaker
        await anyio.sleep(self.sink.seconds_left() + 0.3)


class BaseHeld:
    """A Whisper model loaded (and warmed) in the process but used by no session, or freed.

    ``--hold-base MODEL`` runs every configuration twice, interleaved: ``NAME+held`` with the
    model held, ``NAME-held`` with it freed (its CTranslate2 threads end), loading or freeing
    it between requests, outside the measured turns. It tells whether a second model merely
    loaded slows the turns of the first, with both sides on the same machine at the same time.
    """

    def __init__(self, model: str) -> None:
        self.path = resolve_whisper_model(model)
        self.model: Transcriber | None = None

    def hold(self, on: bool) -> None:
        if on and self.model is None:
            self.model = Transcriber(self.path, cpu_threads=max(1, os.cpu_count() or 1))
            self.model.transcribe(np.zeros(16000, np.float32) + 0.001)
        elif not on and self.model is not None:
            self.model = None
            gc.collect()


class Trace:
    """Where the speculative transcript's time goes (``--trace``), per configuration.

    Wraps :meth:`Listener.transcribe` (dispatch to a worker thread, the recogniser's lock and
    the model) and the models' own ``Transcriber.listen`` (the model alone), so a slower early
    end of turn can be told apart: a slower model, a longer wait for the lock or the thread, or
    more time between the pause and the start of the transcript.
    """

    def __init__(self) -> None:
        self.calls: dict[str, list[float]] = {}
        self.models: dict[str, list[float]] = {}
        self.current = ""
        self._patched: set[int] = set()

    def install(self) -> None:
        trace = self
        original = Listener.transcribe

        async def transcribe(listener: Any, audio: Any, spec: Any = None) -> Any:
            trace.watch(listener._models.transcriber)
            t0 = time.perf_counter()
            try:
                return await original(listener, audio, spec)
            finally:
                kind = "spec" if spec is not None else "final"
                trace.calls.setdefault(f"{trace.current}:{kind}", []).append(
                    (time.perf_counter() - t0) * 1000)

        setattr(Listener, "transcribe", transcribe)  # noqa: B010 (a bench-only wrapper)

    def watch(self, transcriber: Any) -> None:
        if id(transcriber) in self._patched:
            return
        self._patched.add(id(transcriber))
        listen = transcriber.listen
        trace = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return listen(*args, **kwargs)
            finally:
                trace.models.setdefault(trace.current, []).append(
                    (time.perf_counter() - t0) * 1000)

        transcriber.listen = timed

    def summary(self, name: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, values in sorted(self.calls.items()):
            if key.startswith(f"{name}:"):
                out[f"transcribe_{key.split(':')[1]}_ms_p50"] = round(pct(values, 50), 1)
                out[f"transcribe_{key.split(':')[1]}_n"] = len(values)
        model = self.models.get(name, [])
        out["listen_ms_p50"] = round(pct(model, 50), 1)
        out["listen_ms_p95"] = round(pct(model, 95), 1)
        return out


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def summarise(turns: list[Turn], silence_ms: float) -> dict[str, Any]:
    lat = [t.latency_ms for t in turns if t.latency_ms is not None]
    out: dict[str, Any] = {
        "turns": len(turns),
        "accuracy": round(sum(t.ok for t in turns) / len(turns), 4) if turns else None,
        "right": f"{sum(t.ok for t in turns)}/{len(turns)}",
        "latency_ms_p50": round(pct(lat, 50)), "latency_ms_p95": round(pct(lat, 95)),
        "latency_ms_max": round(max(lat)) if lat else None,
    }
    staged = [t.stages_ms for t in turns if t.stages_ms]
    for stage in STAGES:
        values = [s.get(stage, 0.0) for s in staged]
        out[f"{stage}_ms_p50"] = round(pct(values, 50), 1)
        out[f"{stage}_ms_p95"] = round(pct(values, 95), 1)
    for label, group in (("heard_again", [t for t in turns if t.heard_again]),
                         ("not_heard_again", [t for t in turns if not t.heard_again])):
        values = [t.latency_ms for t in group if t.latency_ms is not None]
        out[f"{label}_turns"] = len(group)
        if values:
            out[f"{label}_latency_ms_p50"] = round(pct(values, 50))
            out[f"{label}_latency_ms_p95"] = round(pct(values, 95))
    totals = [sum(s.values()) for s in staged]
    out["backend_latency_ms_p50"] = round(pct(totals, 50))
    out["backend_latency_ms_p95"] = round(pct(totals, 95))
    full_window = round(silence_ms / WINDOW_MS) * WINDOW_MS  # 400 ms -> 12 windows, 384 ms
    out["ended_early"] = f"{sum(s['silence'] < full_window - 1 for s in staged)}/{len(staged)}"
    return out


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from voicelive.nutrition import toolkit

    names = [c for c in args.configs.split(",") if c]
    held = BaseHeld(args.hold_base) if args.hold_base else None
    if held is not None:  # the same configuration twice: with base held in memory and without
        CONFIGS.update({f"{n}{mark}": CONFIGS[n] for n in names for mark in ("+held", "-held")})
        names = [f"{n}{mark}" for n in names for mark in ("+held", "-held")]
    trace = Trace() if args.trace else None
    if trace is not None:
        trace.install()
    backends = {n: LocalBackend(**CONFIGS[n]) for n in names}
    t0 = time.perf_counter()
    models = await anyio.to_thread.run_sync(backends[names[0]].load)
    for n in names[1:]:
        await anyio.to_thread.run_sync(backends[n].load)
    print(f"models loaded in {time.perf_counter() - t0:.1f} s")
    items = UTTERANCES[::4] if args.quick else UTTERANCES
    if args.voices:
        from bench.spoken.generate import parse_voices

        pairs = assign_voices(items, parse_voices(args.voices))
    else:
        pairs = assign_voices(items)
    cases = [(u, speak(u.text, v, models.synthesizer)) for u, v in pairs]
    config = SessionConfig(chunk_ms=CHUNK_MS)
    runners: list[Runner] = []
    async with anyio.create_task_group():
        stack = []
        try:
            for n in names:
                source, sink = PacedSource(), PlayedSink()
                session = LiveSession(backends[n], config, source=source, sink=sink,
                                      tools=toolkit(db_path=Path(tempfile.mkdtemp()) / "b.db"))
                await session.__aenter__()
                stack.append(session)
                runners.append(Runner(n, session, source, sink))
            for i, (utterance, pcm) in enumerate(cases):
                order = runners if i % 2 == 0 else runners[::-1]  # interleaved, alternating
                for runner in order:
                    if trace is not None:
                        trace.current = runner.name
                    if held is not None:
                        await anyio.to_thread.run_sync(held.hold, runner.name.endswith("+held"))
                        runner.threads.append(len(os.listdir("/proc/self/task")))
                    cpu = time.process_time()
                    await runner.ask(utterance, pcm)
                    runner.cpu_s += time.process_time() - cpu
                print(f"  {i + 1}/{len(cases)}", end="\r", flush=True)
        finally:
            for runner in runners:
                runner.note_counts()
                await runner.source.end()
            for session in reversed(stack):
                await session.__aexit__(None, None, None)
    print()
    figures: dict[str, Any] = {"chunk_ms": CHUNK_MS, "pace": "real time"}
    for runner in runners:
        figures[runner.name] = summarise(runner.turns, config.vad.silence_ms)
        figures[runner.name]["second_opinions"] = runner.second_opinions
        figures[runner.name]["process_cpu_s_per_turn"] = round(
            runner.cpu_s / max(1, len(runner.turns)), 3)
        if trace is not None:
            figures[runner.name].update(trace.summary(runner.name))
        if runner.threads:
            figures[runner.name]["process_threads"] = sorted(set(runner.threads))
        if args.misses:
            for t in runner.turns:
                if not t.ok:
                    print(f"  miss [{runner.name}] {t.text!r}")
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="12 requests instead of 48")
    parser.add_argument("--configs", default="new,old",
                        help=f"comma-separated, of {', '.join(CONFIGS)} (default new,old)")
    parser.add_argument("--misses", action="store_true", help="print the requests missed")
    parser.add_argument("--voices", action="append", default=[],
                        help="voices instead of the five in turn: heldout, default or specs "
                             "(see bench.spoken.generate)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--hold-base", metavar="MODEL",
                        help="run each configuration twice, interleaved: with MODEL (e.g. "
                             "base) loaded in the process but unused, and with it freed")
    parser.add_argument("--trace", action="store_true",
                        help="also time each transcription (speculative and final) and the "
                             "model's listen alone, per configuration")
    args = parser.parse_args(argv)
    figures = anyio.run(run, args)
    for key, value in figures.items():
        if isinstance(value, dict):
            print(f"[{key}]")
            for k, v in value.items():
                print(f"  {k}: {v}")
        else:
            print(f"{key}: {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main()
