"""Follow a recorded conversation: stream a file turn by turn, the way a person would speak it.

A WAV file given to ``voicelive ask`` may hold a short conversation: a request, a pause, a
follow-up. Streamed in one go, the follow-up would reach the backend while it is still
answering the first request (a barge-in that cancels the reply). Instead the stream *holds* at a
pause long enough to have ended the user's turn: it sends silence at real-time pace, as a
microphone would while the person listens, until the reply is complete, then goes on with the
file; before the next turn's speech it waits (still sending silence) until the reply has had
time to play. At the end of the file it holds the same way until the last
reply is complete.

:class:`TurnPacer` takes every decision (is this chunk speech, must the stream hold, when may it
go on) in plain synchronous code that tests drive with numbers; :class:`Conversation` and
:func:`converse` only move bytes and wait.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass

import anyio
import numpy as np

from voicelive.audio.format import AudioFormat
from voicelive.audio.protocols import AudioSink, AudioSource
from voicelive.events import Event, ToolCall, TurnComplete, UserTranscript
from voicelive.session import LiveSession

__all__ = ["Conversation", "TurnPacer", "converse", "heard_speech", "rms"]


def rms(chunk: bytes) -> float:
    """Root mean square of PCM16 ``chunk`` (0 for an empty chunk)."""
    samples = np.frombuffer(chunk, dtype="<i2", count=len(chunk) // 2).astype(np.float64)
    return float(np.sqrt(samples.dot(samples) / samples.size)) if samples.size else 0.0


@dataclass(slots=True)
class TurnPacer:
    """When a recorded conversation may be streamed on, as plain synchronous decisions.

    A chunk is speech when its RMS is above ``min_rms`` and above ``floor_ratio`` times the
    quietest chunk so far (so steady background noise does not count as speech). After speech,
    ``hold_after_ms`` of non-speech makes the stream hold until the reply is complete.

    Attributes:
        hold_after_ms: Non-speech after speech that ends a turn; keep it above the backend's
            end-of-speech silence, so the backend has surely ended the turn too.
        min_rms: Smallest RMS (of int16 samples) that can count as speech.
        floor_ratio: How far above the quietest chunk speech must be.
        holding: The stream waits for the reply to the turn just streamed.
        outstanding: Speech was streamed that has no complete reply yet.
        playing_until: Monotonic time until which reply audio already produced still plays.
    """

    hold_after_ms: float = 700.0
    min_rms: float = 300.0
    floor_ratio: float = 3.0
    holding: bool = False
    outstanding: bool = False
    playing_until: float = 0.0
    _floor: float | None = None
    _quiet_ms: float = 0.0
    _spoke: bool = False

    def is_speech(self, level: float) -> bool:
        """Whether a chunk of RMS ``level`` counts as speech (updates the noise floor)."""
        self._floor = level if self._floor is None else min(self._floor, level)
        return self.sounds_like_speech(level)

    def sounds_like_speech(self, level: float) -> bool:
        """Whether ``level`` is speech against the noise floor so far (nothing updated)."""
        floor = level if self._floor is None else min(self._floor, level)
        return level > max(self.min_rms, self.floor_ratio * floor)

    def on_chunk(self, level: float, ms: float) -> bool:
        """A chunk of ``ms`` milliseconds at RMS ``level`` was streamed.

        Returns:
            True when the stream must hold after this chunk.
        """
        if self.is_speech(level):
            self.outstanding = True
            self._spoke = True
            self._quiet_ms = 0.0
        else:
            self._quiet_ms += ms
            if self.outstanding and self._quiet_ms >= self.hold_after_ms:
                self.holding = True
        return self.holding

    def on_input_end(self) -> bool:
        """The file ended. Returns True when the stream must hold for a reply first.

        A file that was loud from its first chunk to its last (one steady sound, no quieter
        part to take a noise floor from) cannot be judged here: the backend decides, so the
        stream holds for its reply as after speech.
        """
        if self.outstanding or (not self._spoke and self._floor is not None
                                and self._floor > self.min_rms):
            self.holding = True
        return self.holding

    def on_reply_audio(self, now: float, seconds: float) -> None:
        """``seconds`` of reply audio were written at monotonic time ``now``."""
        self.playing_until = max(self.playing_until, now) + seconds

    def on_turn_complete(self) -> None:
        """The reply to the streamed speech is complete: the stream may go on."""
        self.outstanding = False
        self.holding = False
        self._quiet_ms = 0.0

    def give_up(self) -> None:
        """No reply came in time: go on as if it had."""
        self.on_turn_complete()

    def resume_in(self, now: float) -> float:
        """Seconds to wait at ``now`` before streaming on (the reply is still playing)."""
        return max(0.0, self.playing_until - now)


class _PacedSink:
    """Passes reply audio to ``inner`` and tells the pacer how much of it is playing."""

    def __init__(self, inner: AudioSink, pacer: TurnPacer) -> None:
        self.inner = inner
        self.format = inner.format
        self._pacer = pacer

    async def write(self, chunk: bytes) -> None:
        self._pacer.on_reply_audio(time.monotonic(), len(chunk) / self.format.bytes_per_second)
        await self.inner.write(chunk)

    async def clear(self) -> None:
        self._pacer.playing_until = 0.0
        await self.inner.clear()

    async def drain(self) -> None:
        await self.inner.drain()

    async def aclose(self) -> None:
        await self.inner.aclose()


class Conversation:
    """An audio source that streams a recorded conversation turn by turn.

    Pass the conversation as the session's source and :attr:`sink` as its sink, and feed it the
    session's events (:func:`converse` does all three).

    Args:
        source: The recording (any PCM16 source; a :class:`~voicelive.audio.WavSource`).
        sink: Where the reply audio goes.
        hold_after_ms: See :class:`TurnPacer`.
        reply_timeout_s: Longest wait for each reply; after it the stream goes on and
            :attr:`timed_out` counts the turn.
        wait_for_playback: Start the next turn only once the reply has had time to play (as
            a listener would); otherwise as soon as it is complete. The last reply is never
            waited for.
        chunk_ms: Length of the silence chunks sent while holding.

    Attributes:
        pacer: The decisions.
        sink: The sink to give the session.
        timed_out: Turns whose reply did not come within ``reply_timeout_s``.
        ended: Set once the whole recording and the last reply are through.
    """

    def __init__(
        self,
        source: AudioSource,
        sink: AudioSink,
        *,
        hold_after_ms: float = 700.0,
        reply_timeout_s: float = 120.0,
        wait_for_playback: bool = True,
        chunk_ms: int = 40,
    ) -> None:
        self.format: AudioFormat = source.format
        self.pacer = TurnPacer(hold_after_ms=hold_after_ms)
        self.sink = _PacedSink(sink, self.pacer)
        self.timed_out = 0
        self.ended = anyio.Event()
        self._source = source
        self._timeout = reply_timeout_s
        self._playback = wait_for_playback
        self._chunk_s = chunk_ms / 1000.0
        self._silence = bytes(source.format.bytes_for(chunk_ms))
        self._changed = anyio.Event()

    def on_event(self, event: Event) -> None:
        """Feed one session event (a complete turn lets the stream go on)."""
        if isinstance(event, TurnComplete):
            self.pacer.on_turn_complete()
            self._changed.set()
            self._changed = anyio.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """Yield the recording, holding (with silence) after each turn until its reply is done."""
        ms_per_byte = 1000.0 / self.format.bytes_per_second
        try:
            async for chunk in self._source:
                level = rms(chunk)
                if self._playback and self.pacer.sounds_like_speech(level):
                    # the next turn starts: first let the last reply play out, as a listener
                    async for quiet in self._played_out():
                        yield quiet
                hold = self.pacer.on_chunk(level, len(chunk) * ms_per_byte)
                yield chunk
                if hold:
                    async for quiet in self._hold():
                        yield quiet
            if self.pacer.on_input_end():
                async for quiet in self._hold():
                    yield quiet
        finally:
            self.ended.set()

    async def _hold(self) -> AsyncIterator[bytes]:
        """Silence at real-time pace until the reply is complete."""
        deadline = time.monotonic() + self._timeout
        while self.pacer.holding:
            if time.monotonic() >= deadline:
                self.timed_out += 1
                self.pacer.give_up()
                break
            changed = self._changed
            yield self._silence
            with anyio.move_on_after(self._chunk_s):
                await changed.wait()

    async def _played_out(self) -> AsyncIterator[bytes]:
        """Silence at real-time pace while reply audio already produced is still playing."""
        while (wait := self.pacer.resume_in(time.monotonic())) > 0:
            yield self._silence
            await anyio.sleep(min(wait, self._chunk_s))

    async def aclose(self) -> None:
        """Close the recording."""
        await self._source.aclose()


async def converse(
    session: LiveSession,
    conversation: Conversation,
    on_event: Callable[[Event], None] | None = None,
) -> list[Event]:
    """Read ``session``'s events until the recording and its last reply are through.

    The session must have been built with ``source=conversation`` and
    ``sink=conversation.sink``. It is closed once the recording has ended with every reply
    complete, or when it ends by itself.

    Args:
        session: The open session.
        conversation: Its source.
        on_event: Called with each event as it comes.

    Returns:
        Every event, in order (the last is ``SessionClosed``).
    """
    events: list[Event] = []

    async def close_when_done() -> None:
        await conversation.ended.wait()
        await session.close()

    async with anyio.create_task_group() as tg:
        tg.start_soon(close_when_done)
        async for event in session:
            events.append(event)
            conversation.on_event(event)
            if on_event is not None:
                on_event(event)
        tg.cancel_scope.cancel()
    return events


def heard_speech(events: Iterable[Event]) -> bool:
    """Whether the backend heard any speech: a non-empty user transcript or a tool call."""
    return any((isinstance(e, UserTranscript) and e.text.strip()) or isinstance(e, ToolCall)
               for e in events)
