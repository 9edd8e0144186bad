"""Turn state and barge-in decisions of the offline backend, as plain synchronous code.

:class:`TurnTracker` knows whether the user or the assistant has the floor, numbers turns so a
reply of a superseded turn is recognised as stale, decides when user speech is a barge-in, and
works out the latency of each turn. It never sleeps, never does I/O and takes the clock as an
argument, so tests drive it step by step.

Latency is "end of user speech to first reply audio": the silence the detector waited for
(measured in audio, so it is right whether audio arrives in real time or faster) plus the wall
time from the end-of-speech decision to the first reply chunk. That wall time is split into
stages by marks the connection sets (:meth:`TurnTracker.heard`, :meth:`TurnTracker.understood`)
and :func:`stages` adds them up.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Phase", "TurnStats", "TurnTracker", "stages"]


class Phase(enum.Enum):
    """Who has the floor."""

    LISTENING = "listening"
    """Waiting for the user."""
    USER = "user"
    """The user is speaking."""
    THINKING = "thinking"
    """The utterance ended; recognising, matching or waiting for a tool."""
    SPEAKING = "speaking"
    """Reply audio is being produced."""


@dataclass(frozen=True, slots=True)
class TurnStats:
    """Timing of one finished turn.

    Attributes:
        turn: Turn number.
        latency_ms: End of user speech to first reply audio, when the turn came from speech.
        tool_ms: Time between the tool call and its result.
        stages_ms: Where the latency went (see :func:`stages`); ``None`` for a text turn.
    """

    turn: int
    latency_ms: float | None
    tool_ms: float
    stages_ms: dict[str, float] | None = None


def stages(
    *, silence_ms: float, end: float, heard: float | None, understood: float | None,
    tool_ms: float, first_audio: float,
) -> dict[str, float]:
    """Split a turn's latency into its stages (milliseconds, rounded to 0.1).

    Args:
        silence_ms: Silence the detector waited for before ending the utterance.
        end: Wall time (seconds) of the end-of-speech decision.
        heard: Wall time the transcript was ready (before ``end`` when the recogniser ran
            during the silence); ``None`` if unknown.
        understood: Wall time the request was understood (intent and slot check done).
        tool_ms: Time spent in the tool.
        first_audio: Wall time of the first reply audio.

    Returns:
        ``silence``, ``stt`` (recognition still running after the end of speech),
        ``understand``, ``tool`` and ``first_audio`` (speech synthesis until the first
        audio). They add up to the latency.
    """
    heard_at = max(end, heard if heard is not None else end)
    understood_at = max(heard_at, understood if understood is not None else heard_at)
    total_ms = (first_audio - end) * 1000.0
    stt = (heard_at - end) * 1000.0
    understand = (understood_at - heard_at) * 1000.0
    first = max(0.0, total_ms - stt - understand - tool_ms)
    return {
        "silence": round(silence_ms, 1), "stt": round(stt, 1),
        "understand": round(understand, 1), "tool": round(tool_ms, 1),
        "first_audio": round(first, 1),
    }


class TurnTracker:
    """Owns the turn number and phase; every method returns what the caller should do."""

    def __init__(self) -> None:
        self.phase = Phase.LISTENING
        self.turn = 0
        self._end_wall: float | None = None
        self._silence_ms = 0.0
        self._first_audio_wall: float | None = None
        self._heard_wall: float | None = None
        self._understood_wall: float | None = None
        self._tool_started: float | None = None
        self._tool_ms = 0.0
        self.pending_call: str | None = None
        self.playing_until = 0.0
        """Wall time until which produced reply audio is still playing (estimated)."""

    def speech_started(self, now: float) -> bool:
        """The user started speaking at wall time ``now``. Returns True on a barge-in.

        It is a barge-in while the assistant thinks or produces audio, and also while audio it
        already produced is still playing (reply audio is produced faster than it plays, so
        the reply may be complete here while the listener still hears it). Anything of the
        previous turn (a pending tool call, reply audio) is then stale, and the caller emits
        ``Interrupted``. Read :attr:`pending_call` before calling this to cancel it.
        """
        barge_in = self.phase in (Phase.THINKING, Phase.SPEAKING) or now < self.playing_until
        self.playing_until = 0.0
        if barge_in:
            self.turn += 1
        self.phase = Phase.USER
        self._reset_timing()
        return barge_in

    def speech_ended(self, now: float, trailing_silence_ms: float) -> int:
        """The user's utterance ended at wall time ``now`` after ``trailing_silence_ms``.

        Returns:
            The number of the new turn, which the reply must carry.
        """
        self.turn += 1
        self.phase = Phase.THINKING
        self._reset_timing()
        self._end_wall = now
        self._silence_ms = trailing_silence_ms
        return self.turn

    def text_received(self) -> tuple[int, bool]:
        """A text turn arrived. Returns ``(turn, interrupted)``."""
        interrupted = self.phase in (Phase.THINKING, Phase.SPEAKING)
        self.playing_until = 0.0
        self.turn += 1
        self.phase = Phase.THINKING
        self._reset_timing()
        return self.turn, interrupted

    def heard(self, turn: int, at: float) -> None:
        """The transcript of ``turn`` was ready at wall time ``at`` (possibly before the end)."""
        if self.is_current(turn) and self._heard_wall is None:
            self._heard_wall = at

    def understood(self, turn: int, now: float) -> None:
        """The request of ``turn`` was understood (intent and slot check) at ``now``."""
        if self.is_current(turn) and self._understood_wall is None:
            self._understood_wall = now

    def is_current(self, turn: int) -> bool:
        """Whether work for ``turn`` may still produce output."""
        return turn == self.turn and self.phase in (Phase.THINKING, Phase.SPEAKING)

    def tool_called(self, turn: int, call_id: str, now: float) -> None:
        """A tool call for ``turn`` was emitted."""
        if self.is_current(turn):
            self.pending_call = call_id
            self._tool_started = now

    def tool_returned(self, call_id: str, now: float) -> int | None:
        """A tool result arrived. Returns the turn it belongs to, or None if it is stale."""
        if call_id != self.pending_call:
            return None
        self.pending_call = None
        if self._tool_started is not None:
            self._tool_ms += (now - self._tool_started) * 1000.0
            self._tool_started = None
        return self.turn

    def audio_out(self, turn: int, now: float, duration_ms: float = 0.0) -> bool:
        """``duration_ms`` of reply audio for ``turn`` is ready at ``now``.

        Returns:
            False when the audio must be dropped (the turn was superseded).
        """
        if not self.is_current(turn):
            return False
        self.phase = Phase.SPEAKING
        if self._first_audio_wall is None:
            self._first_audio_wall = now
        start = max(self.playing_until, now)
        self.playing_until = start + duration_ms / 1000.0
        return True

    def reply_done(self, turn: int) -> TurnStats | None:
        """The reply of ``turn`` finished. Returns its stats, or None if it was superseded."""
        if not self.is_current(turn):
            return None
        latency = None
        breakdown = None
        if self._end_wall is not None and self._first_audio_wall is not None:
            latency = self._silence_ms + (self._first_audio_wall - self._end_wall) * 1000.0
            breakdown = stages(silence_ms=self._silence_ms, end=self._end_wall,
                               heard=self._heard_wall, understood=self._understood_wall,
                               tool_ms=self._tool_ms, first_audio=self._first_audio_wall)
        stats = TurnStats(turn, latency, self._tool_ms, breakdown)
        self.phase = Phase.LISTENING
        self._reset_timing()
        return stats

    def _reset_timing(self) -> None:
        self._end_wall = None
        self._silence_ms = 0.0
        self._first_audio_wall = None
        self._heard_wall = None
        self._understood_wall = None
        self._tool_started = None
        self._tool_ms = 0.0
        self.pending_call = None
