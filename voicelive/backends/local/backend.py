"""The offline backend: VAD -> speech-to-text -> understanding -> tools -> speech, no network.

:class:`LocalBackend` fulfils the same :class:`~voicelive.backends.base.Backend` contract as the
Gemini backend. Its connection runs one worker task that moves bytes between the models; every
decision (who has the floor, whether speech is a barge-in, which reply is stale, the latency of
a turn) is taken by :class:`~voicelive.turns.TurnTracker` and the endpoint logic
in :mod:`~voicelive.backends.local.vad`. What the user asks for is worked out by
:class:`~voicelive.backends.local.understand.Understander` from the tools' declarations, off
the event loop, with a :class:`~voicelive.backends.local.understand.DialogueState` per
connection.

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
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import anyio
import numpy as np
import numpy.typing as npt
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from voicelive.backends.base import INPUT_RATE, OUTPUT_RATE
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
from voicelive.turns import Phase, TurnTracker

from .confirming import FOLLOW_UP_TIMEOUT_S, asks_confirmation, moved_on
from .early import DEFAULT_EARLY_COMMIT_MS, CompletenessJudge, commit_early, judge_by_match
from .models import LocalModels, ProgressHook, load_models, start_loading
from .reply import as_sentence, render_result
from .stt import HeardScorer, Hearing, build_prompt
from .understand import Call, DialogueState, Understander, Understanding
from .vad import EndpointDetector, Segment, Segmenter, SileroStream, VadSignal

if TYPE_CHECKING:
    from voicelive.config import SessionConfig
    from voicelive.tools import ToolRegistry

__all__ = ["LocalBackend", "LocalConnection"]

_log = logging.getLogger(__name__)

_CHUNK_BYTES = OUTPUT_RATE * 2 // 10  # 100 ms of reply audio per AudioOut
MAX_CARRIED_S = 30.0
"""Most audio of superseded, unanswered utterances kept to lead the next one (seconds)."""
_CARRY_GAP = np.zeros(INPUT_RATE * 3 // 10, dtype=np.float32)  # 0.3 s between carried parts


class LocalBackend:
    """The embedded, offline backend.

    Models are loaded once per process and shared by every connection (see
    :func:`~voicelive.backends.local.models.load_models`); :meth:`load` loads them ahead of the
    first session, with an optional progress hook.

    Args:
        whisper_model: Directory of a CTranslate2 Whisper model (``tiny.en`` by default).
        voice_path: Piper ``.onnx`` voice (the ``joe`` US English voice by default).
        stt_context_s: A fixed encoder context of the recogniser in seconds (30 is Whisper's
            full window); ``None`` sizes it to each utterance (about three times faster than
            30 s for a short request, as accurate on the spoken set).
        progress: Called with a message before each model-loading step (first load only).
        speculative: Start recognising at the first pause instead of at the end of speech.
        speculate_after_ms: Silence after which speculative recognition starts.
        hypotheses: Transcripts the recogniser proposes per utterance (beam search); the
            understanding takes the one it understands best, likelier ones first. 1 is
            greedy decoding (a little faster, clearly less accurate on unclear speech).
        check_slots: Check the text values of an understood request against the audio (see
            :mod:`~voicelive.backends.local.slotcheck`); costs a few tens of milliseconds and
            corrects a known value heard as another ("quinoa" as "tilapia").
        early_commit_ms: Silence after which a complete, confident request ends the turn
            (before the full ``VadConfig.silence_ms``); 0 switches early ends off.
        judge: Says whether a transcript is a complete, confident request (see
            :class:`~voicelive.backends.local.early.CompletenessJudge`);
            :func:`~voicelive.backends.local.early.judge_by_match` by default.

    Vocabularies (foods, activities ...) and their plausibility checks come with the tools'
    declarations (:class:`voicelive.tools.Vocabulary`), not from the backend.
    """

    name = "local"

    def __init__(
        self,
        *,
        whisper_model: str | os.PathLike[str] | None = None,
        voice_path: str | os.PathLike[str] | None = None,
        stt_context_s: float | None = None,
        progress: ProgressHook | None = None,
        speculative: bool = True,
        speculate_after_ms: float = 96.0,
        hypotheses: int = 4,
        check_slots: bool = True,
        early_commit_ms: float = DEFAULT_EARLY_COMMIT_MS,
        judge: CompletenessJudge | None = None,
    ) -> None:
        self.early_commit_ms = early_commit_ms
        self.judge: CompletenessJudge = judge or judge_by_match
        self._whisper = whisper_model
        self._voice = voice_path
        self._warned: set[tuple[str, ...]] = set()
        self._understanders: dict[tuple[tuple[str, int], ...], Understander] = {}
        self._understanders_lock = threading.Lock()
        self._building: dict[tuple[tuple[str, int], ...], threading.Lock] = {}
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
        """Load (or fetch from the process cache) and warm up the models; blocking."""
        return load_models(self._whisper, self._voice, stt_context_s=self._context,
                           progress=progress or self._progress)

    def prepare(self, tools: ToolRegistry | None = None) -> None:
        """Start loading the models (and building the understanding of ``tools``) now.

        Returns at once; both go on in background threads, and :meth:`connect` (or
        :meth:`load`, :meth:`understander`) waits for them instead of starting them again.
        A program that knows it will open a session calls this first, before its own heavier
        start-up work, so the two overlap. A loading error surfaces in :meth:`connect`.
        """
        start_loading(self._whisper, self._voice, stt_context_s=self._context,
                      progress=self._progress)
        if tools is not None:
            threading.Thread(target=self._prepare_understander, args=(tools,),
                             name="voicelive-understand", daemon=True).start()

    def _prepare_understander(self, tools: ToolRegistry) -> None:
        try:
            self.understander(tools).warm_up()
        except Exception:  # connect() builds it again and raises the error there
            _log.debug("building the understanding ahead failed", exc_info=True)

    def understander(self, tools: ToolRegistry) -> Understander:
        """The understanding of ``tools`` (blocking: run it in a worker thread).

        It holds no conversation state, so sessions over the same tools share one (built once,
        0.1-0.4 s for the nutrition toolkit; a caller that asks while another is building it
        waits for that one); the last 16 tool sets are kept.
        """
        key = tuple((t.name, id(t)) for t in tools)
        with self._understanders_lock:
            cached = self._understanders.get(key)
            if cached is None:
                building = self._building.setdefault(key, threading.Lock())
        if cached is not None:
            return cached
        with building:  # one build per tool set; the others wait for it
            with self._understanders_lock:
                cached = self._understanders.get(key)
            if cached is not None:
                return cached
            understander = Understander(tools)
            with self._understanders_lock:
                self._understanders[key] = understander
                self._building.pop(key, None)
                while len(self._understanders) > 16:
                    self._understanders.pop(next(iter(self._understanders)))
        unreachable = understander.unreachable()
        names = tuple(sorted(name for name, _ in unreachable))
        if unreachable and names not in self._warned:
            self._warned.add(names)
            _log.warning("offline, %d tool(s) cannot be called: %s", len(unreachable),
                         "; ".join(f"{name} ({why})" for name, why in unreachable))
        return understander

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

        def build_understander() -> Understander:
            understander = self.understander(tools)
            # Load what the plausibility checks read (the food table) now, not in a turn.
            understander.warm_up()
            return understander

        async def understand() -> None:
            ready["understander"] = await anyio.to_thread.run_sync(build_understander)

        async with anyio.create_task_group() as loading:  # the two overlap
            loading.start_soon(load)
            loading.start_soon(understand)
        conn = LocalConnection(ready["models"], ready["understander"], config,
                               model_name=config.model or self.default_model(),
                               speculative=self.speculative,
                               speculate_after_ms=self.speculate_after_ms,
                               hypotheses=self.hypotheses, check_slots=self.check_slots,
                               early_commit_ms=self.early_commit_ms, judge=self.judge)
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(conn.run)
                try:
                    yield conn
                finally:
                    tg.cancel_scope.cancel()
                    conn.close()
        finally:
            # run() closes its end of the job queue, unless it was cancelled before it began
            # (a session closed at once): then the stream would be left open until collected.
            conn.release()


@dataclass(eq=False)
class _Speculation:
    samples: int
    done: anyio.Event
    hearing: Hearing | None = None
    result: Understanding | None = None
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
    acted: bool = False
    """Set once the turn starts to answer (calls a tool, speaks); see :meth:`_carry_over`."""


class LocalConnection:
    """One offline session. Create it through :meth:`LocalBackend.connect`."""

    def __init__(
        self,
        models: LocalModels,
        understander: Understander,
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
        self._understander = understander
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
        self._carried: npt.NDArray[np.float32] | None = None
        self.carried_turns = 0
        """Utterances superseded before their answer began, heard again with the next one."""
        self._manual: list[npt.NDArray[np.float32]] | None = None
        self._call_ids = itertools.count(1)
        self._frames_noted = False
        self._heard_speech = False
        self.state: dict[str, Any] = dict(config.resume_state or {})
        """Exportable dialogue state (``export_state``); a resumed session starts from it."""
        self.dialogue = _dialogue_of(self.state)
        """What this conversation's understanding remembers (the last calls, a pending
        question); exported under ``"dialogue"`` by :meth:`export_state`."""
        self._closed = False
        self._task_group: anyio.abc.TaskGroup | None = None
        self._awaiting: str | None = None  # call id whose spoken yes/no is expected next
        self._deferred: list[Call] = []  # calls of that turn after it: run once it is answered
        # Bias toward the tools: one example request per tool plus the values of closed lists
        # (meal names). Long vocabulary lists hurt a small model (measured in bench/), so open
        # lists such as foods are left to the examples and the understanding.
        self._prompt_ids = models.transcriber.prompt_tokens(
            build_prompt(understander.examples(), understander.closed_values()))

    @property
    def understander(self) -> Understander:
        """The understanding of this connection's tools (shared and stateless).

        :attr:`dialogue` is this conversation's state; ``understander.understand(texts,
        conn.dialogue).complete`` says whether a text is a complete, confident request.
        """
        return self._understander

    # -- the contract ------------------------------------------------------------------------

    def export_state(self) -> dict[str, Any]:
        """The dialogue state a new connection continues from (JSON-safe copy)."""
        return {**self.state, "dialogue": self.dialogue.to_dict()}

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

    def release(self) -> None:
        """Close what :meth:`run` reads (after it ended); safe to call twice."""
        self._jobs_out.close()

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

    async def _recheck(self, hearing: Hearing, result: Understanding) -> Understanding | None:
        """The result with text values the audio supports better, or ``None`` if it stands."""
        def work() -> Understanding | None:
            with self._models.stt_lock:
                return self._understander.recheck(result, HeardScorer(self._models.transcriber,
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
        """Understand the speculative transcript and judge it (in a worker thread)."""
        texts = [t.strip() for t in spec.hearing.texts if t.strip()] if spec.hearing else []
        spec.result = self._understander.understand(texts, self.dialogue)
        spec.understood_at = time.perf_counter()
        spec.complete = bool(texts) and self._judge(texts, spec.result)

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
                    self._carry_over(job)
            tg.cancel_scope.cancel()

    async def _answer(self, job: _Job) -> None:
        tracker = self.tracker
        hearing: Hearing | None = None
        spec = job.speculation
        if self._carried is not None:
            carried, self._carried = self._carried, None
            if job.audio is not None:  # heard as one utterance: the speculation saw a part
                job.audio, spec = np.concatenate((carried, _CARRY_GAP, job.audio)), None
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
        # What the hypotheses ask for (already worked out during the pause if speculative);
        # understanding is CPU work (a long typed text too), never on the event loop.
        if spec is not None and spec.result is not None:
            result = spec.result
        else:
            result = await anyio.to_thread.run_sync(
                self._understander.understand, [t.strip() for t in heard if t.strip()],
                self.dialogue)
        text = result.text
        # The audio may say a text value holds another known value.
        if (result.calls or result.tentative) and hearing is not None and self._check_slots:
            revised = await self._recheck(hearing, result)
            if revised is not None:
                text, result = as_sentence(revised.text), revised
        tracker.understood(job.turn, time.perf_counter())
        if not tracker.is_current(job.turn):
            return
        job.acted = True
        if not text:  # noise, or nothing intelligible: the turn ends without a reply
            if tracker.reply_done(job.turn) is not None:
                await self._emit(TurnComplete())
            return
        if self._awaiting is not None:
            follow_up = await self._confirmation_answer(job.turn, self._awaiting, text)
            deferred, self._deferred = self._deferred, []
            if not moved_on(follow_up):
                # "set my goal to 1900 and tell me how I'm doing": the rest, once answered
                answered = [render_result("that", follow_up or {})]
                answered += await self._run_calls(job.turn, deferred)
                await self._speak(job.turn, " ".join(answered))
                return
        elif self._config.transcribe_input:
            await self._emit(UserTranscript(text=text, final=True))
        self.dialogue = result.state
        said = await self._run_calls(job.turn, list(result.calls))
        if result.reply and self._awaiting is None:
            said.append(result.reply)
        if not said:
            _log.debug("nothing to say to this turn (%s)", result.kind)
        await self._speak(job.turn, " ".join(said))

    def _carry_over(self, job: _Job) -> None:
        """Keep the audio of an utterance left before its answer began, for the next one.

        The user spoke again after a pause long enough to end the turn (or to end it early)
        but before the assistant called a tool or said anything: that turn is superseded, and
        without this its words would be lost ("I missed lunch today. [pause] What should I
        eat for dinner?" would answer only the second sentence). Its audio leads the next
        utterance instead, so the two are heard as one. At most :data:`MAX_CARRIED_S` seconds
        are kept (the latest); :attr:`carried_turns` counts the turns carried.
        """
        if job.acted or job.audio is None or job.text is not None:
            return
        # job.audio already holds anything carried before it: _answer took it in at its start
        self._carried = job.audio[-int(MAX_CARRIED_S * INPUT_RATE):]
        self.carried_turns += 1
        _log.debug("turn %d superseded before its answer: its audio leads the next", job.turn)

    async def _run_calls(self, turn: int, calls: list[Call]) -> list[str]:
        """Make ``calls`` in order; what to say of each.

        A call that asks for confirmation stops the run: the next turn answers it, and the
        calls after it wait in :attr:`_deferred` until then.
        """
        said: list[str] = []
        for i, call in enumerate(calls):
            call_id = f"local-{next(self._call_ids)}"
            event, box = anyio.Event(), list[dict[str, Any]]()
            self._results[call_id] = (event, box)
            self.tracker.tool_called(turn, call_id, time.perf_counter())
            await self._emit(ToolCall(id=call_id, name=call.tool, args=dict(call.args)))
            try:
                await event.wait()
            finally:
                self._results.pop(call_id, None)
            said.append(render_result(call.tool.replace("_", " "), box[0]))
            if asks_confirmation(box[0]):
                self._awaiting = call_id
                self._deferred = calls[i + 1:]
                break
        return said

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


def _dialogue_of(state: dict[str, Any]) -> DialogueState:
    """The dialogue state saved under ``"dialogue"`` (a new one when absent or broken)."""
    saved = state.get("dialogue")
    if isinstance(saved, dict):
        try:
            return DialogueState.from_dict(saved)
        except ValueError:
            _log.warning("ignoring a saved dialogue state of a newer version")
    return DialogueState()
