"""Streaming voice activity detection: Silero VAD probabilities and an end-of-speech decision.

Two parts with one job each:

* :class:`EndpointDetector` is plain synchronous logic. It eats one speech probability per
  32 ms window and says when speech starts, pauses, resumes and ends (after
  ``VadConfig.silence_ms`` of silence). Tests drive it with made-up probabilities.
* :class:`SileroStream` runs the Silero ONNX model (shipped inside faster-whisper) on
  512-sample windows at 16 kHz, keeping the recurrent state and the 64-sample context between
  calls, so audio can arrive in chunks of any size.

:class:`Segmenter` puts them together with a pre-roll buffer, so the utterance handed to the
recogniser starts ``prefix_padding_ms`` before the detector noticed speech.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "SAMPLE_RATE",
    "WINDOW",
    "EndpointDetector",
    "Segment",
    "Segmenter",
    "SileroStream",
    "VadSignal",
]

SAMPLE_RATE = 16000
"""Sample rate the detector works at."""

WINDOW = 512
"""Samples per Silero window (32 ms at 16 kHz)."""

_CONTEXT = 64
WINDOW_MS = WINDOW * 1000 / SAMPLE_RATE

FloatArray = npt.NDArray[np.float32]
ProbabilityFn = Callable[[FloatArray], float]
"""Maps one window of ``WINDOW`` float samples to a speech probability."""


class VadSignal(enum.Enum):
    """What the endpoint detector noticed in one window."""

    START = "start"
    """Speech began (confirmed after ``min_speech_ms``)."""
    PAUSE = "pause"
    """Silence lasted ``pause_ms``: the utterance may be over (a good moment to transcribe)."""
    RESUME = "resume"
    """Speech came back after a ``PAUSE`` but before ``silence_ms``."""
    END = "end"
    """Silence lasted ``silence_ms``: the utterance is over."""


class EndpointDetector:
    """Turns per-window speech probabilities into start/pause/resume/end signals.

    Args:
        threshold: Probability at or above which a window counts as speech.
        silence_ms: Silence that ends an utterance.
        min_speech_ms: Speech needed before a start is reported (filters clicks).
        neg_threshold: Probability below which a window counts as silence while speaking;
            between the two thresholds the previous state holds. Defaults to
            ``threshold - 0.15``.
        pause_ms: Silence after which ``PAUSE`` is reported (the utterance may be over, so a
            recogniser can start early); at most ``silence_ms``.
        window_ms: Duration of one window.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        silence_ms: float = 400.0,
        min_speech_ms: float = 64.0,
        neg_threshold: float | None = None,
        pause_ms: float = 160.0,
        window_ms: float = WINDOW_MS,
    ) -> None:
        self.threshold = threshold
        self.neg_threshold = (
            max(threshold - 0.15, 0.01) if neg_threshold is None else neg_threshold
        )
        self._silence_windows = max(1, round(silence_ms / window_ms))
        self.min_speech_windows = max(1, round(min_speech_ms / window_ms))
        self._pause_windows = min(max(1, round(pause_ms / window_ms)), self._silence_windows)
        self.window_ms = window_ms
        self.reset()

    def reset(self) -> None:
        """Forget everything; the next window starts fresh."""
        self.in_speech = False
        self.paused = False
        self._speech_run = 0
        self._silence_run = 0
        self._index = 0
        self.speech_start_index = 0
        self.last_speech_index = 0
        self._spoke = False
        self.gap_ms: float | None = None
        """At ``START``: silence between the last speech of the utterance before and this one
        (``None`` for the first utterance)."""

    @property
    def index(self) -> int:
        """Number of windows consumed so far."""
        return self._index

    @property
    def silence_ms(self) -> float:
        """Duration of the current run of silence after speech."""
        return self._silence_run * self.window_ms

    @property
    def trailing_silence_ms(self) -> float:
        """Audio heard since the last speech window (valid after ``PAUSE`` and ``END``)."""
        return (self._index - 1 - self.last_speech_index) * self.window_ms

    def force_end(self) -> None:
        """End the current utterance now (used when it runs too long)."""
        self.in_speech = False
        self.paused = False
        self._speech_run = 0
        self._silence_run = 0

    def feed(self, probability: float) -> VadSignal | None:
        """Consume one window's probability and return what changed, if anything."""
        i = self._index
        self._index += 1
        if not self.in_speech:
            if probability >= self.threshold:
                self._speech_run += 1
                if self._speech_run >= self.min_speech_windows:
                    self.in_speech = True
                    self.paused = False
                    self._silence_run = 0
                    self.speech_start_index = i + 1 - self._speech_run
                    self.gap_ms = (None if not self._spoke else (
                        self.speech_start_index - self.last_speech_index - 1) * self.window_ms)
                    self._spoke = True
                    self.last_speech_index = i
                    return VadSignal.START
            else:
                self._speech_run = 0
            return None
        quiet = probability < self.neg_threshold or (
            self._silence_run > 0 and probability < self.threshold
        )
        if not quiet:
            self.last_speech_index = i
            self._silence_run = 0
            if self.paused:
                self.paused = False
                return VadSignal.RESUME
            return None
        self._silence_run += 1
        if self._silence_run >= self._silence_windows:
            self.force_end()
            return VadSignal.END
        if not self.paused and self._silence_run >= self._pause_windows:
            self.paused = True
            return VadSignal.PAUSE
        return None


