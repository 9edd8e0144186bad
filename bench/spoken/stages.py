"""Where the spoken set's audio misses happen: each miss put down to the stage that lost it.

Run: ``python -m bench.spoken.stages --set FILE --cache DIR --voices V [--category C ...]
[--json OUT] [-v]`` (the recordings of :mod:`bench.spoken.run`, one WAV per item, its turns
joined by 2 s pauses).

Every item is replayed through the backend's own parts, each stage on its own, so a miss can
be traced to the first stage whose change would have saved it:

* **pipeline**: each turn (the recording cut at its 2 s pauses) goes through the backend's
  voice detector in 20 ms chunks as ``bench.spoken.run`` streams it (as fast as accepted, so
  no early end of turn); the transcript is the one taken at the last pause (the speculation
  the backend uses), or, when the detector ended the turn more than once, the parts joined
  with 0.3 s of silence and heard again (the backend's carry-over); then understood, its
  values rechecked against the audio and its writes weighed (:mod:`~voicelive.backends.
  local.doubt`), as :mod:`~voicelive.backends.local.answering` does;
* **oracle**: the same, on each whole turn clip (about a second of the recording's silence on
  either side), no detector;
* **variants** of the oracle for the misses: each hypothesis alone (every combination over
  the turns), the reading before the checks, no prompt, a shorter prompt.

A miss of the pipeline is put down to, in this order:

``understanding-text``
    the understanding fails on the written text itself (``bench.spoken.texts``);
``segmentation``
    the whole turn clips pass: the detector's cut lost it (``split``: a turn ended more than
    once; ``clipped``: one cut, other words);
``checks``
    the oracle's reading before the slot check / write check passes: a check asked or
    switched away from a right reading;
``choice``
    one of the recogniser's hypotheses, understood alone, passes: the choice among them lost;
``understanding``
    the top transcript is the said text (case, punctuation, number words and digits aside)
    and still fails: the understanding of a right transcript;
``prompt``
    decoded without the prompt, or with the shorter one, it passes;
``recognition``
    none of these: tiny.en's words are wrong whatever the prompt.

``session`` marks an item the replay gets right and the session (``--runs`` JSON of
``bench.spoken.run``) got wrong: timing, interruptions or the reply, not a stage here.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import itertools
import json
import os
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.spoken.generate import CACHE, assign_only, parse_voices, recording
from bench.spoken.items import DATA, Item, load_items, score
from bench.spoken.texts import CHARS_PER_SECOND

__all__ = ["STAGES", "Staged", "attribute", "cut_turns", "main", "same_words"]

STAGES = ("understanding-text", "segmentation", "checks", "choice", "understanding", "prompt",
          "recognition")
"""The stages a miss can be put down to, in the order they are tried."""

VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "end": {"at": "end"},
    "pre100": {"pre_ms": 100.0},
    "pre400": {"pre_ms": 400.0},
    "lead150": {"lead_ms": 150.0},
    "lead300": {"lead_ms": 300.0},
    "lead500": {"lead_ms": 500.0},
    "end-pre400": {"at": "end", "pre_ms": 400.0},
    # the hypotheses' different readings scored against the audio (no prompt); the best one
    # replaces the understanding's choice when it beats it by this much (natural log)
    "rescore-0": {"rescore": 0.0},
    "rescore-2": {"rescore": 2.0},
    "rescore-4": {"rescore": 4.0},
}
"""Detector and recogniser settings ``--variants`` compares (see :meth:`Replay.detect`)."""

Audio = npt.NDArray[np.float32]
_WINDOW = 512  # 32 ms at 16 kHz
_CARRY_GAP_S = 0.3
_SHORT_PROMPT_CHARS = 300
_NUMBERS = {w: str(i) for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty"))}
_NUMBERS |= {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
             "eighty": "80", "ninety": "90", "ok": "okay"}


def _normal(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9']+", text.lower().replace(",", "").replace("-", " "))
    return [_NUMBERS.get(w, w) for w in words]


def same_words(said: str, heard: str) -> bool:
    """Whether a transcript is the said text, case, punctuation and number spelling aside."""
    return _normal(said) == _normal(heard)


def cut_turns(samples: Audio, turns: int, *, min_gap_s: float = 1.2) -> list[Audio]:
    """Cut a recording of ``turns`` turns at its longest quiet stretches (the 2 s pauses).

    A window is quiet below three times the 10th percentile of the windows' loudness (the
    noise floor; a thousandth of the loudest window when the floor is digital silence). The
    ``turns - 1`` longest quiet runs of at least ``min_gap_s`` are the pauses, cut in their
    middle.

    Raises:
        ValueError: Fewer such pauses than the turns need.
    """
    if turns <= 1:
        return [samples]
    n = samples.size // _WINDOW
    rms = np.sqrt(np.mean(samples[: n * _WINDOW].reshape(n, _WINDOW) ** 2, axis=1))
    floor = float(np.percentile(rms, 10))
    quiet = rms < max(3.0 * floor, 1e-3 * float(rms.max()))
    runs: list[tuple[int, int]] = []
    start = None
    for i, q in enumerate([*quiet, False]):
        if q and start is None:
            start = i
        elif not q and start is not None:
            runs.append((start, i))
            start = None
    inner = [r for r in runs if r[0] > 0 and r[1] < n
             and (r[1] - r[0]) * _WINDOW >= min_gap_s * 16000]
    if len(inner) < turns - 1:
        raise ValueError(f"found {len(inner)} pauses of {min_gap_s} s for {turns} turns")
    gaps = sorted(sorted(inner, key=lambda r: r[0] - r[1])[: turns - 1])
    cuts = [0, *(((a + b) // 2) * _WINDOW for a, b in gaps), samples.size]
    return [samples[a:b] for a, b in itertools.pairwise(cuts)]


@dataclass
class Turn:
    """One turn of an item as the stages heard it."""

    said: str
    cuts: int = 0
    """Utterances the detector made of the turn."""
    pipeline: list[str] = field(default_factory=list)
    oracle: list[str] = field(default_factory=list)
    noprompt: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)


@dataclass
class Staged:
    """One item: whether each replay passed, and the stage its miss is put down to."""

    item: str
    category: str
    voice: str
    text_ok: bool
    pipeline_ok: bool
    oracle_ok: bool
    stage: str = ""
    detail: str = ""
    session_ok: bool | None = None
    turns: list[Turn] = field(default_factory=list)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def attribute(*, text_ok: bool, pipeline_ok: bool, oracle_ok: bool, checks_ok: bool,
              choice_ok: bool, right_words: bool,
              prompt_ok: Callable[[], bool]) -> str:
    """The stage a miss is put down to ('' when the pipeline passed); see the module doc.

    ``prompt_ok`` is only called when every other stage is cleared (it decodes again).
    """
    if pipeline_ok:
        return ""
    if not text_ok:
        return "understanding-text"
    if oracle_ok:
        return "segmentation"
    if checks_ok:
        return "checks"
    if choice_ok:
        return "choice"
    if right_words:
        return "understanding"
    if prompt_ok():
        return "prompt"
    return "recognition"


class Replay:
    """The backend's parts, loaded once: the detector, the recogniser, the understanding."""

    def __init__(self) -> None:
        from voicelive.backends.local import LocalBackend
        from voicelive.nutrition import toolkit

        self.models = LocalBackend(second_opinion=False).load()
        self.stt = self.models.transcriber
        self._tmp = Path(tempfile.mkdtemp(prefix="stages-"))
        self._toolkit = toolkit
        self._tools: dict[str | None, tuple[Any, set[str], dict[str, list[int]]]] = {}

    def tools(self, name: str | None) -> tuple[Any, set[str], dict[str, list[int]]]:
        """The understander, the tools that confirm, and the prompts, of a tools file."""
        from bench.spoken.run import HERE, _load_tools
        from voicelive.backends.local.stt import build_prompt
        from voicelive.backends.local.understand import Understander

        if name not in self._tools:
            registry: list[Any] = list(self._toolkit(
                db_path=self._tmp / f"{len(self._tools)}.sqlite3"))
            if name:
                registry += list(_load_tools(HERE / name))
            u = Understander(registry)
            u.warm_up()
            text = build_prompt(u.examples(), u.closed_values())
            short = text[:_SHORT_PROMPT_CHARS].rsplit(" ", 1)[0]
            prompts = {"full": self.stt.prompt_tokens(text), "none": [],
                       "short": self.stt.prompt_tokens(short)}
            confirming = {t.name for t in registry if getattr(t, "confirm", None)}
            self._tools[name] = (u, confirming, prompts)
        return self._tools[name]

    def hear(self, audio: Audio, prompt: list[int]) -> Any:
        """One hearing as the backend asks for it (4-beam, 4 hypotheses)."""
        return self.stt.listen(audio, prompt_ids=prompt, beam_size=4, count=4)

    def detect(self, clip: Audio, prompt: list[int], *, pre_ms: float | None = None,
               at: str = "pause", lead_ms: float = 0.0) -> tuple[Any, int]:
        """The turn through the voice detector, as streamed as fast as accepted.

        ``pre_ms`` is the pre-roll (the config's by default), ``at`` which audio is heard
        (``pause``: up to the last pause, as the backend's speculation; ``end``: up to the
        end of the full silence), ``lead_ms`` silence put before it (on top of the
        recogniser's own). Returns the hearing the backend acts on and how many utterances
        the detector made.
        """
        from bench.segmenting import backend_segmenter
        from voicelive.backends.local.vad import VadSignal

        _, _, seg = backend_segmenter(self.models.vad_session, prefix_padding_ms=pre_ms)
        ends: list[Audio] = []
        paused: Audio | None = None
        for start in range(0, clip.size, 320):
            for segment in seg.feed(clip[start:start + 320]):
                if segment.signal is VadSignal.PAUSE:
                    paused = segment.audio
                elif segment.signal is VadSignal.RESUME:
                    paused = None
                elif segment.signal is VadSignal.END and segment.audio is not None:
                    ends.append(segment.audio)
        last = seg.flush()
        if last is not None and last.audio is not None:
            ends.append(last.audio)
            paused = None
        if not ends:
            return None, 0
        lead = np.zeros(int(lead_ms * 16), np.float32)
        if len(ends) == 1:
            heard = paused if paused is not None and at == "pause" else ends[0]
            return self.hear(np.concatenate([lead, heard]), prompt), 1
        gap = np.zeros(int(_CARRY_GAP_S * 16000), np.float32)
        joined = np.concatenate([p for e in ends for p in (gap, e)][1:])
        return self.hear(np.concatenate([lead, joined]), prompt), len(ends)

    def variants(self, item: Item, wav: Path, names: Sequence[str]) -> dict[str, bool]:
        """Whether the pipeline passes under each of the :data:`VARIANTS` ``names``."""
        from voicelive.audio import read_wav

        pcm, _ = read_wav(wav)
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        _, _, prompts = self.tools(item.tools)
        clips = cut_turns(samples, len(item.turns))
        out: dict[str, bool] = {}
        heard: dict[str, list[Any]] = {}
        for name in names:
            settings = {k: v for k, v in VARIANTS[name].items() if k != "rescore"}
            key = repr(sorted(settings.items()))
            if key not in heard:
                heard[key] = [self.detect(clip, prompts["full"], **settings)[0]
                              for clip in clips]
            out[name] = self.act(item, heard[key], rescore=VARIANTS[name].get("rescore"))[0]
        return out

    def act(self, item: Item, hearings: Sequence[Any], *, checks: bool = True,
            pick: Sequence[int] | None = None, rescore: float | None = None,
            ) -> tuple[bool, list[tuple[str, dict[str, Any]]]]:
        """Understand the turns' hearings in order as the backend does; score the item.

        ``checks`` runs the slot check and the write check; ``pick`` takes, per turn, only
        that hypothesis (an index into its texts); ``rescore`` lets a hypothesis that the
        audio favours by that much over the understanding's choice replace it.
        """
        from voicelive.backends.local.doubt import rival_texts, score_readings, weigh
        from voicelive.backends.local.stt import HeardScorer
        from voicelive.backends.local.understand import DialogueState
        from voicelive.tools.confirmation import classify_answer

        u, confirming, _ = self.tools(item.tools)
        state = DialogueState()
        calls: list[tuple[str, dict[str, Any]]] = []
        reply, asking = "", False
        waiting: int | None = None  # the call whose confirmation is asked, by index in calls
        for n, hearing in enumerate(hearings):
            texts = [t.strip() for t in (hearing.texts if hearing is not None else ())
                     if t.strip()]
            if pick is not None:
                texts = texts[pick[n]:pick[n] + 1]
            if not texts:
                continue
            answer = classify_answer(texts[0]) if asking else "other"
            if asking and answer != "other":
                if answer == "no" and waiting is not None:
                    del calls[waiting]  # refused: withdrawn, never ran (tool_cancelled)
                asking, reply, waiting = False, "", None
                continue
            result = u.understand(texts, state)
            if rescore is not None and hearing is not None and len(texts) > 1:
                result = self._rescored(u, texts, state, result, hearing, rescore)
            if checks and hearing is not None and not asking:
                corrected = []
                if result.calls or result.tentative:
                    revised = u.recheck(result, HeardScorer(self.stt, hearing))
                    if revised is not None:
                        corrected.append(result)
                        result = revised
                if any(c.writes for c in result.calls):
                    scorer = HeardScorer(self.stt, hearing)
                    others, twins = rival_texts(hearing.texts, result.text)

                    def scored(r: Sequence[str], s: Any = scorer) -> list[float] | None:
                        return score_readings(r, s)

                    result = weigh(result, [u.understand([t], state) for t in others], scored,
                                   twins=[u.understand([t], state) for t in twins],
                                   rejected=corrected, before=state).result
            state = result.state
            made = [(c.tool, dict(c.args)) for c in result.calls]
            if waiting is not None and any(t == calls[waiting][0] for t, _ in made):
                del calls[waiting]  # "Actually, make it 1700.": the asked call is replaced
            waiting = None
            for tool, _ in made:
                if tool in confirming:
                    waiting = len(calls) + next(i for i, m in enumerate(made) if m[0] == tool)
                    break
            calls += made
            asking = waiting is not None
            reply = result.reply
        return score(item, calls, len(reply) / CHARS_PER_SECOND).ok, calls

    def _rescored(self, u: Any, texts: Sequence[str], state: Any, result: Any, hearing: Any,
                  margin: float) -> Any:
        """Another hypothesis's reading when the audio (no prompt) favours it by ``margin``.

        Each hypothesis is understood alone; readings that would do something else than
        the understanding's choice are scored with the write check's scorer. Measured and
        not taken into the backend (docs/benchmarks.md, "Audio misses by stage").
        """
        from voicelive.backends.local.readings import score_readings
        from voicelive.backends.local.stt import HeardScorer

        def does(r: Any) -> str:
            return repr([(c.tool, sorted(c.args.items())) for c in r.calls]) + str(r.kind)

        seen, rivals = {does(result)}, []
        for text in texts[:4]:
            reading = u.understand([text], state)
            if reading.text and does(reading) not in seen:
                seen.add(does(reading))
                rivals.append(reading)
        if not rivals:
            return result
        scores = score_readings([result.text, *(r.text for r in rivals)],
                                HeardScorer(self.stt, hearing))
        if not scores:
            return result
        best = max(range(len(rivals)), key=lambda i: scores[i + 1])
        return rivals[best] if scores[best + 1] - scores[0] > margin else result

    def text_ok(self, item: Item) -> bool:
        """The item scored on its written turns (no audio)."""
        from voicelive.backends.local.stt import Hearing

        return self.act(item, [Hearing((t,)) for t in item.turns], checks=False)[0]

    def stage(self, item: Item, voice: str, wav: Path) -> Staged:
        """Replay one recording stage by stage and put its miss down to one."""
        from voicelive.audio import read_wav

        pcm, _ = read_wav(wav)
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        _, _, prompts = self.tools(item.tools)
        clips = cut_turns(samples, len(item.turns))
        turns = [Turn(said) for said in item.turns]
        piped = []
        for turn, clip in zip(turns, clips, strict=True):
            hearing, turn.cuts = self.detect(clip, prompts["full"])
            turn.pipeline = list(hearing.texts) if hearing is not None else []
            piped.append(hearing)
        pipeline_ok, calls = self.act(item, piped)
        oracle = [self.hear(clip, prompts["full"]) for clip in clips]
        for turn, hearing in zip(turns, oracle, strict=True):
            turn.oracle = list(hearing.texts)
        oracle_ok = self.act(item, oracle)[0]
        staged = Staged(item.id, item.category, voice, self.text_ok(item), pipeline_ok,
                        oracle_ok, turns=turns, calls=calls)
        if pipeline_ok:
            return staged

        def choice() -> bool:
            ranges = [range(max(1, len(h.texts))) for h in oracle]
            combos = itertools.islice(itertools.product(*ranges), 64)
            return any(self.act(item, oracle, checks=False, pick=p)[0] for p in combos)

        def prompt() -> bool:
            for kind in ("none", "short"):
                again = [self.hear(clip, prompts[kind]) for clip in clips]
                for turn, hearing in zip(turns, again, strict=True):
                    setattr(turn, "noprompt" if kind == "none" else kind, list(hearing.texts))
                if self.act(item, again)[0]:
                    return True
            return False

        checks_ok = self.act(item, oracle, checks=False)[0]
        right = all(h.texts and same_words(t.said, h.texts[0])
                    for t, h in zip(turns, oracle, strict=True))
        staged.stage = attribute(text_ok=staged.text_ok, pipeline_ok=False, oracle_ok=oracle_ok,
                                 checks_ok=checks_ok,
                                 choice_ok=not checks_ok and choice(), right_words=right,
                                 prompt_ok=prompt)
        if staged.stage == "segmentation":
            staged.detail = "split" if any(t.cuts > 1 for t in turns) else (
                "lost" if any(t.cuts == 0 for t in turns) else "clipped")
        return staged


