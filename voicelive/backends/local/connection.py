"""One offline session: the backend contract over the listening, answering and speaking parts.

:class:`LocalConnection` moves bytes: user audio into the segmenter, finished utterances into
a bounded job queue (16), events out through a bounded stream (256). Its worker answers one
job at a time (:class:`~.answering.Answerer`); every decision (who has the floor, whether
speech is a barge-in, which reply is stale, the latency of a turn) is taken by
:class:`~voicelive.turns.TurnTracker` and the endpoint logic in
:mod:`~voicelive.backends.local.vad`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import anyio
import numpy as np
import numpy.typing as npt
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from voicelive.events import Event, Interrupted, ToolCallCancellation, TurnComplete
from voicelive.exceptions import AudioFormatError, ClosedError
from voicelive.turns import Phase, TurnTracker

from .answering import Answerer, Job, dialogue_of
from .early import DEFAULT_EARLY_COMMIT_MS, CompletenessJudge, continues, judge_by_match
from .listening import Listener, Speculation
from .models import LocalModels
from .speaking import Speaker
from .stt import Transcriber, build_prompt
from .understand import DialogueState, Understander
from .vad import EndpointDetector, Segment, Segmenter, SileroStream, VadSignal

if TYPE_CHECKING:
    from voicelive.config import SessionConfig

__all__ = ["LocalConnection"]

_log = logging.getLogger(__name__)


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
        check_writes: bool = True,
        second: Transcriber | None = None,
    ) -> None:
        self._models = models
        self._understander = understander
        self._config = config
        self._model_name = model_name
        self._speculative = speculative
        vad = config.vad
        detector = EndpointDetector(threshold=vad.threshold, silence_ms=vad.silence_ms,
                                    pause_ms=speculate_after_ms)
        segmenter = Segmenter(SileroStream(models.vad_session), detector,
                              prefix_padding_ms=vad.prefix_padding_ms)
        self.tracker = TurnTracker()
        self._events_in: MemoryObjectSendStream[Event]
        self._events_out: MemoryObjectReceiveStream[Event]
        self._events_in, self._events_out = anyio.create_memory_object_stream[Event](256)
        self._jobs_in: MemoryObjectSendStream[Job]
        self._jobs_out: MemoryObjectReceiveStream[Job]
        self._jobs_in, self._jobs_out = anyio.create_memory_object_stream[Job](16)
        self._reply_scope: anyio.CancelScope | None = None
        self._manual: list[npt.NDArray[np.float32]] | None = None
        self._frames_noted = False
        self._heard_speech = False
        self._ending_early = False  # the END being handled is an early end
        self._ended_early = False  # the last utterance ended early
        self._continuing = False  # the utterance in progress continues that one
        self.state: dict[str, Any] = dict(config.resume_state or {})
        """Exportable dialogue state (``export_state``); a resumed session starts from it."""
        self._closed = False
        self._task_group: anyio.abc.TaskGroup | None = None
        # Bias toward the tools: one example request per tool plus the values of closed lists
        # (meal names). Long vocabulary lists hurt a small model (measured in bench/), so open
        # lists such as foods are left to the examples and the understanding.
        prompt = build_prompt(understander.examples(), understander.closed_values())
        prompt_ids = models.transcriber.prompt_tokens(prompt)
        self._listener = Listener(
            models, understander, segmenter, prompt_ids=prompt_ids,
            dialogue=lambda: self.dialogue, hypotheses=hypotheses, check_slots=check_slots,
            early_commit_ms=early_commit_ms if speculative else 0.0, judge=judge,
            check_writes=check_writes, second=second,
            second_prompt_ids=second.prompt_tokens(prompt) if second is not None else None)
        speaker = Speaker(models, self.tracker, self._emit,
                          transcribe_output=config.transcribe_output,
                          on_complete=self._count_turn)
        self._answerer = Answerer(understander, self._listener, speaker, self.tracker,
                                  self._emit, dialogue=dialogue_of(self.state),
                                  transcribe_input=config.transcribe_input)

    @property
    def understander(self) -> Understander:
        """The understanding of this connection's tools (shared and stateless).

        :attr:`dialogue` is this conversation's state; ``understander.understand(texts,
        conn.dialogue).complete`` says whether a text is a complete, confident request.
        """
        return self._understander

    @property
    def dialogue(self) -> DialogueState:
        """What this conversation's understanding remembers.

        The last calls and a pending question; exported under ``"dialogue"`` by
        :meth:`export_state`.
        """
        return self._answerer.dialogue

    @dialogue.setter
    def dialogue(self, value: DialogueState) -> None:
        self._answerer.dialogue = value

    @property
    def carried_turns(self) -> int:
        """Utterances superseded before their answer began, heard again with the next one."""
        return self._answerer.carried_turns

    @property
    def continued_turns(self) -> int:
        """Utterances heard as the continuation of a turn that had ended early.

        Speech that resumed after an early end of turn, sooner than the full silence window
        would have ended it (see :func:`~voicelive.backends.local.early.continues`).
        """
        return self._answerer.continued_turns

    @property
    def doubts(self) -> dict[str, int]:
        """Decisions on writes a rival reading of the audio put in doubt (a copy).

        ``kept`` (written as heard), ``switched`` (the reading the audio clearly supports was
        written instead), ``asked`` (nothing written, one question asked), ``resolved`` (the
        answer picked a reading) and ``dropped`` (it picked none); see
        :mod:`~voicelive.backends.local.doubt`.
        """
        return dict(self._answerer.doubts)

    @property
    def second_opinions(self) -> dict[str, int]:
        """Turns the second recogniser heard again, and what came of them (a copy).

        ``asked`` (turns heard again; by reason ``no_call``, ``unsure`` and ``doubt``),
        ``taken`` (its reading was acted on), ``kept`` (the first reading stood),
        ``questions`` (the two wrote different things, or the write check's question stood:
        one question asked) and ``failed``; all stay 0 without a second recogniser (see
        :mod:`~voicelive.backends.local.second`).
        """
        return dict(self._answerer.second_opinions)

    @property
    def _speculation(self) -> Speculation | None:
        """The transcript started at the current pause, if any (for tests)."""
        return self._listener.speculation

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
        for segment in self._listener.segmenter.feed(samples):
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
        await self._jobs_in.send(Job(turn, text=text))

    async def end_audio(self) -> None:
        """The user's audio ended: an utterance in progress is finished now."""
        self._check_open()
        if self._manual is not None:
            await self.send_activity(start=False)
            return
        segment = self._listener.segmenter.flush()
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
        self._answerer.deliver(call_id, name, response)

    async def events(self) -> AsyncIterator[Event]:
        """Yield events until the connection closes."""
        async with self._events_out.clone() as stream:
            async for event in stream:
                yield event

    def close(self) -> None:
        """Stop accepting input and end :meth:`events`."""
        self._closed = True
        self._events_in.close()
        self._jobs_in.close()
        self._events_out.close()

    def release(self) -> None:
        """Close what :meth:`run` reads (after it ended); safe to call twice."""
        self._jobs_out.close()

    async def run(self) -> None:
        """Worker: take finished utterances and answer them one at a time."""
        async with anyio.create_task_group() as tg:
            self._task_group = tg
            async with self._jobs_out:
                async for job in self._jobs_out:
                    with anyio.CancelScope() as scope:
                        self._reply_scope = scope
                        await self._answerer.answer(job)
                    self._reply_scope = None
                    self._answerer.finish(job)
            tg.cancel_scope.cancel()

    # -- internals -----------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ClosedError("the local connection is closed")

    def _count_turn(self) -> None:
        self.state["turns"] = int(self.state.get("turns", 0)) + 1

    async def _emit(self, event: Event) -> None:
        await self._events_in.send(event)

    async def _interrupt(self, pending_call: str | None) -> None:
        if self._reply_scope is not None:
            self._reply_scope.cancel()
        await self._emit(Interrupted())
        if pending_call is not None:
            self._answerer.forget(pending_call)
            await self._emit(ToolCallCancellation(ids=(pending_call,)))

    async def _on_segment(self, segment: Segment) -> None:
        listener = self._listener
        if segment.signal is VadSignal.START:
            self._heard_speech = True
            self._continuing = continues(
                ended_early=self._ended_early, pause_ms=listener.segmenter.detector.gap_ms,
                silence_ms=self._config.vad.silence_ms)
            self._ended_early = False
            listener.speculation = None
            pending = self.tracker.pending_call
            if self.tracker.speech_started(time.perf_counter()):
                await self._interrupt(pending)
        elif segment.signal is VadSignal.PAUSE:
            if self._speculative and segment.audio is not None and self._task_group is not None:
                spec = Speculation(len(segment.audio), anyio.Event())
                listener.speculation = spec
                self._task_group.start_soon(self._speculate, spec, segment.audio)
        elif segment.signal is VadSignal.RESUME:
            listener.speculation = None
        elif segment.signal is VadSignal.END and segment.audio is not None:
            speculation, listener.speculation = listener.speculation, None
            self._ended_early, self._ending_early = self._ending_early, False
            continuing, self._continuing = self._continuing, False
            turn = self.tracker.speech_ended(time.perf_counter(), segment.trailing_silence_ms)
            await self._jobs_in.send(Job(turn, audio=segment.audio, speculation=speculation,
                                         continues=continuing))

    async def _speculate(self, spec: Speculation, audio: npt.NDArray[np.float32]) -> None:
        await self._listener.speculate(spec, audio)
        await self._maybe_commit_early()

    async def _maybe_commit_early(self) -> None:
        """End the utterance now if the transcript at this pause is a whole request."""
        segment = self._listener.early_end()
        if segment is not None:
            self._ending_early = True
            await self._on_segment(segment)
