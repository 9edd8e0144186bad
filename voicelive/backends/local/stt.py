"""Speech to text with a CTranslate2 Whisper model (faster-whisper), biased toward the tools.

The model and its tokenizer are loaded through ``faster_whisper.WhisperModel``; decoding calls the
CTranslate2 ``generate`` directly (greedy, or a small beam returning the n best transcripts, which
the intent matcher chooses from) and a "previous text" prompt. The prompt is
what biases the recogniser: it lists the phrases and slot values the registered tools understand
(meal names, foods, activities), so a robotic or accented "swap rice for quinoa" is not heard as
"swap right for a window".
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from voicelive.exceptions import MissingExtraError, ModelLoadError

from .readings import whole_first

__all__ = [
    "DEFAULT_LEAD_IN_S",
    "HeardScorer",
    "Hearing",
    "Transcriber",
    "build_prompt",
    "context_frames",
    "window_audio",
]

_log = logging.getLogger(__name__)

_FRAMES_PER_SECOND = 100
_FULL_CONTEXT_FRAMES = 3000
_MAX_PROMPT_TOKENS = 200
_SAMPLES_PER_ENCODER_FRAME = 320  # the encoder halves the 100 feature frames per second
_SCORING_MARGIN_FRAMES = 50  # 1 s of the padding silence kept when scoring
_MIN_CONTEXT_FRAMES = 100

DEFAULT_CONTEXT_MARGIN_S = 5.0
"""Silence after the utterance in a context sized to it (see :func:`context_frames`)."""

DEFAULT_LEAD_IN_S = 0.3
"""Silence put before an utterance in the recogniser's window (see :func:`window_audio`).

