"""Recognition alone, configuration by configuration, on the spoken set's requests.

Every turn of every item of ``bench/spoken/requests.toml`` is said in its voice (the four
voices of :mod:`bench.spoken.generate`, items taking them in turn, or ``--all-voices``) as its
own clip, transcribed the way the offline backend does (the same prompt, beam, context and
hypotheses), understood turn by turn with the dialogue state, its slot values rechecked
against the audio, and scored like the spoken set (:func:`bench.spoken.items.score`). No VAD,
no session, no speech synthesis of replies: it isolates what recognition changes, and runs a
configuration in well under a minute with ``tiny.en``. The full pipeline is
``python -m bench.spoken.run`` (slower; use it to confirm).

Per configuration it prints items right overall and per voice, the word error rate (words,
after lower-casing and dropping punctuation; number words and digits count as different) and
the full stops written inside a turn that was said as one sentence (``inner_stops``), and
the transcription time per utterance, p50/p95 (the encoder and decoder of one ``listen``; the
prompt is built once), the items that wrote something wrong (``wrote_wrong``, see
:func:`bench.spoken.items.wrong_writes`) and the decisions on writes that had a rival reading
(``doubts``: keep, switch, ask; see :mod:`voicelive.backends.local.doubt`; ``tiny-nodoubt``
skips that check). A question asked instead of a write counts as a miss here, since the
answer is not part of the set. ``second`` runs the backend's second opinion
(:mod:`voicelive.backends.local.second`: Whisper base on the turns tiny.en is unsure of) and
counts its decisions (``second``); ``--json`` keeps per utterance the first reading's kind,
confidence and no-speech probability and the second opinion's reason, text and decision
(``signals``). ``keep-*``, ``keepnum-*``, ``switch-*`` change the write check's margins.

Run: ``python bench/bench_recognition.py [--configs tiny,base,...] [--voices heldout]
[--set FILE] [--all-voices] [--category NAME] [--legacy] [--timeline] [--misses]
[--json OUT]``;
``--list`` shows the configurations.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bench.spoken.generate import assign, assign_only, parse_voices
from bench.spoken.items import DATA, Item, load_items, score, wrong_writes
from bench.spoken.texts import CHARS_PER_SECOND
from voicelive.backends.local.doubt import rival_texts, score_readings, weigh
from voicelive.backends.local.early import Answered, continue_turn
from voicelive.backends.local.stt import HeardScorer, Transcriber, build_prompt
from voicelive.testing.speech import Voice, speak

CACHE = Path(__file__).resolve().parent / ".cache" / "recognition"

CONFIGS: dict[str, dict[str, Any]] = {
    # the backend's defaults: tiny.en, 4-beam with 4 hypotheses, examples + closed values
    "tiny": {},
    "tiny-noprompt": {"prompt": "none"},
    "tiny-vocab": {"prompt": "vocab"},
    "tiny-flat": {"prompt": "flat"},  # the same prompt, lower case, commas for full stops
    "tiny-b1": {"beam": 1, "count": 1},
    "tiny-b3": {"beam": 3, "count": 3},
    "tiny-b5": {"beam": 5, "count": 5},
    "tiny-noslot": {"check_slots": False},
    "tiny-nodoubt": {"check_writes": False},
    "tiny-30s": {"context_s": 30.0},
    # --timeline: the backend's pauses and early end of turn on an infinitely fast machine
    "old": {"context_s": 30.0, "early_ms": 0.0},
    "new-noearly": {"early_ms": 0.0},
    "new": {},
    "early-256": {"early_ms": 256.0},
    "early-320": {"early_ms": 320.0},
    "new-nocontinue": {"continue": False},
    "base": {"model": "base"},
    "base-noprompt": {"model": "base", "prompt": "none"},
    "base-b1": {"model": "base", "beam": 1, "count": 1},
    # a second opinion from Whisper base on the turns tiny.en is unsure of (voicelive's
    # backends/local/second.py); "-all" hears every turn again (the ceiling), "-noconf" only
    # the turns without a call
    "second": {"second": "auto"},
    "second-all": {"second": "always"},
    "second-noconf": {"second": "auto", "min_confidence": -99.0},
    "second-c8": {"second": "auto", "min_confidence": -0.8},
    "second-c4": {"second": "auto", "min_confidence": -0.4},
    "second-c3": {"second": "auto", "min_confidence": -0.3},
    # the write check's margins (doubt.weigh): keep / keep_number / switch
    "keep-0.5": {"keep": 0.5},
    "keep-m1": {"keep": -1.0},
    "keep-m2": {"keep": -2.0},
    "keep-m3": {"keep": -3.0},
    "keepnum-m1": {"keep_number": -1.0},
    "switch-2": {"switch": 2.0},
    "second-keep-m1": {"second": "auto", "keep": -1.0},
    "second-keep-m2": {"second": "auto", "keep": -2.0},
}

_NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "half", "quarter",
)


@dataclass
class Result:
    """One item under one configuration."""

    item: str
    voice: str
    ok: bool
    said: list[str]
    heard: list[list[str]]
    calls: list[tuple[str, dict[str, Any]]]
    reason: str
    ms: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    """Calls that wrote something the item does not expect (:func:`wrong_writes`)."""
    doubts: list[tuple[str, float, str]] = field(default_factory=list)
    """Per write turn with a rival reading: the decision and its margin (see doubt.weigh)."""
    signals: list[dict[str, Any]] = field(default_factory=list)
    """Per utterance: the first reading's kind, confidence, no-speech probability and, when
    a second opinion was heard, its reason, text and decision."""


def _clip(text: str, voice: Voice, synthesizer: Any) -> np.ndarray[Any, np.dtype[np.float32]]:
    """One turn said in ``voice``, cached under ``bench/.cache/recognition``."""
    key = hashlib.sha1(f"1\x1f{voice!r}\x1f{text}".encode()).hexdigest()[:16]
    path = CACHE / voice.tag / f"{key}.pcm"
    if path.is_file():
        pcm = path.read_bytes()
    else:
        pcm = speak(text, voice, synthesizer, seed=int(key, 16) % 2**32)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        part.write_bytes(pcm)
        part.replace(path)
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _edits(ref: Sequence[str], hyp: Sequence[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def _prompt(kind: str, understander: Any) -> str:
    if kind == "none":
        return ""
    if kind == "vocab":  # the closed values and the open vocabularies' most common words
        return build_prompt([], [*understander.closed_values(), *_NUMBER_WORDS])
    if kind == "flat":
        text = build_prompt(understander.examples(), understander.closed_values())
        return re.sub(r"\.(\s|$)", r",\1", text).lower().rstrip(",")
    return build_prompt(understander.examples(), understander.closed_values())


class Bench:
    """Models and understanders shared by the configurations."""

    def __init__(self) -> None:
        from voicelive.backends.local import LocalBackend
        from voicelive.nutrition import toolkit

        self.models = LocalBackend().load()
        self._tmp = Path(tempfile.mkdtemp(prefix="recognition-"))
        self._toolkit = toolkit
        self._understanders: dict[str | None, Any] = {}
        self._transcribers: dict[tuple[str, float | None], Transcriber] = {
            ("tiny", None): self.models.transcriber}
        self._prompts: dict[tuple[str, str | None], list[int]] = {}

    def understander(self, tools: str | None) -> Any:
        from bench.spoken.run import HERE, _load_tools
        from voicelive.backends.local.understand import Understander

        if tools not in self._understanders:
            db = self._tmp / f"{len(self._understanders)}.sqlite3"
            registry: list[Any] = list(self._toolkit(db_path=db))
            if tools:
                registry += list(_load_tools(HERE / tools))
            u = Understander(registry)
            u.warm_up()
            self._understanders[tools] = u
        return self._understanders[tools]

    def transcriber(self, model: str, context_s: float | None) -> Transcriber:
        from voicelive.backends.local.whisper_models import resolve_whisper_model

        key = (model, context_s)
        if key not in self._transcribers:
            t = Transcriber(resolve_whisper_model(model), cpu_threads=os.cpu_count() or 1,
                            context_s=context_s)
            t.transcribe((np.random.default_rng(0).standard_normal(16000) * 0.01)
                         .astype(np.float32))
            self._transcribers[key] = t
        return self._transcribers[key]

    def segments(self, audio: np.ndarray[Any, np.dtype[np.float32]], stt: Transcriber,
                 prompt: list[int], beam: int, count: int, early_ms: float, u: Any,
                 state: Any) -> list[Any]:
        """The hearings of one clip as the backend cuts it, the recogniser taking no time.

        The clip (with 0.5 s of silence before and 1.2 s after) goes through the backend's
        voice detector in 20 ms chunks. At each pause (96 ms) the audio so far is heard,
        understood and judged at once; speech resuming drops it; a complete request ends the
        utterance after ``early_ms`` of silence (0: never), otherwise the full 400 ms does.
        On a real machine the recogniser may not be done in time, so fewer turns end early.
        Each hearing comes with whether it continues the one before (speech resumed after an
        early end within the full silence window, :func:`~voicelive.backends.local.early.
        continues`).
        """
        from bench.segmenting import backend_segmenter
        from voicelive.backends.local.early import commit_early, continues, judge_by_match
        from voicelive.backends.local.vad import VadSignal

        vad, detector, seg = backend_segmenter(self.models.vad_session)
        clip = np.concatenate([np.zeros(8000, np.float32), audio,
                               np.zeros(19200, np.float32)])
        spec: Any = None
        out: list[Any] = []
        early = going_on = False

        def hear(samples: Any) -> Any:
            return stt.listen(samples, prompt_ids=prompt, beam_size=beam, count=count)

        def end(samples: Any, cut: bool = False) -> None:
            nonlocal spec, early, going_on
            out.append((spec[0] if spec is not None else hear(samples), going_on))
            spec, early, going_on = None, cut, False

        for start in range(0, clip.size, 320):
            for segment in seg.feed(clip[start:start + 320]):
                if segment.signal is VadSignal.START:
                    going_on = continues(ended_early=early, pause_ms=detector.gap_ms,
                                         silence_ms=vad.silence_ms)
                    early = False
                elif segment.signal is VadSignal.PAUSE:
                    hearing = hear(segment.audio)
                    texts = [t.strip() for t in hearing.texts if t.strip()]
                    verdict = bool(texts) and judge_by_match(texts, u.understand(texts, state))
                    spec = (hearing, verdict)
                elif segment.signal is VadSignal.RESUME:
                    spec = None
                elif segment.signal is VadSignal.END:
                    end(segment.audio)
            if spec is not None and commit_early(paused=detector.paused,
                                                 silence_ms=detector.silence_ms,
                                                 early_ms=early_ms, verdict=spec[1]):
                cut = seg.end_now()
                if cut is not None:
                    end(cut.audio, cut=True)
        last = seg.flush()
        if last is not None:
            end(last.audio)
        return out

    def second_opinion(self, cfg: dict[str, Any], item: Item, u: Any, state: Any,
                       audio: Any, result: Any, hearing: Any,
                       signal: dict[str, Any]) -> tuple[Any, Any, Transcriber]:
        """A turn's reading after a second opinion from Whisper base, as the backend takes it.

        Returns the reading, the hearing its values are checked against and its recogniser.
        """
        from voicelive.backends.local.doubt import ask_between
        from voicelive.backends.local.second import (
            DEFAULT_MIN_CONFIDENCE,
            choose,
            needs_second_opinion,
        )

        first = self.transcriber("tiny", None)
        reason = "always" if cfg["second"] == "always" else needs_second_opinion(
            result, hearing.confidence,
            min_confidence=cfg.get("min_confidence", DEFAULT_MIN_CONFIDENCE))
        if reason is None:
            return result, hearing, first
        base = self.transcriber("base", None)
        t0 = time.perf_counter()
        heard, second = self.base_reading(item, u, state, audio)
        choice = choose(result, second, heard.confidence)
        signal.update(reason=reason, base=heard.texts[:1], base_conf=heard.confidence,
                      decision=choice.decision, why=choice.why,
                      base_ms=round((time.perf_counter() - t0) * 1000, 1))
        if choice.decision == "second":
            return second, heard, base
        if choice.decision == "ask" and choice.rival is not None:
            return ask_between(result, choice.rival, state).result, hearing, first
        return result, hearing, first

    def base_reading(self, item: Item, u: Any, state: Any, audio: Any) -> tuple[Any, Any]:
        """Whisper base's hearing of ``audio`` and its understanding, as the backend asks."""
        base = self.transcriber("base", None)
        key = ("base", item.tools)
        if key not in self._prompts:
            self._prompts[key] = base.prompt_tokens(_prompt("", u))
        heard = base.listen(audio, prompt_ids=self._prompts[key], beam_size=4, count=4)
        return heard, u.understand([t.strip() for t in heard.texts if t.strip()], state)

    def settle_doubt(self, item: Item, u: Any, state: Any, audio: Any, result: Any,
                     verdict: Any, signal: dict[str, Any]) -> Any:
        """The write check's question put to Whisper base first (see second.resolve_doubt)."""
        from dataclasses import replace

        from voicelive.backends.local.second import resolve_doubt

        heard, second = self.base_reading(item, u, state, audio)
        choice = resolve_doubt(result, verdict.rival, second)
        signal.update(reason="doubt", base=heard.texts[:1], decision=choice.decision,
                      why=choice.why)
        if choice.decision == "ask":
            return verdict
        return replace(verdict, decision="keep" if choice.decision == "first" else "switch",
                       result=choice.result)

    def run(self, name: str, pairs: Sequence[tuple[Item, Voice]],
            timeline: bool = False) -> list[Result]:
        from voicelive.backends.local.understand import DialogueState

        cfg = CONFIGS[name]
        stt = self.transcriber(cfg.get("model", "tiny"), cfg.get("context_s"))
        beam, count = cfg.get("beam", 4), cfg.get("count", 4)
        prompts: dict[str | None, list[int]] = {}
        results: list[Result] = []
        for item, voice in pairs:
            u = self.understander(item.tools)
            if item.tools not in prompts:
                prompts[item.tools] = stt.prompt_tokens(_prompt(cfg.get("prompt", ""), u))
            state = DialogueState()
            calls: list[tuple[str, dict[str, Any]]] = []
            heard: list[list[str]] = []
            reply = ""
            ms: list[float] = []
            doubts: list[tuple[str, float, str]] = []
            signals: list[dict[str, Any]] = []
            last: Any = None
            for text in item.turns:
                audio = _clip(text, voice, self.models.synthesizer)
                t0 = time.perf_counter()
                if timeline:
                    hearings = self.segments(audio, stt, prompts[item.tools], beam, count,
                                             cfg.get("early_ms", 192.0), u, state)
                else:
                    hearings = [(stt.listen(audio, prompt_ids=prompts[item.tools],
                                            beam_size=beam, count=count), False)]
                ms.append((time.perf_counter() - t0) * 1000)
                for hearing, going_on in hearings:
                    texts = [t.strip() for t in hearing.texts if t.strip()]
                    heard.append(texts)
                    if going_on and last is not None and last.made and texts \
                            and cfg.get("continue", True):
                        result = continue_turn(u.understand, last, texts)
                        calls += [(c.tool, dict(c.args)) for c in result.calls]
                        last = Answered(last.before, result.text, (*last.made, *(
                            (c.tool, dict(c.args)) for c in result.calls)))
                        state, reply = result.state, result.reply
                        continue
                    result = u.understand(texts, state)
                    signal: dict[str, Any] = {
                        "kind": result.kind, "calls": len(result.calls),
                        "conf": None if hearing.confidence is None else round(
                            hearing.confidence, 3),
                        "no_speech": round(hearing.no_speech, 3)}
                    signals.append(signal)
                    heard_by = stt
                    if cfg.get("second") and not timeline:
                        result, hearing, heard_by = self.second_opinion(
                            cfg, item, u, state, audio, result, hearing, signal)
                    corrected: list[Any] = []
                    if (result.calls or result.tentative) and cfg.get("check_slots", True):
                        revised = u.recheck(result, HeardScorer(heard_by, hearing))
                        if revised is not None:
                            corrected.append(result)
                            result = revised
                    if cfg.get("check_writes", True) and any(c.writes for c in result.calls):
                        scorer = HeardScorer(heard_by, hearing)

                        def scored(texts: Sequence[str], s: Any = scorer) -> Any:
                            return score_readings(texts, s)

                        others, twins = rival_texts(hearing.texts, result.text)
                        verdict = weigh(result, [u.understand([t], state) for t in others],
                                        scored,
                                        twins=[u.understand([t], state) for t in twins],
                                        rejected=corrected, before=state, **{
                                            k: cfg[k] for k in ("keep", "keep_number",
                                                                "switch") if k in cfg})
                        if (verdict.decision == "ask" and verdict.rival is not None
                                and cfg.get("second") and not timeline
                                and "decision" not in signal):
                            verdict = self.settle_doubt(item, u, state, audio, result,
                                                        verdict, signal)
                        if verdict.margin is not None and verdict.rival is not None:
                            doubts.append((verdict.decision, round(verdict.margin, 2),
                                           f"{result.text!r} vs {verdict.rival.text!r}"))
                        result = verdict.result
                    last = Answered(state, result.text,
                                    tuple((c.tool, dict(c.args)) for c in result.calls))
                    state = result.state
                    calls += [(c.tool, dict(c.args)) for c in result.calls]
                    reply = result.reply
            outcome = score(item, calls, len(reply) / CHARS_PER_SECOND)
            results.append(Result(item.id, voice.tag, outcome.ok, list(item.turns), heard,
                                  calls, outcome.reason, ms, wrong_writes(item, calls), doubts,
                                  signals))
        return results


