"""The old spoken set of the offline backend: 48 requests, eight per nutrition tool.

It used to live in ``voicelive/backends/local/evaluation.py``; it is kept so that it can be
scored beside the new set (``python -m bench.spoken.run --legacy``), by
``bench/bench_local.py`` (accuracy, latency, real-time factors) and by the accuracy floor in
``tests/local/test_local_accuracy.py``. Its wordings are close to the tools' templates; the new
set (``bench/spoken/requests.toml``) is written the way people talk.

Speech is made at run time with the Piper voice and with ``espeak-ng`` voices
(:mod:`voicelive.testing.speech`), so nothing recorded ships with the package.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from bench.spoken.items import Call, Item
from voicelive.backends.base import INPUT_RATE
from voicelive.testing import speech
from voicelive.testing.speech import Voice

if TYPE_CHECKING:
    from voicelive.backends.local.tts import Synthesizer

__all__ = [
    "UTTERANCES",
    "VOICES",
    "Utterance",
    "Voice",
    "args_match",
    "legacy_items",
    "speak",
]


@dataclass(frozen=True, slots=True)
class Utterance:
    """One request and what it must end in.

    Attributes:
        text: What the synthetic user says.
        tool: The tool that must be called.
        args: Arguments that must be present: numbers compare equal, text compares loosely
            (case, plural ``s`` and articles ignored; either may contain the other).
    """

    text: str
    tool: str
    args: Mapping[str, Any] = field(default_factory=dict)


VOICES: tuple[Voice, ...] = (
    Voice("piper", rate=1.0, label="piper"),
    Voice("espeak", "en-us", 150, label="espeak:en-us"),
    Voice("piper", rate=1.15, label="piper"),
    Voice("espeak", "en-gb", 150, label="espeak:en-gb"),
    Voice("piper", rate=0.9, label="piper"),
)
"""Voices used in turn: Piper at three speeds and two espeak-ng voices (a different, robotic
synthesiser). espeak-ng is much harder for ``tiny.en``; ``bench/bench_local.py`` reports the
accuracy of each voice over the whole set."""

U = Utterance
UTTERANCES: tuple[Utterance, ...] = (
    # missed_meal(meal)
    U("I skipped breakfast this morning.", "missed_meal", {"meal": "breakfast"}),
    U("I missed lunch today.", "missed_meal", {"meal": "lunch"}),
    U("I didn't have dinner.", "missed_meal", {"meal": "dinner"}),
    U("I did not eat my lunch.", "missed_meal", {"meal": "lunch"}),
    U("I have to skip dinner tonight.", "missed_meal", {"meal": "dinner"}),
    U("No breakfast for me.", "missed_meal", {"meal": "breakfast"}),
    U("I forgot to eat my lunch.", "missed_meal", {"meal": "lunch"}),
    U("Skip my dinner today.", "missed_meal", {"meal": "dinner"}),
    # unplanned_food(food, amount)
    U("I ate a banana.", "unplanned_food", {"food": "banana"}),
    U("I had two slices of pizza.", "unplanned_food", {"food": "pizza"}),
    U("I just ate an apple.", "unplanned_food", {"food": "apple"}),
    U("I had a cup of coffee.", "unplanned_food", {"food": "coffee"}),
    U("I ate a chocolate chip cookie.", "unplanned_food", {"food": "cookie"}),
    U("I had a bowl of ice cream.", "unplanned_food", {"food": "ice cream"}),
    U("I snacked on some almonds.", "unplanned_food", {"food": "almonds"}),
    U("I drank a glass of orange juice.", "unplanned_food", {"food": "orange juice"}),
    # substitute_food(original, replacement, meal)
    U("Swap the rice for quinoa at dinner.", "substitute_food",
      {"original": "rice", "replacement": "quinoa", "meal": "dinner"}),
    U("Replace the pasta with salad for lunch.", "substitute_food",
      {"original": "pasta", "replacement": "salad", "meal": "lunch"}),
    U("Can I have oatmeal instead of toast for breakfast?", "substitute_food",
      {"original": "toast", "replacement": "oatmeal", "meal": "breakfast"}),
    U("Substitute chicken with tofu at dinner.", "substitute_food",
      {"original": "chicken", "replacement": "tofu", "meal": "dinner"}),
    U("Use eggs instead of cereal for breakfast.", "substitute_food",
      {"original": "cereal", "replacement": "eggs", "meal": "breakfast"}),
    U("Swap the potatoes for broccoli at dinner.", "substitute_food",
      {"original": "potatoes", "replacement": "broccoli", "meal": "dinner"}),
    U("Swap the yogurt for a banana at lunch.", "substitute_food",
      {"original": "yogurt", "replacement": "banana", "meal": "lunch"}),
    U("Replace rice with brown rice.", "substitute_food",
      {"original": "rice", "replacement": "brown rice"}),
    # log_activity(activity, minutes, weight_kg)
    U("I went running for thirty minutes.", "log_activity",
      {"activity": "running", "minutes": 30}),
    U("I did forty five minutes of cycling.", "log_activity",
      {"activity": "cycling", "minutes": 45}),
    U("I went for a walk for sixty minutes.", "log_activity",
      {"activity": "walk", "minutes": 60}),
    U("Log twenty minutes of swimming.", "log_activity", {"activity": "swim", "minutes": 20}),
    U("I did yoga for half an hour.", "log_activity", {"activity": "yoga", "minutes": 30}),
    U("Add fifteen minutes of jogging.", "log_activity",
      {"activity": "jogging", "minutes": 15}),
    U("Ninety minutes of tennis.", "log_activity", {"activity": "tennis", "minutes": 90}),
    U("I went cycling for an hour and a half.", "log_activity",
      {"activity": "cycling", "minutes": 90}),
    # daily_summary()
    U("How am I doing today?", "daily_summary", {}),
    U("Give me my daily summary.", "daily_summary", {}),
    U("How many calories do I have left?", "daily_summary", {}),
    U("What's my summary?", "daily_summary", {}),
    U("How much do I have left today?", "daily_summary", {}),
    U("Show my day.", "daily_summary", {}),
    U("Where am I with my plan today?", "daily_summary", {}),
    U("Tell me my day.", "daily_summary", {}),
    # lookup_food(food, amount)
    U("How many calories are in an avocado?", "lookup_food", {"food": "avocado"}),
    U("How much protein is in a chicken breast?", "lookup_food", {"food": "chicken breast"}),
    U("What's in a cup of rice?", "lookup_food", {"food": "rice"}),
    U("Nutrition for salmon.", "lookup_food", {"food": "salmon"}),
    U("How many calories are in two eggs?", "lookup_food", {"food": "egg"}),
    U("Look up peanut butter.", "lookup_food", {"food": "peanut butter"}),
    U("Macros for a bagel.", "lookup_food", {"food": "bagel"}),
    U("What is in a slice of cheddar cheese?", "lookup_food", {"food": "cheddar cheese"}),
)
"""48 requests, eight per nutrition tool, in different wordings."""


def _loose(text: str) -> str:
    words = [w for w in str(text).lower().replace("_", " ").split() if w not in {"a", "an", "the"}]
    out = []
    for w in words:
        for suffix in ("ming", "ning", "ing", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        out.append(w)
    return " ".join(out)


def args_match(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> bool:
    """Whether ``actual`` arguments satisfy the ``expected`` ones (see :class:`Utterance`)."""
    for key, want in expected.items():
        got = actual.get(key)
        if got is None:
            return False
        if isinstance(want, int | float) and not isinstance(want, bool):
            try:
                if abs(float(got) - float(want)) > 1e-6:
                    return False
            except (TypeError, ValueError):
                return False
            continue
        a, b = _loose(str(want)), _loose(str(got))
        if not a or not b or (a not in b and b not in a):
            return False
    return True


def speak(text: str, voice: Voice, synthesizer: Synthesizer | None = None) -> bytes:
    """Synthesise ``text`` in ``voice`` as PCM16 mono at 16 kHz."""
    return speech.speak(text, voice, synthesizer)


@dataclass
class ItemResult:
    """Outcome of one utterance."""

    utterance: Utterance
    voice: str
    heard: str
    tool: str | None
    args: dict[str, Any]
    ok: bool
    latency_ms: float | None
    speech_s: float


def assign_voices(items: Sequence[Utterance],
                  voices: Sequence[Voice] = VOICES) -> list[tuple[Utterance, Voice]]:
    """Pair each utterance with a voice, in turn."""
    return [(u, voices[i % len(voices)]) for i, u in enumerate(items)]


async def evaluate(
    conn: Any,
    tools: Any,
    cases: Sequence[tuple[Utterance, bytes, str]],
    *,
    realtime: bool = False,
) -> list[ItemResult]:
    """Run each ``(utterance, pcm, voice label)`` as a spoken turn and score the tool call."""
    from voicelive.testing.drive import run_turn

    results: list[ItemResult] = []
    for utterance, pcm, label in cases:
        record = await run_turn(conn, tools, bytes(INPUT_RATE // 2) + pcm, realtime=realtime)
        call = record.calls[0] if record.calls else None
        ok = call is not None and call.name == utterance.tool and args_match(utterance.args,
                                                                              call.args)
        results.append(ItemResult(utterance, label, " ".join(record.user_text),
                                  call.name if call else None, dict(call.args) if call else {},
                                  ok, record.latency_ms, len(pcm) / (2 * INPUT_RATE)))
    return results


def legacy_items() -> list[Item]:
    """The 48 requests as items of the new runner (category ``old:TOOL``)."""
    counts: dict[str, int] = {}
    out = []
    for u in UTTERANCES:
        category = f"old:{u.tool}"
        counts[category] = counts.get(category, 0) + 1
        out.append(Item(f"{category}-{counts[category]:02d}", category, (u.text,),
                        (Call(u.tool, dict(u.args)),)))
    return out


def accuracy(results: Sequence[ItemResult]) -> float:
    """Share of utterances that ended in the right tool with the right arguments."""
    return sum(r.ok for r in results) / len(results) if results else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``."""
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else float("nan")


def timed(fn: Any, *args: Any) -> tuple[Any, float]:
    """Call ``fn(*args)`` and return its result and the seconds it took."""
    t0 = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t0
