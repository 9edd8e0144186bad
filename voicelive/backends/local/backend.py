"""The offline backend: VAD -> speech-to-text -> intent -> tool -> text-to-speech, no network.

:class:`LocalBackend` fulfils the same :class:`~voicelive.backends.base.Backend` contract as the
Gemini backend. Its connection runs one worker task that moves bytes between the models; every
decision (who has the floor, whether speech is a barge-in, which reply is stale, the latency of
a turn) is taken by :class:`~voicelive.backends.local.turns.TurnTracker` and the endpoint logic
in :mod:`~voicelive.backends.local.vad`.

Speculative recognition: when the detector reports a ``PAUSE`` (96 ms of silence), the
utterance so far is handed to the recogniser at once. If the silence lasts until the end of
speech (``silence_ms``), that transcript is used and most of the recogniser's time has been
hidden inside the silence the detector had to wait for anyway; if the user speaks again it is
thrown away.

Early end of turn: when the transcript taken at that pause is a complete, confident request
(see :mod:`~voicelive.backends.local.early`), the turn ends after ``early_commit_ms`` of
silence instead of the full ``silence_ms``; otherwise the full window is kept.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import anyio
import numpy as np
import numpy.typing as npt
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from voicelive.backends.base import OUTPUT_RATE
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    Event,
    Interrupted,
    ToolCall,
    ToolCallCancellation,
    TurnComplete,
    UserTranscript,
)
from voicelive.exceptions import AudioFormatError, ClosedError
from voicelive.speakable import speakable

from .confirming import FOLLOW_UP_TIMEOUT_S, asks_confirmation, moved_on
from .early import DEFAULT_EARLY_COMMIT_MS, CompletenessJudge, commit_early, judge_by_match
from .intent import IntentMatch, IntentMatcher
from .models import LocalModels, ProgressHook, load_models
from .reply import as_sentence, help_reply, render_result
from .stt import HeardScorer, Hearing, build_prompt
from .turns import Phase, TurnTracker
from .vad import EndpointDetector, Segment, Segmenter, SileroStream, VadSignal

if TYPE_CHECKING:
    from voicelive.config import SessionConfig
    from voicelive.tools import ToolRegistry

__all__ = ["LocalBackend", "LocalConnection"]

_log = logging.getLogger(__name__)

_CHUNK_BYTES = OUTPUT_RATE * 2 // 10  # 100 ms of reply audio per AudioOut


def _nutrition(name: str) -> Any:
    """An attribute of the nutrition toolkit, or ``None`` when it cannot be imported."""
    try:
        import voicelive.nutrition as nutrition
    except ImportError:
        return None
    return getattr(nutrition, name, None)


def _nutrition_slot_values() -> dict[str, list[str]]:
    values: Mapping[str, Sequence[str]] = _nutrition("SLOT_VALUES") or {}
    return {str(k): [str(v) for v in vs] for k, vs in values.items()}


class LocalBackend:
    """The embedded, offline backend.

    Models are loaded once per process and shared by every connection (see
    :func:`~voicelive.backends.local.models.load_models`); :meth:`load` loads them ahead of the
    first session, with an optional progress hook.

    Args:
        whisper_model: Directory of a CTranslate2 Whisper model (``tiny.en`` by default).
        voice_path: Piper ``.onnx`` voice (the ``joe`` US English voice by default).
        slot_values: Known values of template lists (``{"food": [...]}``), used to build the
            lists and to bias recognition; the nutrition toolkit's values by default.
        stt_context_s: A fixed encoder context of the recogniser in seconds (30 is Whisper's
            full window); ``None`` sizes it to each utterance (about three times faster than
            30 s for a short request, as accurate on the spoken set).
        progress: Called with a message before each model-loading step (first load only).
        speculative: Start recognising at the first pause instead of at the end of speech.
        speculate_after_ms: Silence after which speculative recognition starts.
        hypotheses: Transcripts the recogniser proposes per utterance (beam search); the
            intent matcher takes the first one that fits a template with known values. 1 is
            greedy decoding (a little faster, clearly less accurate on unclear speech).
        check_slots: Check the slot values of a matched request against the audio (see
            :mod:`~voicelive.backends.local.slotcheck`); costs a few tens of milliseconds and
            corrects a known value heard as another ("quinoa" as "tilapia").
        plausible: ``plausible(slot, value)`` says whether a heard slot value that is not a
            known one could be meant; an implausible one gives way to the likeliest known
            value. With the default slot values, the nutrition toolkit's food check.
        early_commit_ms: Silence after which a complete, confident request ends the turn
            (before the full ``VadConfig.silence_ms``); 0 switches early ends off.
        judge: Says whether a transcript is a complete, confident request (see
            :class:`~voicelive.backends.local.early.CompletenessJudge`);
            :func:`~voicelive.backends.local.early.judge_by_match` by default.
    """

    name = "local"

    def __init__(
        self,
        *,
        whisper_model: str | os.PathLike[str] | None = None,
        voice_path: str | os.PathLike[str] | None = None,
        slot_values: Mapping[str, Sequence[str]] | None = None,
        stt_context_s: float | None = None,
        progress: ProgressHook | None = None,
        speculative: bool = True,
        speculate_after_ms: float = 96.0,
        hypotheses: int = 4,
        check_slots: bool = True,
        plausible: Callable[[str, str], bool] | None = None,
        early_commit_ms: float = DEFAULT_EARLY_COMMIT_MS,
        judge: CompletenessJudge | None = None,
    ) -> None:
        self.early_commit_ms = early_commit_ms
        self.judge: CompletenessJudge = judge or judge_by_match
        self._whisper = whisper_model
        self._plausible = plausible
        self._voice = voice_path
        self._slot_values = slot_values
        self._context = stt_context_s
        self._progress = progress
        self.speculative = speculative
        self.speculate_after_ms = speculate_after_ms
        self.hypotheses = max(1, hypotheses)
        self.check_slots = check_slots

    def default_model(self) -> str:
        """Return the recogniser and voice names, e.g. ``whisper:model+piper:en_US-joe-medium``."""
        whisper = os.path.basename(os.path.normpath(str(self._whisper))) if self._whisper else (
            "tiny.en")
        voice = os.path.basename(str(self._voice)) if self._voice else "en_US-joe-medium.onnx"
        return f"whisper:{whisper}+piper:{voice.removesuffix('.onnx')}"

    def load(self, progress: ProgressHook | None = None) -> LocalModels:
        """Load (or fetch from the process cache) and warm up the models; blocking.

        With the default slot values, the nutrition food table (read by the plausibility
        check) loads in another thread at the same time.
        """
        table = None
        if self._slot_values is None and self._plausible is None:
            table = threading.Thread(target=_warm_nutrition, name="voicelive-foods", daemon=True)
            table.start()
        try:
            return load_models(self._whisper, self._voice, stt_context_s=self._context,
                               progress=progress or self._progress)
        finally:
            if table is not None:
                table.join()

    def matcher(self, tools: ToolRegistry) -> IntentMatcher:
        """Build the intent matcher for ``tools`` with this backend's slot values."""
        if self._slot_values is not None:
            return IntentMatcher(tools, self._slot_values, plausible=self._plausible)
        return IntentMatcher(tools, _nutrition_slot_values(),
                             plausible=self._plausible or _nutrition("plausible_value"))

    def connect(
        self, config: SessionConfig, tools: ToolRegistry
    ) -> AbstractAsyncContextManager[LocalConnection]:
        """Open an offline connection (loads the models on first use, in a worker thread)."""
        return self._connect(config, tools)

    @asynccontextmanager
    async def _connect(
        self, config: SessionConfig, tools: ToolRegistry
    ) -> AsyncIterator[LocalConnection]:
        ready: dict[str, Any] = {}

        async def load() -> None:
            ready["models"] = await anyio.to_thread.run_sync(self.load)

        def build_matcher() -> IntentMatcher:
            matcher = self.matcher(tools)
            # Load what the plausibility check reads (the food table) now, not in a turn.
            matcher.warm_up()
            return matcher

        async def match() -> None:
            ready["matcher"] = await anyio.to_thread.run_sync(build_matcher)

        async with anyio.create_task_group() as loading:  # the two overlap
            loading.start_soon(load)
            loading.start_soon(match)
        conn = LocalConnection(ready["models"], ready["matcher"], config,
                               model_name=config.model or self.default_model(),
                               speculative=self.speculative,
                               speculate_after_ms=self.speculate_after_ms,
                               hypotheses=self.hypotheses, check_slots=self.check_slots,
                               early_commit_ms=self.early_commit_ms, judge=self.judge)
        async with anyio.create_task_group() as tg:
            tg.start_soon(conn.run)
            try:
                yield conn
            finally:
                tg.cancel_scope.cancel()
                conn.close()