With a prompt, Whisper mishears a first word that starts right at the beginning of its
window ("ice-kipped" for "I skipped"); the voice detector's pre-roll (200 ms) is often not
enough silence on its own.
"""


def context_frames(
    samples: int, *, fixed_s: float | None = None, margin_s: float | None = None
) -> int:
    """Feature frames (100 per second) of the encoder window for an utterance.

    Whisper was trained on 30 s windows and faster-whisper always encodes all of them, yet
    the encoder's cost grows with the window: a window sized to the utterance plus a few
    seconds of silence is about three times faster for a short request and, measured on the
    offline spoken set, as accurate (see docs/benchmarks.md). With neither argument the full
    30 s window is used.

    Args:
        samples: Samples (16 kHz) the window must hold, lead-in silence included.
        fixed_s: A fixed window in seconds (overrides ``margin_s``).
        margin_s: Seconds of silence after the utterance; the window is rounded up to a whole
            second.

    Returns:
        Frames, between 100 (1 s) and 3,000 (30 s).
    """
    if fixed_s is not None:
        frames = int(fixed_s * _FRAMES_PER_SECOND)
    elif margin_s is not None:
        seconds = -(-(samples + int(margin_s * 16000)) // 16000)  # ceiling
        frames = seconds * _FRAMES_PER_SECOND
    else:
        frames = _FULL_CONTEXT_FRAMES
    return max(_MIN_CONTEXT_FRAMES, min(_FULL_CONTEXT_FRAMES, frames))


def window_audio(
    audio: npt.NDArray[np.float32], *, lead_in_s: float = DEFAULT_LEAD_IN_S,
    fixed_s: float | None = None, margin_s: float | None = DEFAULT_CONTEXT_MARGIN_S,
) -> npt.NDArray[np.float32]:
    """The utterance as the encoder reads it: lead-in silence, the audio, silence to the end.

    The audio (not the features) is padded with silence to the encoder window, as Whisper
    was trained; that is measurably more accurate on synthetic voices than zero features.

    Args:
        audio: Float samples at 16 kHz.
        lead_in_s: Silence before the audio.
        fixed_s: A fixed window in seconds (see :func:`context_frames`).
        margin_s: Silence after the utterance in a window sized to it.

    Returns:
        ``context_frames(...) * 160`` samples (the window; longer audio is cut).
    """
    lead = np.zeros(round(lead_in_s * 16000), dtype=np.float32)
    frames = context_frames(lead.size + audio.size, fixed_s=fixed_s, margin_s=margin_s)
    clip = np.concatenate([lead, audio.astype(np.float32)])[: frames * 160]
    return np.pad(clip, (0, frames * 160 - len(clip)))


def build_prompt(phrases: Iterable[str], vocabulary: Iterable[str], *, limit: int = 900) -> str:
    """Build a recogniser prompt from example phrases and slot vocabulary.

    Whisper reads the prompt as text that came just before the audio, so it is written as
    sentences: example requests first, then the vocabulary as a comma-separated list. Duplicates
    are dropped and the result is cut to about ``limit`` characters.

    Args:
        phrases: Example requests (for instance one rendering of each tool template).
        vocabulary: Words the user is likely to say (meal names, foods, activities).
        limit: Maximum characters.

    Returns:
        The prompt text (possibly empty).
    """
    seen: set[str] = set()
    parts: list[str] = []
    for phrase in phrases:
        text = " ".join(phrase.split()).strip(" .")
        if text and text.lower() not in seen:
            seen.add(text.lower())
            parts.append(text[0].upper() + text[1:] + ".")
    words: list[str] = []
    for word in vocabulary:
        w = " ".join(word.split())
        if w and w.lower() not in seen:
            seen.add(w.lower())
            words.append(w)
    prompt = " ".join(parts)
    if words:
        prompt = (prompt + " " if prompt else "") + ", ".join(words) + "."
    if len(prompt) > limit:
        prompt = prompt[:limit].rsplit(" ", 1)[0]
    return prompt


@dataclass(frozen=True, slots=True, eq=False)
class Hearing:
    """What the recogniser made of one utterance.

    Attributes:
        texts: Distinct transcripts, most likely first (empty when nothing was recognised).
        encoded: The encoder's output for the utterance (kept so that other readings of it
            can be scored without encoding the audio again); ``None`` when nothing was encoded.
        speech_frames: Encoder frames that hold the utterance (the rest is padding).
        scores: Per transcript, the decoder's mean log-probability per token (natural log;
            lower means less sure); empty when nothing was recognised.
        no_speech: The model's probability that the window holds no speech (0 when unknown).
    """

    texts: tuple[str, ...] = ()
    encoded: Any = None
    speech_frames: int = 0
    scores: tuple[float, ...] = ()
    no_speech: float = 0.0

    @property
    def confidence(self) -> float | None:
        """Mean log-probability per token of the first transcript (``None``: none heard)."""
        return self.scores[0] if self.scores else None


class Transcriber:
    """Greedy Whisper transcription of one utterance at a time.

    Args:
        model_path: Directory of a CTranslate2 Whisper model (``model.bin``, ``config.json``,
            tokenizer).
        cpu_threads: Threads CTranslate2 may use.
        compute_type: CTranslate2 compute type; ``int8`` is fastest on CPU.
        context_s: A fixed encoder context in seconds (30 is Whisper's full window); ``None``
            sizes the context to each utterance (see :func:`context_frames`).
        context_margin_s: Silence after the utterance in a sized context; ``None`` with
            ``context_s=None`` uses the full 30 s window.
        language: Spoken language for multilingual models.
        lead_in_s: Silence put before each utterance (see :data:`DEFAULT_LEAD_IN_S`).
    """

    def __init__(
        self,
        model_path: str,
        *,
        cpu_threads: int = 2,
        compute_type: str = "int8",
        context_s: float | None = None,
        context_margin_s: float | None = DEFAULT_CONTEXT_MARGIN_S,
        language: str = "en",
        lead_in_s: float = DEFAULT_LEAD_IN_S,
    ) -> None:
        try:
            import ctranslate2
            from faster_whisper import WhisperModel
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingExtraError("the local backend's speech recogniser", "local",
                                    exc.name or "faster_whisper") from exc
        try:
            self._model = WhisperModel(str(model_path), device="cpu", compute_type=compute_type,
                                       cpu_threads=cpu_threads)
        except Exception as exc:
            raise ModelLoadError(f"cannot load the Whisper model at {model_path}: {exc}") from exc
        self._ct2 = ctranslate2
        self.model_path = str(model_path)
        self._tok = self._model.hf_tokenizer
        self._fe = self._model.feature_extractor
        self.context_s = context_s
        self.context_margin_s = context_margin_s
        self.lead_in_s = lead_in_s
        self._prefix = self._start_tokens(language)
        self._word_ids = functools.lru_cache(maxsize=4096)(self._encode_words)

    def _token(self, text: str) -> int | None:
        tid = self._tok.token_to_id(text)
        return None if tid is None else int(tid)

    def _start_tokens(self, language: str) -> list[int]:
        sot = self._token("<|startoftranscript|>")
        notimestamps = self._token("<|notimestamps|>")
        if sot is None or notimestamps is None:
            raise ModelLoadError(f"{self.model_path} does not look like a Whisper model")
        tokens = [sot]
        if self._model.model.is_multilingual:
            lang = self._token(f"<|{language.split('-')[0].lower()}|>")
            transcribe = self._token("<|transcribe|>")
            tokens += [t for t in (lang, transcribe) if t is not None]
        tokens.append(notimestamps)
        return tokens

    def prompt_tokens(self, text: str) -> list[int]:
        """Token ids of ``text`` as a prompt, for callers that keep one prompt per session."""
        if not text.strip():
            return []
        ids: list[int] = list(self._tok.encode(" " + text.strip(), add_special_tokens=False).ids)
        return ids[-_MAX_PROMPT_TOKENS:]

    def transcribe(
        self, audio: npt.NDArray[np.float32], *, prompt_ids: Sequence[int] = (),
        beam_size: int = 1,
    ) -> str:
        """Transcribe one utterance.

        Args:
            audio: Float samples in [-1, 1] at 16 kHz; at most 30 s are used.
            prompt_ids: Biasing prompt tokens from :meth:`prompt_tokens` (the model is shared
                by sessions, so each session keeps its own prompt).
            beam_size: 1 is greedy decoding (fastest); larger searches more hypotheses.

        Returns:
            The text, stripped; empty when nothing was recognised.
        """
        found = self.hypotheses(audio, prompt_ids=prompt_ids, beam_size=beam_size, count=1)
        return found[0] if found else ""

    def hypotheses(
        self, audio: npt.NDArray[np.float32], *, prompt_ids: Sequence[int] = (),
        beam_size: int = 1, count: int = 1,
    ) -> list[str]:
        """The ``count`` best transcripts of one utterance, most likely first.

        A caller that knows what may be said (the intent matcher) can take the first
        hypothesis that makes sense instead of the first one: a small model's runner-up is
        often the right words ("an apple" after "a napple").

        Args:
            audio: Float samples in [-1, 1] at 16 kHz; at most 30 s are used.
            prompt_ids: Biasing prompt tokens from :meth:`prompt_tokens`.
            beam_size: Beam width; raised to ``count`` when smaller.
            count: How many hypotheses to return.

        Returns:
            Distinct non-empty texts, stripped; empty when nothing was recognised.
        """
        return list(self.listen(audio, prompt_ids=prompt_ids, beam_size=beam_size,
                                count=count).texts)

    def listen(
        self, audio: npt.NDArray[np.float32], *, prompt_ids: Sequence[int] = (),
        beam_size: int = 1, count: int = 1,
    ) -> Hearing:
        """Transcribe one utterance and keep its encoding for :meth:`next_token_logprobs`.

        Args:
            audio: Float samples in [-1, 1] at 16 kHz; at most 30 s are used.
            prompt_ids: Biasing prompt tokens from :meth:`prompt_tokens`.
            beam_size: Beam width; raised to ``count`` when smaller.
            count: How many transcripts to return.

        Returns:
            The transcripts (distinct, non-empty, stripped) and the encoded audio.
        """
        if audio.size < 1600:
            return Hearing()
        padded = window_audio(audio, lead_in_s=self.lead_in_s, fixed_s=self.context_s,
                              margin_s=self.context_margin_s)
        frames = padded.size // 160
        features = self._fe(padded, padding=0)[:, :frames]
        features = np.ascontiguousarray(features[None], dtype=np.float32)
        encoded = self._model.model.encode(self._ct2.StorageView.from_array(features))
        ids = list(prompt_ids)
        prev = self._token("<|startofprev|>")
        prompt = ([prev, *ids] if ids and prev is not None else []) + self._prefix
        count = max(1, count)
        result: Any = self._model.model.generate(
            encoded,
            [prompt],
            beam_size=max(beam_size, count),
            num_hypotheses=count,
            max_length=min(448, len(prompt) + 100),
            suppress_blank=True,
            repetition_penalty=1.1,
            no_repeat_ngram_size=4,
            return_scores=True,
            return_no_speech_prob=True,
        )
        texts: list[str] = []
        scores: list[float] = []
        found = result[0]
        for k, seq in enumerate(found.sequences_ids):
            text = str(self._tok.decode(seq)).strip()
            if text and text not in texts:
                texts.append(text)
                # with length_penalty 1 the score is the sum of log-probabilities over length
                scores.append(float(found.scores[k]) if k < len(found.scores) else 0.0)
        _log.debug("transcribed %.2f s of audio: %r", audio.size / 16000, texts)
        order = whole_first(texts, audio.size / 16000)  # a first transcript cut short goes back
        texts, scores = [texts[k] for k in order], [scores[k] for k in order]
        held = min(padded.size, round(self.lead_in_s * 16000) + audio.size)
        speech = -(-held // _SAMPLES_PER_ENCODER_FRAME)
        return Hearing(tuple(texts), encoded, speech, tuple(scores),
                       float(getattr(found, "no_speech_prob", 0.0) or 0.0))

    def token_ids(self, text: str) -> list[int]:
        """Token ids of ``text`` as it follows other words (with a leading space)."""
        words = " ".join(text.split())
        return list(self._word_ids(words)) if words else []

    def _encode_words(self, words: str) -> tuple[int, ...]:
        return tuple(self._tok.encode(" " + words, add_special_tokens=False).ids)

    def token_logprobs(
        self, hearing: Hearing, token_lists: Sequence[Sequence[int]]
    ) -> list[list[float]] | None:
        """Log-probability of every token of each reading, given the utterance.

        The model reads the utterance without a biasing prompt and is forced through each
        token list (in one batch); nothing is generated.

        Args:
            hearing: The utterance, from :meth:`listen`.
            token_lists: Readings as token ids (from :meth:`token_ids`).

        Returns:
            Per reading, one natural-log probability per token; ``None`` when the hearing
            holds no encoding or a reading is empty or too long.
        """
        if hearing.encoded is None or not token_lists or not all(token_lists):
            return None
        if len(self._prefix) + max(len(t) for t in token_lists) >= 440:
            return None
        batch, frames = self._scoring_batch(hearing, len(token_lists))
        results: Any = self._model.model.align(
            batch, self._prefix, [list(t) for t in token_lists], [2 * frames] * len(token_lists),
            median_filter_width=1)
        out: list[list[float]] = []
        for tokens, result in zip(token_lists, results, strict=True):
            probs = np.asarray(result.text_token_probs, dtype=np.float64)
            if probs.shape != (len(tokens),):
                return None
            out.append([float(v) for v in np.log(np.maximum(probs, 1e-12))])
        return out

    def next_token_logprobs(
        self, hearing: Hearing, prefixes: Sequence[Sequence[int]]
    ) -> list[npt.NDArray[np.float32] | None]:
        """Log-probabilities of every token coming next after each token prefix.

        The model reads the utterance (no biasing prompt) and is forced through the prefix;
        what it would write next is the distribution returned. This is how the values of a
        slot are ranked against the audio: "swap the rice for" followed by " qu" (quinoa)
        against " t" (tilapia).

        Args:
            hearing: The utterance, from :meth:`listen`.
            prefixes: Transcript beginnings as token ids (from :meth:`token_ids`).

        Returns:
            One vector over the vocabulary per prefix; ``None`` where the model did not yield
            one (an empty hearing, or a prefix too long for the decoder).
        """
        if hearing.encoded is None or not prefixes:
            return [None] * len(prefixes)
        needed = max(len(p) for p in prefixes) + 1
        if len(self._prefix) + needed >= 440:
            return [None] * len(prefixes)
        batch, _ = self._scoring_batch(hearing, len(prefixes))
        # CTranslate2 counts forced tokens twice against ``max_length``: twice the number of
        # steps wanted yields one logit vector per forced token plus the next one.
        results: Any = self._model.model.generate(
            batch, [self._prefix + list(p) for p in prefixes], beam_size=1,
            max_length=min(448, 2 * needed), return_logits_vocab=True,
            suppress_blank=False, suppress_tokens=[])
        out: list[npt.NDArray[np.float32] | None] = []
        for prefix, result in zip(prefixes, results, strict=True):
            steps = result.logits[0] if result.logits else []
            out.append(_log_softmax(steps[len(prefix)]) if len(steps) > len(prefix) else None)
        return out

    def _scoring_batch(self, hearing: Hearing, size: int) -> tuple[Any, int]:
        """The encoded utterance repeated ``size`` times, cut to the frames that hold it.

        The decoder's cross-attention over the whole 30 s window is wasted on silence;
        keeping the speech and a second of padding makes scoring several times cheaper.
        """
        encoded = np.asarray(hearing.encoded)
        keep = min(encoded.shape[1], hearing.speech_frames + _SCORING_MARGIN_FRAMES)
        batch = np.ascontiguousarray(np.repeat(encoded[:, :keep], size, axis=0))
        return self._ct2.StorageView.from_array(batch), keep


class HeardScorer:
    """Scores readings of one heard utterance; a :class:`~.slotcheck.SlotScorer`.

    Args:
        transcriber: The recogniser that heard it.
        hearing: What :meth:`Transcriber.listen` returned for the utterance.
    """

    def __init__(self, transcriber: Transcriber, hearing: Hearing) -> None:
        self._transcriber = transcriber
        self._hearing = hearing

    def token_ids(self, text: str) -> list[int]:
        """See :meth:`Transcriber.token_ids`."""
        return self._transcriber.token_ids(text)

    def token_logprobs(self, token_lists: Sequence[Sequence[int]]) -> list[list[float]] | None:
        """See :meth:`Transcriber.token_logprobs`."""
        return self._transcriber.token_logprobs(self._hearing, token_lists)

    def next_token_logprobs(
        self, prefixes: Sequence[Sequence[int]]
    ) -> list[npt.NDArray[np.float32] | None]:
        """See :meth:`Transcriber.next_token_logprobs`."""
        return self._transcriber.next_token_logprobs(self._hearing, prefixes)


def _log_softmax(logits: Any) -> npt.NDArray[np.float32]:
    values = np.asarray(logits, dtype=np.float32).reshape(-1)
    shifted: npt.NDArray[np.float32] = values - values.max()
    out: npt.NDArray[np.float32] = shifted - np.float32(np.log(np.exp(shifted).sum()))
    return out
