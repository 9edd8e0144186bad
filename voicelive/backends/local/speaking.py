"""The spoken reply of a turn: sentences synthesised off the event loop, sent as audio events.

:class:`Speaker` turns the reply text into :class:`~voicelive.events.AudioOut` chunks of
100 ms, one sentence at a time, and stops at once when the turn stops being current (a
barge-in). The turn's bookkeeping (latency, which audio is stale) stays with the
connection's :class:`~voicelive.turns.TurnTracker`.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import partial

import anyio

from voicelive.backends.base import OUTPUT_RATE
from voicelive.events import AssistantTranscript, AudioOut, Event, TurnComplete
from voicelive.speakable import speakable
from voicelive.turns import TurnTracker

from .models import LocalModels

__all__ = ["CHUNK_BYTES", "Speaker"]

CHUNK_BYTES = OUTPUT_RATE * 2 // 10
"""Bytes of reply audio per :class:`~voicelive.events.AudioOut` (100 ms of PCM16)."""


class Speaker:
    """Speaks the replies of one connection.

    Args:
        models: The loaded models (Piper and its lock are used).
        tracker: The connection's turn tracker.
        emit: Sends an event to the connection's listeners.
        transcribe_output: Emit the reply's text as an assistant transcript.
        on_complete: Called once per turn whose reply was completely spoken.
    """

    def __init__(
        self,
        models: LocalModels,
        tracker: TurnTracker,
        emit: Callable[[Event], Awaitable[None]],
        *,
        transcribe_output: bool,
        on_complete: Callable[[], None],
    ) -> None:
        self._models = models
        self._tracker = tracker
        self._emit = emit
        self._transcribe_output = transcribe_output
        self._on_complete = on_complete

    async def speak(self, turn: int, reply: str) -> None:
        """Say ``reply`` for ``turn``, then end the turn (unless it was superseded)."""
        from .tts import split_sentences

        chunks_out = 0
        said_text = False
        for sentence in split_sentences(reply):
            pcm = await anyio.to_thread.run_sync(partial(self.synthesize, sentence),
                                                 abandon_on_cancel=True)
            if not pcm:
                continue
            if not said_text and self._transcribe_output and self._tracker.is_current(turn):
                said_text = True
                await self._emit(AssistantTranscript(text=reply, final=True))
            for start in range(0, len(pcm), CHUNK_BYTES):
                piece = pcm[start:start + CHUNK_BYTES]
                if not self._tracker.audio_out(turn, time.perf_counter(),
                                               len(piece) * 500.0 / OUTPUT_RATE):
                    return
                await self._emit(AudioOut(data=piece, sample_rate=OUTPUT_RATE))
                chunks_out += 1
        stats = self._tracker.reply_done(turn)
        if stats is not None:
            self._on_complete()
            await self._emit(TurnComplete(latency_ms=stats.latency_ms, tool_ms=stats.tool_ms,
                                          chunks_out=chunks_out, stages_ms=stats.stages_ms))

    def synthesize(self, sentence: str) -> bytes:
        """PCM16 at 24 kHz of one sentence (blocking: call it from a worker thread)."""
        spoken = speakable(sentence)  # "143 kcal" is said "143 calories"; events keep the text
        with self._models.tts_lock:
            return self._models.synthesizer.synthesize(spoken)
