"""Speech to text with a CTranslate2 Whisper model (faster-whisper), biased toward the tools.

The model and its tokenizer are loaded through ``faster_whisper.WhisperModel``; decoding calls the
CTranslate2 ``generate`` directly (greedy, or a small beam returning the n best transcripts, which
the intent matcher chooses from) and a "previous text" prompt. The prompt is
what biases the recogniser: it lists the phrases and slot values the registered tools understand
(meal names, foods, activities), so a robotic or accented "swap rice for quinoa" is not heard as
"swap right for a window".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from voicelive.exceptions import MissingExtraError, ModelLoadError

__all__ = ["Transcriber", "build_prompt"]

_log = logging.getLogger(__name__)

_FRAMES_PER_SECOND = 100
_FULL_CONTEXT_FRAMES = 3000
_MAX_PROMPT_TOKENS = 200
_LEAD_IN_SAMPLES = 4800  # 300 ms


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


class Transcriber:
    """Greedy Whisper transcription of one utterance at a time.

    Args:
        model_path: Directory of a CTranslate2 Whisper model (``model.bin``, ``config.json``,
            tokenizer).
        cpu_threads: Threads CTranslate2 may use.
        compute_type: CTranslate2 compute type; ``int8`` is fastest on CPU.
        context_s: Seconds of encoder context. ``None`` uses Whisper's full 30 s (most
            accurate); a smaller value such as 10 is about three times faster on CPU and a
            little less accurate.
        language: Spoken language for multilingual models.
    """

    def __init__(
        self,
        model_path: str,
        *,
        cpu_threads: int = 2,
        compute_type: str = "int8",
        context_s: float | None = None,
        language: str = "en",
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
        self._frames = (
            _FULL_CONTEXT_FRAMES
            if context_s is None
            else max(100, min(_FULL_CONTEXT_FRAMES, int(context_s * _FRAMES_PER_SECOND)))
        )
        self._prefix = self._start_tokens(language)

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
        if audio.size < 1600:
            return []
        # Pad the audio (not the features) with silence to the encoder window, as Whisper was
        # trained; it is measurably more accurate on synthetic voices than zero features.
        frames = self._frames
        # A little silence before the speech: with a prompt, Whisper mishears a first word
        # that starts right at the beginning of its window ("ice-kipped" for "I skipped").
        lead = np.zeros(_LEAD_IN_SAMPLES, dtype=np.float32)
        clip = np.concatenate([lead, audio.astype(np.float32)])[: frames * 160]
        padded = np.pad(clip, (0, frames * 160 - len(clip)))
        features = self._fe(padded, padding=0)[:, :frames]
        features = np.ascontiguousarray(features[None], dtype=np.float32)
        ids = list(prompt_ids)
        prev = self._token("<|startofprev|>")
        prompt = ([prev, *ids] if ids and prev is not None else []) + self._prefix
        count = max(1, count)
        result: Any = self._model.model.generate(
            self._ct2.StorageView.from_array(features),
            [prompt],
            beam_size=max(beam_size, count),
            num_hypotheses=count,
            max_length=min(448, len(prompt) + 100),
            suppress_blank=True,
            repetition_penalty=1.1,
            no_repeat_ngram_size=4,
        )
        texts: list[str] = []
        for seq in result[0].sequences_ids:
            text = str(self._tok.decode(seq)).strip()
            if text and text not in texts:
                texts.append(text)
        _log.debug("transcribed %.2f s of audio: %r", audio.size / 16000, texts)
        return texts
