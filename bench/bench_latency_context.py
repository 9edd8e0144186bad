"""How much encoder window the offline recogniser needs: accuracy and time per margin.

Each of the 48 spoken requests (Piper and espeak-ng voices made at run time) is recognised
directly (no streaming) as the backend does it: the biasing prompt, the 4 best transcripts, the
understanding's pick and the slot check, once per window policy. A policy is ``full`` (Whisper's
30 s window), ``fN`` (a fixed N s window) or a margin in seconds (the utterance, its lead-in and
that much silence, whole seconds: :func:`voicelive.backends.local.stt.context_frames`).

Run: ``python bench/bench_latency_context.py [POLICY ...]`` (default: ``full 3 4 5 6 f10``)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from voicelive.backends.local import LocalBackend
from voicelive.backends.local.stt import HeardScorer, build_prompt

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.spoken.legacy import UTTERANCES, args_match, assign_voices, speak


def main(argv: list[str] | None = None) -> dict[str, Any]:
    policies = (argv if argv is not None else sys.argv[1:]) or ["full", "3", "4", "5", "6",
                                                                "f10"]
    from voicelive.nutrition import toolkit

    backend = LocalBackend()
    models = backend.load()
    understander = backend.understander(toolkit(db_path=Path(tempfile.mkdtemp()) / "ctx.sqlite3"))
    understander.warm_up()
    tr = models.transcriber
    ids = tr.prompt_tokens(build_prompt(understander.examples(), understander.closed_values()))
    cases = [(u, (np.frombuffer(speak(u.text, v, models.synthesizer), dtype="<i2")
                  / np.float32(32768)).astype(np.float32), v.label)
             for u, v in assign_voices(UTTERANCES)]
    saved = (tr.context_s, tr.context_margin_s)
    figures: dict[str, Any] = {}
    try:
        for policy in policies:
            if policy == "full":
                tr.context_s, tr.context_margin_s = 30.0, None
            elif policy.startswith("f"):
                tr.context_s, tr.context_margin_s = float(policy[1:]), None
            else:
                tr.context_s, tr.context_margin_s = None, float(policy)
            right, times = 0, []
            for utterance, audio, label in cases:
                t0 = time.perf_counter()
                hearing = tr.listen(audio, prompt_ids=ids, beam_size=4, count=4)
                times.append((time.perf_counter() - t0) * 1000)
                result = understander.understand(list(hearing.texts))
                result = understander.recheck(result, HeardScorer(tr, hearing)) or result
                found = result.calls[0] if len(result.calls) == 1 else None
                ok = found is not None and found.tool == utterance.tool and args_match(
                    utterance.args, found.args)
                right += ok
                if not ok:
                    print(f"  miss [{policy}] [{label}] {utterance.text!r} heard "
                          f"{hearing.texts[:1]}")
            figures[policy] = {"right": f"{right}/{len(cases)}",
                               "stt_ms_p50": round(float(np.median(times))),
                               "stt_ms_p95": round(float(np.percentile(times, 95)))}
            print(f"{policy}: {figures[policy]}", flush=True)
    finally:
        tr.context_s, tr.context_margin_s = saved
    return figures


if __name__ == "__main__":
    main()