def table(staged: Sequence[Staged]) -> dict[str, dict[str, int]]:
    """Misses per stage per voice, plus the items and the pipeline's right ones per voice."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for s in staged:
        out[s.voice]["items"] += 1
        out[s.voice]["right"] += s.pipeline_ok
        if s.stage:
            out[s.voice][s.stage] += 1
        if s.session_ok is False and s.pipeline_ok:
            out[s.voice]["session"] += 1
    return {k: dict(v) for k, v in out.items()}


def render_table(counts: dict[str, dict[str, int]]) -> str:
    """The stage table as Markdown."""
    cols = ["items", "right", *STAGES, "session"]
    lines = ["| voice | " + " | ".join(cols) + " |", "| --- |" + " --- |" * len(cols)]
    total: Counter[str] = Counter()
    for voice, row in counts.items():
        total.update(row)
        lines.append(f"| {voice} | " + " | ".join(str(row.get(c, 0)) for c in cols) + " |")
    lines.append("| **all** | " + " | ".join(str(total.get(c, 0)) for c in cols) + " |")
    return "\n".join(lines)


def compare(replay: Replay, pairs: Sequence[tuple[Item, Any]], names: Sequence[str],
            cache: Path, started: float, load: float, out: Path | None) -> dict[str, Any]:
    """Right items per variant and per voice, and what each wins and loses against the first."""
    rows = []
    for item, voice in pairs:
        got = replay.variants(item, recording(item, voice, cache), names)
        rows.append((item.id, voice.tag, got))
    figures: dict[str, Any] = {"items": len(rows)}
    for name in names:
        by_voice: Counter[str] = Counter(v for _, v, got in rows if got[name])
        won = [f"{i}@{v}" for i, v, got in rows if got[name] and not got[names[0]]]
        lost = [f"{i}@{v}" for i, v, got in rows if not got[name] and got[names[0]]]
        figures[name] = {"right": sum(got[name] for _, _, got in rows),
                         "by_voice": dict(by_voice), "won": won, "lost": lost}
        print(f"{name:12s} {figures[name]['right']}/{len(rows)} {dict(by_voice)} "
              f"+{len(won)} -{len(lost)} {won} {lost}", flush=True)
    figures |= {"took_s": round(time.perf_counter() - started, 1),
                "load_average": [load, os.getloadavg()[0]]}
    if out:
        out.write_text(json.dumps(figures, indent=1))
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Stage every recording of the set and print the table (and the misses with ``-v``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DATA, help="the set's TOML file")
    parser.add_argument("--voices", action="append", default=[],
                        help="the voices the recordings were made in (see bench.spoken.run)")
    parser.add_argument("--cache", type=Path, default=CACHE, help="folder of the recordings")
    parser.add_argument("--category", action="append", default=[], help="only these (repeat)")
    parser.add_argument("--runs", type=Path, default=None,
                        help="a bench.spoken.run --json file: mark the session's own misses")
    parser.add_argument("--json", type=Path, default=None, help="write every item here")
    parser.add_argument("--variants", default="",
                        help="instead of the stages: the pipeline's right items under these "
                             "comma-separated settings (default,end,pre100,pre400,lead300,...)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    names = [n for n in args.variants.split(",") if n]
    if any(n not in VARIANTS for n in names):
        parser.error(f"unknown variant in {args.variants!r}; known: {', '.join(VARIANTS)}")
    # voices are assigned over the whole set, so a category keeps its recordings
    pairs = assign_only(load_items(args.set), parse_voices(args.voices),
                        categories=args.category)
    missing = [p for p in (recording(i, v, args.cache) for i, v in pairs) if not p.is_file()]
    if missing:  # never synthesised here: a shared cache is read-only
        parser.error(f"{len(missing)} recordings are not in {args.cache} (first: "
                     f"{missing[0].name}); make them with python -m bench.spoken.generate "
                     "--set ... --voices ... --cache DIR, or check --voices")
    session: dict[tuple[str, str], bool] = {}
    if args.runs:
        for r in json.loads(args.runs.read_text())["runs"]:
            session[(r["item"], r["voice"])] = bool(r["ok"])
    replay = Replay()
    started, load = time.perf_counter(), os.getloadavg()[0]
    if names:
        return compare(replay, pairs, names, args.cache, started, load, args.json)
    staged: list[Staged] = []
    for n, (item, voice) in enumerate(pairs):
        s = replay.stage(item, voice.tag, recording(item, voice, args.cache))
        s.session_ok = session.get((item.id, voice.tag))
        staged.append(s)
        if s.stage and args.verbose:
            print(f"{n + 1:>4} {s.stage:<18} {s.detail:<8} [{voice.tag}] {item.id}")
            for t in s.turns:
                print(f"       said {t.said!r} cuts {t.cuts}\n       pipe {t.pipeline[:2]}\n"
                      f"       orac {t.oracle[:2]}" + (f"\n       nopr {t.noprompt[:1]} "
                                                      f"short {t.short[:1]}" if t.noprompt
                                                      else ""))
            print(f"       -> {s.calls}", flush=True)
    counts = table(staged)
    print(render_table(counts))
    figures = {"stages": counts, "took_s": round(time.perf_counter() - started, 1),
               "load_average": [load, os.getloadavg()[0]],
               "pipeline_right": sum(s.pipeline_ok for s in staged),
               "oracle_right": sum(s.oracle_ok for s in staged), "items": len(staged)}
    if session:
        figures["session_right"] = sum(bool(s.session_ok) for s in staged)
    print(json.dumps({k: v for k, v in figures.items() if k != "stages"}))
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "items": [asdict(s) for s in staged]},
                                        indent=1, default=str))
    return figures


if __name__ == "__main__":
    main()
