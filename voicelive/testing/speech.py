"""Synthetic test speech: Piper and espeak-ng voices, noise, and short recorded conversations.

Tests and benchmarks make their speech at run time, so nothing recorded ships with the package:
:func:`speak` says a sentence in a :class:`Voice` (the Piper voice of the offline backend, or an
``espeak-ng`` voice, a different and more robotic synthesiser installed from Debian), optionally
with background noise; :func:`join_turns` lays several turns out as one recording with pauses
between them, the way ``voicelive ask`` reads a short conversation.

Everything here returns PCM16 mono at 16 kHz.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from voicelive.backends.base import INPUT_RATE

if TYPE_CHECKING:
    from voicelive.backends.local.tts import Synthesizer

__all__ = ["Voice", "add_noise", "join_turns", "speak"]


@dataclass(frozen=True, slots=True)
class Voice:
    """A synthetic voice.

    Attributes:
        engine: ``piper`` (the offline backend's voice) or ``espeak`` (espeak-ng).
        name: espeak-ng voice (``en-us``, ``en-gb-x-rp``, ``en-us+f3`` ...); unused for Piper.
        rate: Piper length scale (above 1 is slower) or espeak-ng words per minute.
        noise_snr_db: Mix pink noise at this signal-to-noise ratio; ``None`` for clean speech.
        label: Name in reports; derived from the other fields when empty.
        pitch: espeak-ng pitch, 0-99 (its ``-p``; 50 is its default); ``None`` for the
            voice's own. Unused for Piper.
    """

    engine: Literal["piper", "espeak"]
    name: str = ""
    rate: float = 1.0
    noise_snr_db: float | None = None
    label: str = ""
    pitch: int | None = None

    @property
    def tag(self) -> str:
        """The label, or a name made of engine, voice, rate and noise."""
        if self.label:
            return self.label
        base = "piper" if self.engine == "piper" else f"espeak:{self.name}"
        if self.engine == "piper" and self.rate != 1.0:
            base += f"@{self.rate:g}"
        elif self.engine == "espeak":
            base += f"@{self.rate:g}wpm"
            if self.pitch is not None:
                base += f"-p{self.pitch}"
        return base if self.noise_snr_db is None else f"{base}+noise{self.noise_snr_db:g}dB"


def _floats(pcm: bytes) -> npt.NDArray[np.float32]:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def _pcm(audio: npt.NDArray[np.float32]) -> bytes:
    return (np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def _espeak(text: str, voice: Voice) -> tuple[npt.NDArray[np.float32], int]:
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed (Debian package espeak-ng)")
    cmd = [exe, "-v", voice.name or "en-us", "-s", str(int(voice.rate))]
    if voice.pitch is not None:
        cmd += ["-p", str(voice.pitch)]
    wav = subprocess.run([*cmd, "--stdout", text], check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(wav)) as w:
        rate = w.getframerate()
        frames = w.readframes(w.getnframes())
    return _floats(frames), rate


def _piper() -> Synthesizer:
    from voicelive.backends.local import LocalBackend

    return LocalBackend().load().synthesizer


def speak(text: str, voice: Voice, synthesizer: Synthesizer | None = None, *,
          seed: int = 0) -> bytes:
    """Say ``text`` in ``voice``: PCM16 mono at 16 kHz.

    Args:
        text: What to say.
        voice: The voice.
        synthesizer: The Piper synthesiser to use (the offline backend's, loaded once per
            process, when ``None``).
        seed: Seed of the noise (the same text, voice and seed give the same audio).
    """
    from voicelive.backends.local.tts import resample

    if voice.engine == "piper":
        synth = synthesizer or _piper()
        audio = synth.synthesize_float(text, length_scale=voice.rate, deterministic=True) * 0.7
        rate = synth.voice_rate
    else:
        audio, rate = _espeak(text, voice)
    pcm = _pcm(resample(audio.astype(np.float32), rate, INPUT_RATE))
    if voice.noise_snr_db is not None:
        pcm = add_noise(pcm, voice.noise_snr_db, seed=seed)
    return pcm


def _pink(n: int, rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """``n`` samples of pink (1/f) noise of unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    spectrum /= np.sqrt(np.maximum(np.arange(spectrum.size), 1.0))
    noise: npt.NDArray[np.float64] = np.fft.irfft(spectrum, n)
    return noise / (np.sqrt(np.mean(noise**2)) or 1.0)


def add_noise(pcm: bytes, snr_db: float, *, seed: int = 0) -> bytes:
    """Mix pink noise into ``pcm`` at ``snr_db`` below the level of its speech.

    The speech level is the RMS of the louder half of 20 ms frames, so leading and trailing
    silence do not lower it. The noise runs through the whole clip, silences included.
    """
    x = _floats(pcm).astype(np.float64)
    if x.size == 0:
        return pcm
    frame = INPUT_RATE // 50
    usable = x[: x.size - x.size % frame].reshape(-1, frame) if x.size >= frame else x[None, :]
    energies = np.sort(np.mean(usable**2, axis=1))
    level = float(np.sqrt(np.mean(energies[energies.size // 2:])))
    noise = _pink(x.size, np.random.default_rng(seed)) * level / 10 ** (snr_db / 20)
    return _pcm((x + noise).astype(np.float32))


def join_turns(turns: Sequence[bytes], *, pause_s: float = 2.0, lead_s: float = 0.5,
               tail_s: float = 1.0, noise_snr_db: float | None = None, seed: int = 0) -> bytes:
    """One recording of several turns: ``lead_s`` silence, turn, ``pause_s`` silence, ...

    Args:
        turns: Each turn's speech (PCM16 16 kHz; clean, if noise is to be added here).
        pause_s: Silence between turns (the speaker waits for the reply meanwhile).
        lead_s: Silence before the first turn.
        tail_s: Silence after the last turn.
        noise_snr_db: Mix noise through the whole recording at this ratio (see
            :func:`add_noise`).
        seed: Seed of the noise.
    """
    def quiet(seconds: float) -> bytes:
        return bytes(int(INPUT_RATE * seconds) * 2)

    parts: list[Any] = [quiet(lead_s)]
    for i, turn in enumerate(turns):
        if i:
            parts.append(quiet(pause_s))
        parts.append(turn)
    parts.append(quiet(tail_s))
    pcm = b"".join(parts)
    return pcm if noise_snr_db is None else add_noise(pcm, noise_snr_db, seed=seed)
