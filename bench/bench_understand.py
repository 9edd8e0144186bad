"""Benchmark of offline understanding: milliseconds per utterance (text in, calls out).

Run: ``python bench/bench_understand.py [--rounds N]``. Understands a set of natural requests
against the nutrition toolkit, each as the recogniser hands it over (four hypotheses: the text
and three near misses) and alone, and prints p50 / p95 / max per utterance, the time to build
the understanding of a tool set, and the time of an 8,000-character typed text. The target is
p95 under 30 ms per utterance with four hypotheses. ``*_cpu_*`` figures count the thread's CPU
time only: on a shared machine the wall-clock tail is mostly waiting for a core. No models are
loaded.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from voicelive.backends.local.understand import DialogueState, Understander

REQUESTS = [
    "Um, so I kind of skipped breakfast this morning.",
    "Can you tell me how much protein is in a chicken breast?",
    "I went for a 20 minute walk after work.",
    "There was no time for dinner tonight.",
    "I missed lunch today. What should I eat for dinner?",
    "I skipped breakfast and then ran for 30 minutes",
    "I didn't get to eat dinner last night, can you fix my plan",
    "I had two slices of pizza at the office",
    "I want sweet potato instead of pasta",
    "I thought about skipping lunch",
    "should I skip dinner?",
    "I ate something",
    "What's the weather going to be like tomorrow?",
    "okay so I had a banana with some friends",
    "hey can you log thirty minutes of yoga for me",
    "I did an hour and fifteen minutes of cycling",
    "how many calories are in an avocado",
    "so how many calories do I have left",
    "set my goal to eighteen hundred calories",
    "can I have oatmeal instead of toast for breakfast",
    "I finished my dinner. How am I doing?",
    "I had an apple and then I went swimming for forty minutes",
    "I grabbed a coffee on the way home",
    "I ate a chocolate chip cookie",
    "Log a muffin, and also twenty minutes of jogging",
    "I walked the dog for twenty five minutes around the park",
    "Honestly I forgot to have lunch",
    "Tell me a joke",
    "what about a pear?",
    "make that forty five",
]


def _near_misses(text: str) -> list[str]:
    """Three hypotheses like a small recogniser's runner-ups."""
    words = text.split()
    return [text, " ".join(words[:-1]), text.replace(" a ", " the ", 1),
            " ".join(w[:-1] if len(w) > 5 else w for w in words)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(rounds: int = 5) -> dict[str, float]:
    """Run the benchmark; returns the figures (milliseconds)."""
    from voicelive.nutrition import toolkit

    with tempfile.TemporaryDirectory() as tmp:
        tools = toolkit(db_path=Path(tmp) / "days.sqlite3")
        t0 = time.perf_counter()
        understander = Understander(tools)
        build_ms = (time.perf_counter() - t0) * 1000
        understander.warm_up()
        for text in REQUESTS:  # first calls fill the plausibility caches (food search)
            understander.understand(_near_misses(text))
        state = DialogueState()
        nbest: list[float] = []
        nbest_cpu: list[float] = []
        single: list[float] = []
        for _ in range(rounds):
            for text in REQUESTS:
                hypotheses = _near_misses(text)
                t0, c0 = time.perf_counter(), time.thread_time()
                result = understander.understand(hypotheses, state)
                nbest.append((time.perf_counter() - t0) * 1000)
                nbest_cpu.append((time.thread_time() - c0) * 1000)
                state = result.state
                t0 = time.perf_counter()
                understander.understand([text], state)
                single.append((time.perf_counter() - t0) * 1000)
        long_text = "I had a banana and then I ran for 30 minutes. " * 175
        t0 = time.perf_counter()
        understander.understand([long_text])
        long_ms = (time.perf_counter() - t0) * 1000
    figures = {
        "build_ms": round(build_ms, 1),
        "nbest4_p50_ms": round(_percentile(nbest, 0.5), 2),
        "nbest4_p95_ms": round(_percentile(nbest, 0.95), 2),
        "nbest4_max_ms": round(max(nbest), 2),
        "nbest4_cpu_p50_ms": round(_percentile(nbest_cpu, 0.5), 2),
        "nbest4_cpu_p95_ms": round(_percentile(nbest_cpu, 0.95), 2),
        "single_p50_ms": round(_percentile(single, 0.5), 2),
        "single_p95_ms": round(_percentile(single, 0.95), 2),
        "long_text_8000_chars_ms": round(long_ms, 1),
    }
    print(f"{len(REQUESTS)} requests x {rounds} rounds")
    for key, value in figures.items():
        print(f"  {key:<26} {value:>8}")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    main(parser.parse_args().rounds)
