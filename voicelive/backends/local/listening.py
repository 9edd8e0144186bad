"""Hearing the user: speculative transcripts at pauses, transcription, rechecks, early ends.

Speculative recognition: when the detector reports a ``PAUSE`` (96 ms of silence), the
utterance so far is handed to the recogniser at once. If the silence lasts until the end of
speech (``silence_ms``), that transcript is used and most of the recogniser's time has been
hidden inside the silence the detector had to wait for anyway; if the user speaks again it is
thrown away.

Early end of turn: when the transcript taken at that pause is a complete, confident request
(see :mod:`~voicelive.backends.local.early`), the turn ends after ``early_commit_ms`` of
silence instead of the full ``silence_ms``; otherwise the full window is kept.

Second opinion: when the turn's transcript is one the decoder was unsure of (see
:mod:`~voicelive.backends.local.second`) and a second recogniser (Whisper base) is loaded, it
hears the turn's audio again once the turn has ended, and :func:`~.second.choose` decides
which reading the turn acts on.

Every model call runs in a worker thread under its recogniser's lock
(:func:`~.models.recogniser_lock`: the first recogniser's is shared by every session, the
second's is its own, so a second hearing never makes a first one wait); the event loop only
waits for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import anyio
import numpy as np
import numpy.typing as npt

from .doubt import Verdict, rival_texts, score_readings, weigh
from .early import CompletenessJudge, commit_early
from .models import LocalModels, recogniser_lock
from .second import (
    DEFAULT_MIN_CONFIDENCE,
    Choice,
    Reason,
    choose,
    needs_second_opinion,
    resolve_doubt,
)
from .stt import HeardScorer, Hearing, Transcriber
from .understand import DialogueState, Understander, Understanding
from .vad import Segment, Segmenter

__all__ = ["Listener", "Opinion", "Speculation"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, eq=False)
class Opinion:
    """A second recogniser's hearing of an utterance and what it decided.

    Attributes:
        reason: Why it was asked (see :func:`~.second.needs_second_opinion`).
        choice: Which reading the turn acts on; ``None`` when the second hearing failed.
        hearing: The second recogniser's hearing (``None`` when it failed).
    """

    reason: Reason
    choice: Choice | None = None
    hearing: Hearing | None = None


@dataclass(eq=False)
class Speculation:
    """A transcript started at a pause, before the utterance is known to have ended.

    Attributes:
        samples: Samples of the utterance it was started on.
        done: Set once it has finished (or was given up).
        hearing: What the recogniser heard (``None`` when superseded or nothing was heard).
        result: What the understanding made of it.
        complete: The judge's verdict on the transcript (``None`` until it is known).
        heard_at: When the transcript was ready (``time.perf_counter``).
        understood_at: When the understanding was ready.
    """

    samples: int
    done: anyio.Event
    hearing: Hearing | None = None
    result: Understanding | None = None
    complete: bool | None = None
    heard_at: float | None = None
    understood_at: float | None = None


class Listener:
    """The recognising side of one connection.

    Args:
        models: The loaded models (the recogniser and its lock are used).
        understander: The understanding of the connection's tools.
        segmenter: Cuts the connection's audio into utterances.
        prompt_ids: The recogniser's biasing prompt, as token ids.
        dialogue: The conversation's dialogue state at the moment it is needed.
        hypotheses: Transcripts asked of the recogniser per utterance (beam width too).
        check_slots: Check understood text values against the audio.
        early_commit_ms: Silence after which a complete request ends the turn (0: never).
        judge: Says whether a speculative transcript is a complete, confident request.
        check_writes: Weigh a write's reading against its rivals in the audio first (see
            :mod:`~voicelive.backends.local.doubt`).
        second: The recogniser of second opinions (``None``: none are asked).
        second_prompt_ids: Its biasing prompt, as token ids.
    """

    def __init__(
        self,
        models: LocalModels,
        understander: Understander,
        segmenter: Segmenter,
        *,
        prompt_ids: list[int],
        dialogue: Callable[[], DialogueState],
        hypotheses: int,
        check_slots: bool,
        early_commit_ms: float,
        judge: CompletenessJudge,
        check_writes: bool = True,
        second: Transcriber | None = None,
        second_prompt_ids: list[int] | None = None,
    ) -> None:
        self._models = models
        self.second = second
        self._second_prompt_ids = second_prompt_ids or []
        self.min_confidence = DEFAULT_MIN_CONFIDENCE
        """Below this mean log-probability per token, a transcript gets a second opinion."""
        self._understander = understander
        self.segmenter = segmenter
        self._prompt_ids = prompt_ids
        self._dialogue = dialogue
        self._hypotheses = max(1, hypotheses)
        self.check_slots = check_slots
        self._early_ms = early_commit_ms
        self._judge = judge
        self.check_writes = check_writes
        self.speculation: Speculation | None = None
        """The transcript started at the current pause, if any."""

    def early_end(self) -> Segment | None:
        """End the utterance now if the transcript at this pause is a whole request."""
        spec = self.speculation
        if spec is None or not spec.done.is_set():
            return None
        detector = self.segmenter.detector
        if commit_early(paused=detector.paused, silence_ms=detector.silence_ms,
                        early_ms=self._early_ms, verdict=spec.complete):
            return self.segmenter.end_now()
        return None

    async def transcribe(
        self, audio: npt.NDArray[np.float32], spec: Speculation | None = None
    ) -> Hearing | None:
        """The recogniser's hypotheses of ``audio`` (``None`` if ``spec`` was superseded)."""
        def work() -> Hearing | None:
            with self._models.stt_lock:
                if spec is not None and self.speculation is not spec:
                    return None  # superseded while queued: the user kept talking
                n = self._hypotheses
                return self._models.transcriber.listen(audio, prompt_ids=self._prompt_ids,
                                                       beam_size=n, count=n)

        return await anyio.to_thread.run_sync(work)

    async def recheck(self, hearing: Hearing, result: Understanding,
                      by: Transcriber | None = None) -> Understanding | None:
        """The result with text values the audio supports better, or ``None`` if it stands.

        ``by`` is the recogniser that heard ``hearing`` (the first one by default).
        """
        def work() -> Understanding | None:
            with recogniser_lock(self._models, by):
                return self._understander.recheck(
                    result, HeardScorer(by or self._models.transcriber, hearing))

        return await anyio.to_thread.run_sync(work)

    async def weigh(self, hearing: Hearing, result: Understanding, before: DialogueState,
                    rejected: Sequence[Understanding] = (),
                    by: Transcriber | None = None) -> Verdict:
        """Whether the writes of ``result`` are what the audio says (see :func:`.doubt.weigh`).

        The other hypotheses and the number twins of the heard text are understood from
        ``before`` (the dialogue state the turn started from), off the event loop; only the
        scoring takes the recogniser's lock. ``rejected`` holds the result before a slot
        check corrected it; ``by`` is the recogniser that heard ``hearing``.
        """
        def work() -> Verdict:
            others, twins = rival_texts(hearing.texts, result.text)
            understand = self._understander.understand
            scorer = HeardScorer(by or self._models.transcriber, hearing)

            def score(readings: Sequence[str]) -> list[float] | None:
                with recogniser_lock(self._models, by):
                    return score_readings(readings, scorer)

            return weigh(result, [understand([t], before) for t in others], score,
                         twins=[understand([t], before) for t in twins], rejected=rejected,
                         before=before)

        return await anyio.to_thread.run_sync(work)

    def unsure(self, hearing: Hearing | None, result: Understanding | None) -> Reason | None:
        """Why ``result`` should get a second opinion (``None``: it stands, or none can be had)."""
        if self.second is None or hearing is None or result is None:
            return None
        return needs_second_opinion(result, hearing.confidence,
                                    min_confidence=self.min_confidence)

    async def second_opinion(
        self, audio: npt.NDArray[np.float32], hearing: Hearing, result: Understanding,
        before: DialogueState, reason: Reason, rival: Understanding | None = None,
    ) -> Opinion | None:
        """Hear ``audio`` again with the second recogniser and choose a reading.

        ``hearing`` and ``result`` are the first recogniser's; ``before`` is the dialogue
        state they were understood from (:func:`~.second.choose` decides). With ``rival``
        (the write check's question between ``result`` and it), the second reading answers
        that question if it can (:func:`~.second.resolve_doubt`). ``None`` without a second
        recogniser.
        """
        second = self.second
        if second is None:
            return None

        def work() -> Opinion:
            with recogniser_lock(self._models, second):  # not the first recogniser's lock
                n = self._hypotheses
                heard = second.listen(audio, prompt_ids=self._second_prompt_ids, beam_size=n,
                                      count=n)
            texts = [t.strip() for t in heard.texts if t.strip()]
            reading = self._understander.understand(texts, before)
            if rival is not None:
                return Opinion(reason, resolve_doubt(result, rival, reading), heard)
            return Opinion(reason, choose(result, reading, heard.confidence), heard)

        try:
            return await anyio.to_thread.run_sync(work)
        except Exception:  # a broken second opinion leaves the first reading standing
            _log.warning("the second opinion failed; the first reading stands", exc_info=True)
            return Opinion(reason)

    async def speculate(self, spec: Speculation, audio: npt.NDArray[np.float32]) -> None:
        """Transcribe, understand and judge the utterance so far; sets ``spec.done``.

        No second opinion is started here: a pause inside a request often ends in an unsure
        transcript of its first half, and once Whisper base runs (about 0.3 s of both cores)
        it cannot be stopped when the user speaks on, so the next transcription would share
        the CPU with it. It runs once the turn has ended, and only if the final reading is
        unsure.
        """
        try:
            spec.hearing = await self.transcribe(audio, spec)
            if spec.hearing is not None and self.speculation is spec:
                spec.heard_at = time.perf_counter()
                await anyio.to_thread.run_sync(self._understand, spec)
        finally:
            spec.done.set()

    def _understand(self, spec: Speculation) -> None:
        """Understand the speculative transcript and judge it (in a worker thread)."""
        texts = [t.strip() for t in spec.hearing.texts if t.strip()] if spec.hearing else []
        spec.result = self._understander.understand(texts, self._dialogue())
        spec.understood_at = time.perf_counter()
        spec.complete = bool(texts) and self._judge(texts, spec.result)
