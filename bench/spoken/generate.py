"""Make the spoken test set's recordings: every item in its synthetic voice, cached as WAV.

Run: ``python -m bench.spoken.generate [--set FILE] [--voices SPEC ...] [--all-voices]
[--cache DIR]``

Four voices: the Piper voice of the offline backend, espeak-ng's American voice at 165 words a
minute, espeak-ng's British "received pronunciation" voice at 140, and Piper a little slower
with pink noise mixed in at 12 dB below the speech. Items take the voices in turn (item ``i``
gets voice ``i % 4``, so every category is spread over all four); ``--all-voices`` makes every
item in every voice. Turns of one item are joined into one recording with 2 s pauses.

``--voices`` replaces the four with others (:func:`parse_voices`): ``heldout`` names
:data:`HELDOUT_VOICES`, voices the repository's set does not use, for scoring a held-out set;
or a spec per voice such as ``espeak:en-gb-scotland:160`` or ``piper:0.9:noise10``.

Recordings go into a cache folder (``bench/.cache/spoken`` by default, not committed), named
by a hash of the text and the voice, so only new or changed items are synthesised.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import dataclasses
import hashlib
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bench.spoken.items import DATA, Item, load_items
from voicelive.audio import PCM16_16K, write_wav
from voicelive.testing.speech import Voice, join_turns, speak

if TYPE_CHECKING:
    from voicelive.backends.local.tts import Synthesizer

__all__ = ["CACHE", "HELDOUT_VOICES", "PAUSE_S", "VOICES", "assign", "assign_only", "parse_voice",
           "parse_voices", "recording", "render"]

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "spoken"
PAUSE_S = 2.0
"""Silence between the turns of one recording."""

VOICES: tuple[Voice, ...] = (
    Voice("piper", label="piper"),
    Voice("espeak", "en-us", 165, label="espeak-us-165"),
    Voice("espeak", "en-gb-x-rp", 140, label="espeak-gb-140"),
    Voice("piper", rate=1.1, noise_snr_db=12.0, label="piper-noisy"),
)
HELDOUT_VOICES: tuple[Voice, ...] = (
    Voice("espeak", "en-us", 150, pitch=70, label="espeak-us-150-p70"),
    Voice("espeak", "en-us", 190, pitch=30, label="espeak-us-190-p30"),
    Voice("espeak", "en-gb-scotland", 160, label="espeak-scotland-160"),
    Voice("espeak", "en-029", 160, pitch=40, label="espeak-caribbean-160"),
    Voice("piper", rate=0.9, noise_snr_db=10.0, label="piper-0.9-noise10"),
)
"""Voices :data:`VOICES` does not use (other accents, rates, pitches, a faster Piper in more
noise): an outside measure in voices the tests were never tuned on (``--voices heldout``)."""
_VERSION = "1"  # bump to regenerate every recording


_VOICE_NAME = re.compile(r"[a-z]{2,3}(-[a-z0-9]+)*(\+[a-z0-9]+)?")


def parse_voice(spec: str) -> Voice:
    """A voice from ``ENGINE[:TOKEN...]``: the engine (``piper`` or ``espeak``), then in any
    order a number (rate: Piper length scale or espeak-ng words a minute), ``pN`` (espeak-ng
    pitch), ``noiseN`` (pink noise N dB below the speech), ``label=NAME``, and for espeak-ng
    its voice name (``en-us``, ``en-gb-scotland``, ``en-029`` ...).

    Raises:
        ValueError: The engine is unknown or a token makes no sense.
    """
    engine, *tokens = spec.split(":")
    if engine not in ("piper", "espeak"):
        raise ValueError(f"voice {spec!r}: the engine must be piper or espeak, not {engine!r}")
    fields: dict[str, object] = {"rate": 1.0 if engine == "piper" else 165.0}
    for token in filter(None, tokens):
        try:
            if token.startswith("label="):
                fields["label"] = token[6:]
            elif token.startswith("noise"):
                fields["noise_snr_db"] = float(token[5:])
            elif token[0] == "p" and token[1:].isdigit():
                fields["pitch"] = int(token[1:])
            elif token[0].isdigit():
                fields["rate"] = float(token)
            elif engine == "espeak" and "name" not in fields and _VOICE_NAME.fullmatch(token):
                fields["name"] = token
            else:
                raise ValueError(token)
        except ValueError:
            raise ValueError(f"voice {spec!r}: cannot read {token!r} (see parse_voice)") from None
    return Voice(engine, **fields)  # type: ignore[arg-type]


def parse_voices(specs: Sequence[str]) -> tuple[Voice, ...]:
    """Voices from ``--voices`` values: ``default``, ``heldout`` or :func:`parse_voice` specs
    (each value may hold several, comma-separated); :data:`VOICES` when there are none."""
    voices: list[Voice] = []
    for spec in (s.strip() for value in specs for s in value.split(",")):
        if spec == "default":
            voices += VOICES
        elif spec == "heldout":
            voices += HELDOUT_VOICES
        elif spec:
            voices.append(parse_voice(spec))
    return tuple(voices) or VOICES


def assign(items: Sequence[Item], voices: Sequence[Voice] = VOICES, *,
           all_voices: bool = False) -> list[tuple[Item, Voice]]:
    """Pair items with voices: in turn, or every item with every voice."""
    if all_voices:
        return [(item, voice) for voice in voices for item in items]
    return [(item, voices[i % len(voices)]) for i, item in enumerate(items)]


def assign_only(items: Sequence[Item], voices: Sequence[Voice] = VOICES, *,
                all_voices: bool = False,
                categories: Sequence[str] = ()) -> list[tuple[Item, Voice]]:
    """:func:`assign` over the whole set, then only the items of ``categories`` (all if none).

    A category run hears its items in the voices a full run gives them, so it reuses the
    full run's recordings and scores the same pairs.
    """
    return [(item, voice) for item, voice in assign(items, voices, all_voices=all_voices)
            if not categories or item.category in categories]


def _key(item: Item, voice: Voice) -> str:
    described = repr(voice).replace(", pitch=None", "")  # the names cached before pitch existed
    text = "\x1f".join((_VERSION, described, f"{PAUSE_S:g}", *item.turns))
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def recording(item: Item, voice: Voice, cache: Path = CACHE) -> Path:
    """Where the recording of ``item`` in ``voice`` is cached (it may not exist yet)."""
    return cache / voice.tag / f"{item.id}-{_key(item, voice)}.wav"


def render(item: Item, voice: Voice, cache: Path = CACHE,
           synthesizer: Synthesizer | None = None) -> Path:
    """The recording of ``item`` in ``voice`` (synthesised unless already cached)."""
    path = recording(item, voice, cache)
    if path.is_file():
        return path
    seed = int(_key(item, voice), 16) % 2**32
    clean = dataclasses.replace(voice, noise_snr_db=None)
    turns = [speak(text, clean, synthesizer) for text in item.turns]
    pcm = join_turns(turns, pause_s=PAUSE_S, noise_snr_db=voice.noise_snr_db, seed=seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    write_wav(partial, pcm, PCM16_16K)
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    """Synthesise every recording of the set that is not cached yet."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all-voices", action="store_true", help="every item in every voice")
    parser.add_argument("--cache", type=Path, default=CACHE, help="folder of the recordings")
    parser.add_argument("--set", type=Path, default=DATA, help="the set's TOML file")
    parser.add_argument("--voices", action="append", default=[],
                        help="voices instead of the default four: heldout, default or specs "
                             "such as espeak:en-029:160:p40 or piper:0.9:noise10 (repeat)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pairs = assign(load_items(args.set), parse_voices(args.voices), all_voices=args.all_voices)
    for item, voice in pairs:
        render(item, voice, args.cache)
    print(f"{len(pairs)} recordings in {args.cache} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