def summarise(results: Sequence[Result]) -> dict[str, Any]:
    """Right items overall and per voice, word error rate, time per utterance."""
    by_voice: dict[str, list[int]] = {}
    errors: dict[str, list[int]] = {}
    for r in results:
        cell = by_voice.setdefault(r.voice, [0, 0])
        cell[0] += r.ok
        cell[1] += 1
        counts = errors.setdefault(r.voice, [0, 0])
        ref = _words(" ".join(r.said))  # a turn may be heard as several (--timeline)
        counts[0] += _edits(ref, _words(" ".join(h[0] for h in r.heard if h)))
        counts[1] += len(ref)
    edits, words = sum(v[0] for v in errors.values()), sum(v[1] for v in errors.values())
    # full stops the recogniser wrote inside a turn the text said as one sentence
    stops = sum(len(re.findall(r"[.?!]\s", h[0])) for r in results for said, h in
                zip(r.said, r.heard, strict=False) if h and not re.search(r"[.?!]\s", said))
    ms = [m for r in results for m in r.ms]
    return {
        "right": f"{sum(r.ok for r in results)}/{len(results)}",
        "by_voice": {k: f"{v[0]}/{v[1]}" for k, v in by_voice.items()},
        "wer": round(edits / max(1, words), 4),
        "wer_by_voice": {k: round(v[0] / max(1, v[1]), 3) for k, v in errors.items()},
        "inner_stops": stops,
        "stt_ms_p50": round(float(np.percentile(ms, 50)), 1) if ms else None,
        "stt_ms_p95": round(float(np.percentile(ms, 95)), 1) if ms else None,
        "wrote_wrong": sum(bool(r.wrong) for r in results),
        "doubts": {d: sum(x[0] == d for r in results for x in r.doubts)
                   for d in ("keep", "switch", "ask")},
        "second": {d: sum(s.get("decision") == d for r in results for s in r.signals)
                   for d in ("first", "second", "ask")},
        "utterances": sum(len(r.signals) for r in results),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the configurations one after the other and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="tiny,base", help="comma-separated (see --list)")
    parser.add_argument("--list", action="store_true", help="print the configurations")
    parser.add_argument("--all-voices", action="store_true", help="every item in every voice")
    parser.add_argument("--category", action="append", default=[], help="only these (repeat)")
    parser.add_argument("--legacy", action="store_true", help="the old 48-request set")
    parser.add_argument("--set", type=Path, default=DATA, help="another set of the same format")
    parser.add_argument("--voices", action="append", default=[],
                        help="voices instead of the default four (heldout, default or specs; "
                             "see bench.spoken.generate)")
    parser.add_argument("--timeline", action="store_true",
                        help="cut each clip with the voice detector, pauses and early ends "
                             "as the backend does (the recogniser taking no time)")
    parser.add_argument("--misses", action="store_true", help="print what each one missed")
    parser.add_argument("--json", type=Path, default=None, help="write every result here")
    args = parser.parse_args(argv)
    if args.list:
        for name, cfg in CONFIGS.items():
            print(f"{name:16s} {cfg}")
        return {}
    names = [c for c in args.configs.split(",") if c]
    unknown = [n for n in names if n not in CONFIGS]
    if unknown:
        parser.error(f"unknown configuration(s) {', '.join(unknown)}; see --list")
    if args.legacy:
        from bench.spoken.legacy import VOICES as OLD_VOICES
        from bench.spoken.legacy import legacy_items

        pairs = assign(legacy_items(), OLD_VOICES, all_voices=args.all_voices)
    else:
        # voices are assigned over the whole set, so a category keeps its items' voices
        pairs = assign_only(load_items(args.set), parse_voices(args.voices),
                            all_voices=args.all_voices, categories=args.category)
    bench = Bench()
    figures: dict[str, Any] = {"load_average": os.getloadavg()[0]}
    every: dict[str, list[Result]] = {}
    for name in names:
        t0 = time.perf_counter()
        results = bench.run(name, pairs, timeline=args.timeline)
        every[name] = results
        figures[name] = summarise(results) | {"took_s": round(time.perf_counter() - t0, 1)}
        print(f"{name:16s} {json.dumps(figures[name])}", flush=True)
    figures["load_average_after"] = os.getloadavg()[0]
    if args.misses:
        for name, results in every.items():
            for r in results:
                if not r.ok:
                    print(f"  miss [{name}] [{r.voice}] {r.item} {r.said} heard "
                          f"{[h[:1] for h in r.heard]} -> {r.calls}: {r.reason}"
                          f"{' WROTE WRONG' if r.wrong else ''} {r.doubts or ''}")
        for name, results in every.items():
            for r in results:
                for decision, margin, texts in r.doubts:
                    print(f"  doubt [{name}] [{r.voice}] {r.item} {'ok  ' if r.ok else 'MISS'} "
                          f"{decision} {margin:+.2f} {texts}")
    if len(names) > 1:  # what changes from the first configuration to each other one
        base = {(r.item, r.voice): r.ok for r in every[names[0]]}
        for name in names[1:]:
            won = [f"{r.item}@{r.voice}" for r in every[name] if r.ok and not base[(r.item,
                                                                                   r.voice)]]
            lost = [f"{r.item}@{r.voice}" for r in every[name] if not r.ok and base[(r.item,
                                                                                     r.voice)]]
            figures[f"{name}_vs_{names[0]}"] = {"won": won, "lost": lost}
            print(f"{name} vs {names[0]}: +{len(won)} {won}\n  -{len(lost)} {lost}")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "results": {
            k: [r.__dict__ for r in v] for k, v in every.items()}}, indent=1, default=str))
    return figures


if __name__ == "__main__":
    main()