class SileroStream:
    """Silero VAD over a stream: one ONNX call per 512-sample window, state kept between calls.

    Args:
        session: An ``onnxruntime.InferenceSession`` of the Silero model (may be shared by many
            streams; the recurrent state lives here, not in the session).
    """

    def __init__(self, session: Any) -> None:
        self._session = session
        self.reset()

    def reset(self) -> None:
        """Clear the recurrent state and the context."""
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT, dtype=np.float32)

    def __call__(self, window: FloatArray) -> float:
        """Return the speech probability of one window of ``WINDOW`` samples."""
        x = np.concatenate([self._context, window]).reshape(1, -1).astype(np.float32)
        self._context = window[-_CONTEXT:].astype(np.float32)
        out, self._h, self._c = self._session.run(None, {"input": x, "h": self._h, "c": self._c})
        return float(np.asarray(out).reshape(-1)[0])


@dataclass(frozen=True, slots=True)
class Segment:
    """A VAD signal and, for ``END`` and ``PAUSE``, the utterance audio so far.

    Attributes:
        signal: What happened.
        audio: Float samples at 16 kHz from the pre-roll up to this window (``PAUSE``/``END``).
        trailing_silence_ms: Silence already heard after the last speech window.
    """

    signal: VadSignal
    audio: FloatArray | None = None
    trailing_silence_ms: float = 0.0


class Segmenter:
    """Cuts a stream of 16 kHz samples into utterances using a probability function.

    Args:
        probability: Speech probability of one window (a :class:`SileroStream`, or a fake).
        detector: The endpoint decision logic.
        prefix_padding_ms: Audio kept before the detected start of speech.
        max_utterance_s: An utterance longer than this is ended by force.
    """

    def __init__(
        self,
        probability: ProbabilityFn,
        detector: EndpointDetector,
        *,
        prefix_padding_ms: float = 200.0,
        max_utterance_s: float = 20.0,
    ) -> None:
        self._probability = probability
        self.detector = detector
        pre_windows = int(np.ceil(prefix_padding_ms / WINDOW_MS))
        self.min_speech_windows = detector.min_speech_windows
        self._preroll: deque[FloatArray] = deque(maxlen=pre_windows + self.min_speech_windows - 1)
        self._utterance: list[FloatArray] = []
        self._pending = np.zeros(0, dtype=np.float32)
        self._max_windows = int(max_utterance_s * 1000 / WINDOW_MS)

    @property
    def in_speech(self) -> bool:
        """Whether an utterance is in progress."""
        return self.detector.in_speech

    def reset(self) -> None:
        """Drop buffered audio and detector state (the model state is kept)."""
        self.detector.reset()
        self._preroll.clear()
        self._utterance = []
        self._pending = np.zeros(0, dtype=np.float32)

    def flush(self) -> Segment | None:
        """End the utterance in progress now (the input ran out); ``None`` if there is none."""
        if not self.detector.in_speech:
            self._pending = np.zeros(0, dtype=np.float32)
            return None
        silence = self.detector.trailing_silence_ms
        self.detector.force_end()
        parts = [*self._utterance, self._pending] if self._pending.size else self._utterance
        audio = np.concatenate(parts)
        self._utterance = []
        self._preroll.clear()
        self._pending = np.zeros(0, dtype=np.float32)
        return Segment(VadSignal.END, audio, silence)

    def end_now(self) -> Segment | None:
        """End the utterance in progress at once (an early end of turn); ``None`` if none.

        Unlike :meth:`flush`, the input goes on: samples not yet in a window are kept, and the
        windows after this one are the pre-roll of the next utterance.
        """
        if not self.detector.in_speech:
            return None
        silence = self.detector.trailing_silence_ms
        self.detector.force_end()
        audio = np.concatenate(self._utterance) if self._utterance else np.zeros(0, np.float32)
        self._utterance = []
        self._preroll.clear()
        return Segment(VadSignal.END, audio, silence)

    def feed(self, samples: FloatArray) -> list[Segment]:
        """Consume float samples and return the signals they caused, in order."""
        data = np.concatenate([self._pending, samples]) if self._pending.size else samples
        n = len(data) // WINDOW * WINDOW
        self._pending = data[n:].copy()
        out: list[Segment] = []
        for start in range(0, n, WINDOW):
            window = data[start : start + WINDOW]
            signal = self.detector.feed(self._probability(window))
            if self.detector.in_speech or signal is VadSignal.END:
                if signal is VadSignal.START:
                    self._utterance = list(self._preroll)
                self._utterance.append(window)
            else:
                self._preroll.append(window)
            if signal is None and self.in_speech and len(self._utterance) >= self._max_windows:
                self.detector.force_end()
                signal = VadSignal.END
            if signal is None:
                continue
            if signal in (VadSignal.PAUSE, VadSignal.END):
                audio = np.concatenate(self._utterance)
                out.append(Segment(signal, audio, self.detector.trailing_silence_ms))
                if signal is VadSignal.END:
                    self._utterance = []
                    self._preroll.clear()
            else:
                out.append(Segment(signal))
        return out
