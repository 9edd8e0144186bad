"""Benchmark of the offline backend: accuracy, turn latency, real-time factors, memory.

Run: ``.venv/bin/python bench/bench_local.py [--quick] [--voices]``

* accuracy: the 48 spoken requests of ``bench.spoken.legacy`` (eight per
  nutrition tool, Piper and espeak-ng voices made at run time) must end in the right tool with
  the right slots;
* latency: end of user speech to first reply audio, with the speech streamed at real-time pace
  in 40 ms chunks as a microphone would (``TurnComplete.latency_ms``), p50 and p95;
* real-time factor of each stage (processing time / audio time; below 1 is faster than real
  time) and milliseconds per intent match;
* memory: resident set size after loading the models.

``--voices`` also scores every request in every voice (recognition + intent only, with the
backend's n-best hypotheses).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
import numpy as np

from voicelive.backends.local import LocalBackend
from voicelive.backends.local.stt import HeardScorer
from voicelive.backends.local.vad import WINDOW, SileroStream
from voicelive.config import SessionConfig

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.spoken.legacy import (
    UTTERANCES,
    VOICES,
    accuracy,
    args_match,
    assign_voices,
    evaluate,
    percentile,
    speak,
)


def rss_mb() -> float:
    """Current resident set size in MiB (from /proc), else the peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floats(pcm: bytes) -> np.ndarray[Any, Any]:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="12 requests instead of 48")
    parser.add_argument("--voices", action="store_true", help="score every voice separately")
    parser.add_argument("--fast", action="store_true",
                        help="stream as fast as accepted instead of real time")
    parser.add_argument("--no-check-slots", action="store_true",
                        help="do not check slot values against the audio (for comparison)")
    args = parser.parse_args(argv)

    figures: dict[str, Any] = {}
    rss0 = rss_mb()
    t0 = time.perf_counter()
    backend = LocalBackend(check_slots=not args.no_check_slots)
    models = backend.load()
    figures["load_s"] = round(time.perf_counter() - t0, 2)
    figures["rss_loaded_mb"] = round(rss_mb(), 1)
    figures["rss_models_mb"] = round(rss_mb() - rss0, 1)

    from voicelive.nutrition import toolkit

    tools = toolkit(db_path=Path(tempfile.mkdtemp()) / "bench.sqlite3")
    items = UTTERANCES[::4] if args.quick else UTTERANCES
    cases = [(u, speak(u.text, v, models.synthesizer), v.label)
             for u, v in assign_voices(items)]

    async def run_all() -> Any:
        async with backend.connect(SessionConfig(), tools) as conn:
            return await evaluate(conn, tools, cases, realtime=not args.fast)

    t0 = time.perf_counter()
    results = anyio.run(run_all)
    figures["turns_s"] = round(time.perf_counter() - t0, 1)
    figures["utterances"] = len(results)
    figures["accuracy"] = round(accuracy(results), 4)
    by_voice: dict[str, list[bool]] = {}
    for r in results:
        by_voice.setdefault(r.voice, []).append(r.ok)
    figures["accuracy_by_voice"] = {k: f"{sum(v)}/{len(v)}" for k, v in by_voice.items()}
    figures["failures"] = [f"[{r.voice}] {r.utterance.text!r} heard {r.heard!r} -> "
                           f"{r.tool}({r.args})" for r in results if not r.ok]
    latencies = [r.latency_ms for r in results if r.latency_ms is not None]
    figures["latency_ms_p50"] = round(percentile(latencies, 50))
    figures["latency_ms_p95"] = round(percentile(latencies, 95))
    figures["latency_ms_max"] = round(max(latencies)) if latencies else None
    figures["latency_mode"] = "fast" if args.fast else "real time"

    # Real-time factor of each stage, measured stage by stage on the same audio.
    audio = [floats(pcm) for _, pcm, _ in cases]
    speech_s = sum(len(a) for a in audio) / 16000
    vad = SileroStream(models.vad_session)
    t0 = time.perf_counter()
    for a in audio:
        for start in range(0, len(a) - WINDOW + 1, WINDOW):
            vad(a[start:start + WINDOW])
    figures["rtf_vad"] = round((time.perf_counter() - t0) / speech_s, 4)
    t0 = time.perf_counter()
    texts = [models.transcriber.transcribe(a) for a in audio]
    figures["rtf_stt"] = round((time.perf_counter() - t0) / speech_s, 3)
    understander = backend.understander(tools)
    t0 = time.perf_counter()
    for text in texts:
        understander.understand([text])
    figures["intent_ms_per_utterance"] = round((time.perf_counter() - t0) * 1000 / len(texts), 1)
    replies = [str(r["output"]["summary"]) for r in _results(results, tools)] or [
        "Logged 30 minutes of running. You have 1650 kcal left today."]
    t0 = time.perf_counter()
    out_bytes = sum(len(models.synthesizer.synthesize(t)) for t in replies)
    figures["rtf_tts"] = round((time.perf_counter() - t0) / (out_bytes / 48000), 3)
    figures["rss_after_mb"] = round(rss_mb(), 1)

    if args.voices:
        ids = models.transcriber.prompt_tokens("")  # recognition as the connection does below
        from voicelive.backends.local.stt import build_prompt

        ids = models.transcriber.prompt_tokens(build_prompt(understander.examples(),
                                                            understander.closed_values()))
        per_voice: dict[str, str] = {}
        for voice in VOICES:
            ok = 0
            for u in items:
                pcm = speak(u.text, voice, models.synthesizer)
                hearing = models.transcriber.listen(floats(bytes(8000) + pcm), prompt_ids=ids,
                                                    beam_size=backend.hypotheses,
                                                    count=backend.hypotheses)
                found = understander.understand(list(hearing.texts))
                if backend.check_slots:
                    found = understander.recheck(found, HeardScorer(models.transcriber,
                                                                    hearing)) or found
                ok += len(found.calls) == 1 and found.calls[0].tool == u.tool and args_match(
                    u.args, found.calls[0].args)
            per_voice[f"{voice.label}@{voice.rate:g}"] = f"{ok}/{len(items)}"
        figures["accuracy_every_voice"] = per_voice

    for key, value in figures.items():
        if key == "failures":
            for line in value:
                print(f"  miss: {line}")
        else:
            print(f"{key}: {value}")
    return figures


def _results(results: Any, tools: Any) -> list[dict[str, Any]]:
    """Spoken summaries of a few tool calls, to time synthesis on real replies."""
    out: list[dict[str, Any]] = []

    async def call_some() -> None:
        for r in results[:12]:
            if r.tool:
                response = await tools.call(r.tool, r.args)
                if "output" in response and isinstance(response["output"], dict) and (
                    "summary" in response["output"]
                ):
                    out.append(response)

    anyio.run(call_some)
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