def _warm_nutrition() -> None:
    plausible = _nutrition("plausible_value")
    if plausible is not None:
        plausible("food", "apple")  # loads the food table once per process


@dataclass(eq=False)
class _Speculation:
    samples: int
    done: anyio.Event
    hearing: Hearing | None = None
    text: str = ""
    match: IntentMatch | None = None
    complete: bool | None = None
    """The judge's verdict on the transcript (``None`` until it is known)."""
    heard_at: float | None = None
    understood_at: float | None = None


@dataclass(eq=False)
class _Job:
    turn: int
    audio: npt.NDArray[np.float32] | None = None
    text: str | None = None
    speculation: _Speculation | None = None


class LocalConnection:
    """One offline session. Create it through :meth:`LocalBackend.connect`."""

    def __init__(
        self,
        models: LocalModels,
        matcher: IntentMatcher,
        config: SessionConfig,
        *,
        model_name: str,
        speculative: bool = True,
        speculate_after_ms: float = 96.0,
        hypotheses: int = 4,
        check_slots: bool = True,
        early_commit_ms: float = DEFAULT_EARLY_COMMIT_MS,
        judge: CompletenessJudge = judge_by_match,
    ) -> None:
        self._models = models
        self._early_ms = early_commit_ms if speculative else 0.0
        self._judge = judge
        self._hypotheses = max(1, hypotheses)
        self._check_slots = check_slots
        self._matcher = matcher
        self._config = config
        self._model_name = model_name
        self._speculative = speculative
        vad = config.vad
        detector = EndpointDetector(threshold=vad.threshold, silence_ms=vad.silence_ms,
                                    pause_ms=speculate_after_ms)
        self._segmenter = Segmenter(SileroStream(models.vad_session), detector,
                                    prefix_padding_ms=vad.prefix_padding_ms)
        self.tracker = TurnTracker()
        self._events_in: MemoryObjectSendStream[Event]
        self._events_out: MemoryObjectReceiveStream[Event]
        self._events_in, self._events_out = anyio.create_memory_object_stream[Event](256)
        self._jobs_in: MemoryObjectSendStream[_Job]
        self._jobs_out: MemoryObjectReceiveStream[_Job]
        self._jobs_in, self._jobs_out = anyio.create_memory_object_stream[_Job](16)
        self._results: dict[str, tuple[anyio.Event, list[dict[str, Any]]]] = {}
        self._reply_scope: anyio.CancelScope | None = None
        self._speculation: _Speculation | None = None
        self._manual: list[npt.NDArray[np.float32]] | None = None
        self._call_ids = itertools.count(1)
        self._frames_noted = False
        self._heard_speech = False
        self.state: dict[str, Any] = dict(config.resume_state or {})
        """Exportable dialogue state (``export_state``); a resumed session starts from it."""
        self._closed = False
        self._task_group: anyio.abc.TaskGroup | None = None
        self._awaiting: str | None = None  # call id whose spoken yes/no is expected next
        examples = matcher.examples()
        # Bias toward the tools: one example request per tool plus the values of closed lists
        # (meal names). Long vocabulary lists hurt a small model (measured in bench/), so open
        # lists such as foods are left to the examples and the fuzzy matcher.
        self._prompt_ids = models.transcriber.prompt_tokens(
            build_prompt(examples, matcher.closed_values()))
        self._help = help_reply(examples, matcher.abilities())

    # -- the contract ------------------------------------------------------------------------

    def export_state(self) -> dict[str, Any]:
        """The dialogue state a new connection continues from (JSON-safe copy)."""
        return dict(self.state)

    async def send_audio(self, pcm: bytes) -> None:
        """Feed user audio (PCM16 mono 16 kHz); detects speech, barge-in and end of turn."""
        self._check_open()
        if len(pcm) % 2:
            raise AudioFormatError(f"chunk of {len(pcm)} bytes is not whole PCM16 samples")
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        if self._manual is not None:
            self._manual.append(samples)
            return
        if self._config.vad.manual:
            return
        for segment in self._segmenter.feed(samples):
            await self._on_segment(segment)
        await self._maybe_commit_early()

    async def send_frame(self, jpeg: bytes) -> None:
        """Ignore a video frame (the offline backend has no vision model); noted once."""
        self._check_open()
        if not self._frames_noted:
            self._frames_noted = True
            _log.warning("the local backend has no vision model; video frames are ignored")

    async def send_text(self, text: str) -> None:
        """Treat ``text`` as a user utterance (no speech recognition)."""
        self._check_open()
        pending = self.tracker.pending_call
        turn, interrupted = self.tracker.text_received()
        if interrupted:
            await self._interrupt(pending)
        await self._jobs_in.send(_Job(turn, text=text))

    async def end_audio(self) -> None:
        """The user's audio ended: an utterance in progress is finished now."""
        self._check_open()
        if self._manual is not None:
            await self.send_activity(start=False)
            return
        segment = self._segmenter.flush()
        if segment is not None:
            await self._on_segment(segment)
        elif not self._heard_speech and self.tracker.phase is Phase.LISTENING:
            # The input ended without any speech: say the (empty) turn is over, so a caller
            # waiting for the reply does not wait forever.
            await self._emit(TurnComplete())
        self._heard_speech = False

    async def send_activity(self, *, start: bool) -> None:
        """Mark the start or end of user speech (used when ``config.vad.manual`` is set)."""
        self._check_open()
        if start:
            self._manual = []
            await self._on_segment(Segment(VadSignal.START))
            return
        chunks, self._manual = self._manual or [], None
        audio = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
        await self._on_segment(Segment(VadSignal.END, audio, 0.0))

    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        """Hand a tool's response to the waiting turn, which speaks the reply."""
        self._check_open()
        waiting = self._results.get(call_id)
        if waiting is None and call_id == self._awaiting:
            self._awaiting = None  # the session gave the call up (timeout) before an answer
        if waiting is None or self.tracker.tool_returned(call_id, time.perf_counter()) is None:
            _log.debug("ignoring a stale tool result for %s (%s)", call_id, name)
            return
        event, box = waiting
        box.append(dict(response))
        event.set()

    async def events(self) -> AsyncIterator[Event]:
        """Yield events until the connection closes."""
        async with self._events_out.clone() as stream:
            async for event in stream:
                yield event

    # -- internals -----------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ClosedError("the local connection is closed")

    def close(self) -> None:
        """Stop accepting input and end :meth:`events`."""
        self._closed = True
        self._events_in.close()
        self._jobs_in.close()
        self._events_out.close()

    async def _emit(self, event: Event) -> None:
        await self._events_in.send(event)

    async def _interrupt(self, pending_call: str | None) -> None:
        if self._reply_scope is not None:
            self._reply_scope.cancel()
        await self._emit(Interrupted())
        if pending_call is not None:
            self._results.pop(pending_call, None)
            await self._emit(ToolCallCancellation(ids=(pending_call,)))

    async def _on_segment(self, segment: Segment) -> None:
        if segment.signal is VadSignal.START:
            self._heard_speech = True
            self._speculation = None
            pending = self.tracker.pending_call
            if self.tracker.speech_started(time.perf_counter()):
                await self._interrupt(pending)
        elif segment.signal is VadSignal.PAUSE:
            if self._speculative and segment.audio is not None and self._task_group is not None:
                spec = _Speculation(len(segment.audio), anyio.Event())
                self._speculation = spec
                self._task_group.start_soon(self._speculate, spec, segment.audio)
        elif segment.signal is VadSignal.RESUME:
            self._speculation = None
        elif segment.signal is VadSignal.END and segment.audio is not None:
            speculation, self._speculation = self._speculation, None
            turn = self.tracker.speech_ended(time.perf_counter(), segment.trailing_silence_ms)
            await self._jobs_in.send(_Job(turn, audio=segment.audio, speculation=speculation))

    async def _maybe_commit_early(self) -> None:
        """End the utterance now if the transcript at this pause is a whole request."""
        spec = self._speculation
        if spec is None or not spec.done.is_set():
            return
        detector = self._segmenter.detector
        if commit_early(paused=detector.paused, silence_ms=detector.silence_ms,
                        early_ms=self._early_ms, verdict=spec.complete):
            segment = self._segmenter.end_now()
            if segment is not None:
                await self._on_segment(segment)

    async def _transcribe(
        self, audio: npt.NDArray[np.float32], spec: _Speculation | None = None
    ) -> Hearing | None:
        def work() -> Hearing | None:
            with self._models.stt_lock:
                if spec is not None and self._speculation is not spec:
                    return None  # superseded while queued: the user kept talking
                n = self._hypotheses
                return self._models.transcriber.listen(audio, prompt_ids=self._prompt_ids,
                                                       beam_size=n, count=n)

        return await anyio.to_thread.run_sync(work)

    async def _recheck(self, hearing: Hearing, match: IntentMatch) -> IntentMatch | None:
        """The match with slot values the audio supports better, or ``None`` if it stands."""
        def work() -> IntentMatch | None:
            with self._models.stt_lock:
                return self._matcher.recheck(match, HeardScorer(self._models.transcriber,
                                                                hearing))

        return await anyio.to_thread.run_sync(work)

    async def _speculate(self, spec: _Speculation, audio: npt.NDArray[np.float32]) -> None:
        try:
            spec.hearing = await self._transcribe(audio, spec)
            if spec.hearing is not None and self._speculation is spec:
                spec.heard_at = time.perf_counter()
                await anyio.to_thread.run_sync(self._understand_speculation, spec)
        finally:
            spec.done.set()
        await self._maybe_commit_early()

    def _understand_speculation(self, spec: _Speculation) -> None:
        """Match the speculative transcript and judge it (in a worker thread)."""
        texts = [t.strip() for t in spec.hearing.texts if t.strip()] if spec.hearing else []
        spec.text, spec.match = self._matcher.best(texts)
        spec.understood_at = time.perf_counter()
        spec.complete = bool(texts) and self._judge(texts, spec.match)

    async def run(self) -> None:
        """Worker: take finished utterances and answer them one at a time."""
        async with anyio.create_task_group() as tg:
            self._task_group = tg
            async with self._jobs_out:
                async for job in self._jobs_out:
                    with anyio.CancelScope() as scope:
                        self._reply_scope = scope
                        await self._answer(job)
                    self._reply_scope = None
            tg.cancel_scope.cancel()

    async def _answer(self, job: _Job) -> None:
        tracker = self.tracker
        hearing: Hearing | None = None
        spec = job.speculation
        if job.text is not None:
            heard: Sequence[str] = [job.text]
        else:
            if spec is not None:
                await spec.done.wait()
                hearing = spec.hearing
            if hearing is None and job.audio is not None:
                hearing = await self._transcribe(job.audio)
                spec = None
            heard = hearing.texts if hearing is not None else ()
            tracker.heard(job.turn, spec.heard_at if spec and spec.heard_at else
                          time.perf_counter())
        # Of the recogniser's hypotheses, the first that fits a template (with known values
        # first) is what the user said (already worked out during the pause if speculative)...
        if spec is not None and spec.understood_at is not None:
            text, match = spec.text, spec.match
        else:  # off the event loop: matching a long typed text takes seconds of CPU
            text, match = await anyio.to_thread.run_sync(
                self._matcher.best, [t.strip() for t in heard if t.strip()])
        # ... unless the audio says a slot holds another known value.
        if match is not None and match.spans and hearing is not None and self._check_slots:
            revised = await self._recheck(hearing, match)
            if revised is not None:
                text, match = as_sentence(revised.text), revised
        tracker.understood(job.turn, time.perf_counter())
        if not tracker.is_current(job.turn):
            return
        if not text:  # noise, or nothing intelligible: the turn ends without a reply
            if tracker.reply_done(job.turn) is not None:
                await self._emit(TurnComplete())
            return
        if self._awaiting is not None:
            follow_up = await self._confirmation_answer(job.turn, self._awaiting, text)
            if not moved_on(follow_up):
                await self._speak(job.turn, render_result("that", follow_up or {}))
                return
        elif self._config.transcribe_input:
            await self._emit(UserTranscript(text=text, final=True))
        if match is None:
            _log.debug("no tool matched %r", text)
            reply = self._help
        else:
            call_id = f"local-{next(self._call_ids)}"
            event, box = anyio.Event(), list[dict[str, Any]]()
            self._results[call_id] = (event, box)
            tracker.tool_called(job.turn, call_id, time.perf_counter())
            await self._emit(ToolCall(id=call_id, name=match.tool, args=dict(match.args)))
            try:
                await event.wait()
            finally:
                self._results.pop(call_id, None)
            reply = render_result(match.tool.replace("_", " "), box[0])
            if asks_confirmation(box[0]):
                self._awaiting = call_id
        await self._speak(job.turn, reply)

    async def _confirmation_answer(self, turn: int, call_id: str,
                                   text: str) -> dict[str, Any] | None:
        """Send the answer to a confirmation question; the session's follow-up, if any."""
        self._awaiting = None
        event, box = anyio.Event(), list[dict[str, Any]]()
        self._results[call_id] = (event, box)
        self.tracker.tool_called(turn, call_id, time.perf_counter())
        await self._emit(UserTranscript(text=text, final=True))
        try:
            with anyio.move_on_after(FOLLOW_UP_TIMEOUT_S):
                await event.wait()
        finally:
            self._results.pop(call_id, None)
        return box[0] if box else None

    async def _speak(self, turn: int, reply: str) -> None:
        from .tts import split_sentences

        chunks_out = 0
        said_text = False
        for sentence in split_sentences(reply):
            pcm = await anyio.to_thread.run_sync(partial(self._synthesize, sentence),
                                                 abandon_on_cancel=True)
            if not pcm:
                continue
            if not said_text and self._config.transcribe_output and self.tracker.is_current(turn):
                said_text = True
                await self._emit(AssistantTranscript(text=reply, final=True))
            for start in range(0, len(pcm), _CHUNK_BYTES):
                piece = pcm[start:start + _CHUNK_BYTES]
                if not self.tracker.audio_out(turn, time.perf_counter(),
                                              len(piece) * 500.0 / OUTPUT_RATE):
                    return
                await self._emit(AudioOut(data=piece, sample_rate=OUTPUT_RATE))
                chunks_out += 1
        stats = self.tracker.reply_done(turn)
        if stats is not None:
            self.state["turns"] = int(self.state.get("turns", 0)) + 1
            await self._emit(TurnComplete(latency_ms=stats.latency_ms, tool_ms=stats.tool_ms,
                                          chunks_out=chunks_out, stages_ms=stats.stages_ms))

    def _synthesize(self, sentence: str) -> bytes:
        spoken = speakable(sentence)  # "143 kcal" is said "143 calories"; events keep the text
        with self._models.tts_lock:
            return self._models.synthesizer.synthesize(spoken)

