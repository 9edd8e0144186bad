"""Make the spoken test set's recordings: every item in its synthetic voice, cached as WAV.

Run: ``python -m bench.spoken.generate [--all-voices] [--cache DIR]``

Four voices: the Piper voice of the offline backend, espeak-ng's American voice at 165 words a
minute, espeak-ng's British "received pronunciation" voice at 140, and Piper a little slower
with pink noise mixed in at 12 dB below the speech. Items take the voices in turn (item ``i``
gets voice ``i % 4``, so every category is spread over all four); ``--all-voices`` makes every
item in every voice. Turns of one item are joined into one recording with 2 s pauses.

Recordings go into a cache folder (``bench/.cache/spoken`` by default, not committed), named
by a hash of the text and the voice, so only new or changed items are synthesised.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import argparse
import hashlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bench.spoken.items import Item, load_items
from voicelive.audio import PCM16_16K, write_wav
from voicelive.testing.speech import Voice, join_turns, speak

if TYPE_CHECKING:
    from voicelive.backends.local.tts import Synthesizer

__all__ = ["CACHE", "PAUSE_S", "VOICES", "assign", "render"]

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "spoken"
PAUSE_S = 2.0
"""Silence between the turns of one recording."""

VOICES: tuple[Voice, ...] = (
    Voice("piper", label="piper"),
    Voice("espeak", "en-us", 165, label="espeak-us-165"),
    Voice("espeak", "en-gb-x-rp", 140, label="espeak-gb-140"),
    Voice("piper", rate=1.1, noise_snr_db=12.0, label="piper-noisy"),
)
_VERSION = "1"  # bump to regenerate every recording


def assign(items: Sequence[Item], voices: Sequence[Voice] = VOICES, *,
           all_voices: bool = False) -> list[tuple[Item, Voice]]:
    """Pair items with voices: in turn, or every item with every voice."""
    if all_voices:
        return [(item, voice) for voice in voices for item in items]
    return [(item, voices[i % len(voices)]) for i, item in enumerate(items)]


def _key(item: Item, voice: Voice) -> str:
    text = "\x1f".join((_VERSION, repr(voice), f"{PAUSE_S:g}", *item.turns))
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def render(item: Item, voice: Voice, cache: Path = CACHE,
           synthesizer: Synthesizer | None = None) -> Path:
    """The recording of ``item`` in ``voice`` (synthesised unless already cached)."""
    path = cache / voice.tag / f"{item.id}-{_key(item, voice)}.wav"
    if path.is_file():
        return path
    seed = int(_key(item, voice), 16) % 2**32
    clean = Voice(voice.engine, voice.name, voice.rate, None, voice.label)
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
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pairs = assign(load_items(), all_voices=args.all_voices)
    for item, voice in pairs:
        render(item, voice, args.cache)
    print(f"{len(pairs)} recordings in {args.cache} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
