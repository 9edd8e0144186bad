"""Text to speech with Piper, resampled to the backend's output rate with soxr.

Piper voices speak at their own rate (22.05 kHz for the bundled ``joe`` voice); the session
expects 24 kHz, so every sentence goes through a soxr resampler. Sentences are synthesised one at
a time so the first one can play while the rest are still being made.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from voicelive.exceptions import MissingExtraError, ModelLoadError

__all__ = ["FIRST_PIECE_CHARS", "Synthesizer", "first_cut", "split_sentences"]

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")
_SPACE = re.compile(r"\s+")
_LEADS_ON = frozenset({
    "of", "for", "at", "and", "with", "to", "in", "on", "so", "but", "then", "about", "from",
    "or", "is", "are", "was", "which", "that",
})
"""Words a spoken phrase can start with naturally: a cut before one sounds like a clause."""

FIRST_PIECE_CHARS = 16
"""Target length of the first spoken piece (Piper renders a piece whole before any plays)."""


def first_cut(
    sentence: str, *, target: int = FIRST_PIECE_CHARS, shortest: int = 8, longest: int = 28,
    min_rest: int = 8,
) -> tuple[int, int] | None:
    """Where to cut a reply's first sentence so its first piece is short.

    The first audio of a reply is ready only once Piper has rendered the whole first piece,
    so that piece should be short: about ``target`` characters, ended at a word boundary.
    A boundary after a comma, colon or semicolon is preferred, then one before a word a
    phrase can start with ("of", "and", "with"...), then the one nearest ``target``.

    Args:
        sentence: The first sentence of a reply.
        target: The length aimed at.
        shortest: The first piece has at least this many characters.
        longest: ... and at most this many.
        min_rest: The rest of the sentence keeps at least this many characters.

    Returns:
        ``(end of the first piece, start of the rest)`` as indices into ``sentence``, or
        ``None`` when the sentence is short enough as it is (or has no good boundary).
    """
    if len(sentence) <= target + min_rest:
        return None
    best: tuple[float, int, int] | None = None
    for gap in _SPACE.finditer(sentence):
        left = gap.start()
        if left < shortest or left > longest or len(sentence) - gap.end() < min_rest:
            continue
        score = float(abs(left - target))
        following = sentence[gap.end():].split(" ", 1)[0].lower()
        if sentence[left - 1] in ",;:":
            score -= 12
        elif following in _LEADS_ON:
            score -= 4
        if best is None or score < best[0]:
            best = (score, left, gap.end())
    return None if best is None else (best[1], best[2])


def split_sentences(text: str, *, first_chars: int = FIRST_PIECE_CHARS) -> list[str]:
    """Split reply text into pieces for streaming synthesis.

    Sentences are synthesised one at a time, each while the previous one plays; the first
    sentence is cut once more with :func:`first_cut` so the first audio comes quickly. Later
    sentences stay whole.

    Args:
        text: Reply text.
        first_chars: Target length of the first piece.

    Returns:
        Non-empty pieces in order.
    """
    pieces = [p.strip() for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    if pieces:
        cut = first_cut(pieces[0], target=first_chars)
        if cut is not None:
            first = pieces[0]
            pieces[0:1] = [first[:cut[0]].strip(), first[cut[1]:].strip()]
    return pieces


class Synthesizer:
    """A loaded Piper voice that renders text as PCM16 at ``output_rate``.

    Args:
        voice_path: Path of a Piper ``.onnx`` voice (its ``.onnx.json`` config beside it).
        output_rate: Rate of the returned audio.
        length_scale: Speaking-rate factor (above 1 is slower).
    """

    def __init__(self, voice_path: str, *, output_rate: int = 24000,
                 length_scale: float | None = None) -> None:
        try:
            from piper import SynthesisConfig
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingExtraError("the local backend's voice", "local",
                                    exc.name or "piper") from exc
        try:
            self._voice: Any = _load_voice(str(voice_path))
        except Exception as exc:
            raise ModelLoadError(f"cannot load the Piper voice at {voice_path}: {exc}") from exc
        self._syn_config: Any = SynthesisConfig(length_scale=length_scale)
        self.voice_path = str(voice_path)
        self.voice_rate = int(self._voice.config.sample_rate)
        self.output_rate = output_rate

    def synthesize_float(
        self, text: str, *, length_scale: float | None = None, deterministic: bool = False
    ) -> npt.NDArray[np.float32]:
        """Synthesise ``text`` at the voice's own rate as float samples.

        Args:
            text: Text to say.
            length_scale: Speaking-rate factor for this call (the voice's default if None).
            deterministic: Switch off Piper's random noise, so the same text always gives
                the same samples (tests and benchmarks want that).
        """
        config = self._syn_config
        if length_scale is not None or deterministic:
            from piper import SynthesisConfig

            config = SynthesisConfig(
                length_scale=length_scale,
                noise_scale=0.0 if deterministic else None,
                noise_w_scale=0.0 if deterministic else None,
            )
        chunks = [np.asarray(c.audio_float_array, dtype=np.float32)
                  for c in self._voice.synthesize(text, syn_config=config)]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)

    def synthesize(self, sentence: str) -> bytes:
        """Synthesise one sentence (or clause) as PCM16 at ``output_rate``.

        Returns:
            PCM16 little-endian mono bytes; empty for text with nothing to say.
        """
        audio = self.synthesize_float(sentence)
        if audio.size == 0:
            return b""
        return to_pcm16(resample(audio, self.voice_rate, self.output_rate))

    def stream(self, text: str) -> Iterator[tuple[str, bytes]]:
        """Yield ``(sentence, pcm)`` for each piece of ``text`` as soon as it is made."""
        for sentence in split_sentences(text):
            pcm = self.synthesize(sentence)
            if pcm:
                yield sentence, pcm


def _load_voice(path: str) -> Any:
    """A Piper voice whose ONNX session does only the basic graph optimisations.

    ``PiperVoice.load`` asks ONNX Runtime for every optimisation, which makes opening the voice
    the slowest step of start-up (about 0.45 s here) and synthesis no faster than the basic
    level (about 0.3 s to open; measured in docs/benchmarks.md). Same voice, same config.
    """
    import json

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    with open(f"{path}.json", encoding="utf-8") as config_file:
        config = PiperConfig.from_dict(json.load(config_file))
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    session = onnxruntime.InferenceSession(path, sess_options=options,
                                           providers=["CPUExecutionProvider"])
    return PiperVoice(session=session, config=config)


def resample(
    audio: npt.NDArray[np.float32], rate_in: int, rate_out: int
) -> npt.NDArray[np.float32]:
    """Resample float audio with soxr (high quality); a no-op when the rates match."""
    if rate_in == rate_out or audio.size == 0:
        return audio
    import soxr

    out: npt.NDArray[np.float32] = np.asarray(
        soxr.resample(audio, rate_in, rate_out, quality="HQ"), dtype=np.float32
    )
    return out


def to_pcm16(audio: npt.NDArray[np.float32]) -> bytes:
    """Convert float samples in [-1, 1] to PCM16 little-endian bytes."""
    return (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
