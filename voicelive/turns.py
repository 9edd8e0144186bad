"""Turn bookkeeping of a live session and of the offline backend, as plain synchronous code.

One :class:`TurnTracker` decides, without sockets or clocks of its own:

* for the session (``on_*`` methods): whether a chunk of user input is sent or dropped (input
  gating while a blocking tool runs), whether a chunk of reply audio is written or dropped
  (after an interruption), and what each turn measured (:class:`~voicelive.events.TurnComplete`);
* for a backend that runs the conversation itself (the offline one): who has the floor
  (:class:`Phase`), the number of each turn so a reply of a superseded turn is recognised as
  stale, when user speech is a barge-in, and the latency of each turn split into stages
  (:class:`TurnStats`, :func:`stages`).

Latency is "end of user speech to first reply audio". The backend's measure is the silence the
detector waited for (measured in audio, so it is right whether audio arrives in real time or
faster) plus the wall time from the end-of-speech decision to the first reply chunk, split by
the marks :meth:`TurnTracker.heard` and :meth:`TurnTracker.understood`. It never sleeps, never
does I/O and takes the clock as an argument, so tests drive it step by step.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field

from voicelive.config import InputPolicy
from voicelive.events import TurnComplete

__all__ = ["Phase", "TurnStats", "TurnTracker", "stages"]

_MEASURES = ("latency_ms", "tool_ms", "chunks_in", "chunks_out", "dropped_chunks")


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


@dataclass(slots=True)
class _TurnCounters:
    chunks_in: int = 0
    chunks_out: int = 0
    dropped: int = 0
    tool_ms: float = 0.0
    last_voice_at: float | None = None
    first_audio_at: float | None = None
    speech_end_at: float | None = None


@dataclass(slots=True)
class TurnTracker:
    """The decision logic of one conversation's turns.

    Attributes:
        policy: ``pause`` drops user input while a blocking tool runs; ``listen`` keeps it.
        blocking_tools: Ids of blocking tool calls still running.
        dropping_reply: True after an interruption until the next turn starts.
        totals: Session-wide counters (``in``, ``out``, ``dropped_in``, ``dropped_out``,
            ``dropped_frames``, ``frames``, ``turns``, ``interruptions``).
        phase: Who has the floor (for a backend that runs the conversation).
        turn: Number of the current turn (a reply carries it; an older one is stale).
        pending_call: Id of the tool call the current turn waits for.
        playing_until: Wall time until which produced reply audio is still playing
            (estimated).
    """

    policy: InputPolicy = "pause"
    blocking_tools: set[str] = field(default_factory=set)
    dropping_reply: bool = False
    totals: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("in", "out", "dropped_in", "dropped_out", "frames", "dropped_frames", "turns",
             "interruptions"), 0)
    )
    _turn: _TurnCounters = field(default_factory=_TurnCounters)
    _tool_started: dict[str, float] = field(default_factory=dict)
    phase: Phase = Phase.LISTENING
    turn: int = 0
    pending_call: str | None = None
    playing_until: float = 0.0
    _end_wall: float | None = None
    _silence_ms: float = 0.0
    _first_audio_wall: float | None = None
    _heard_wall: float | None = None
    _understood_wall: float | None = None
    _tool_at: float | None = None
    _tool_ms: float = 0.0

    # --- input ---------------------------------------------------------------------------

    @property
    def input_gated(self) -> bool:
        """Whether user input is currently dropped."""
        return self.policy == "pause" and bool(self.blocking_tools)

    def on_input(self, *, voiced: bool, now: float) -> bool:
        """A chunk of user audio is ready; returns True to send it, False if dropped."""
        if self.blocking_tools and self.policy == "pause":  # input_gated, inlined: per chunk
            self._turn.dropped += 1
            self.totals["dropped_in"] += 1
            return False
        self._turn.chunks_in += 1
        self.totals["in"] += 1
        if voiced:
            self._turn.last_voice_at = now
        return True

    def on_frame(self) -> bool:
        """A video frame is ready; returns True to send it, False if dropped (and counted)."""
        if self.input_gated:
            self.totals["dropped_frames"] += 1
            return False
        self.totals["frames"] += 1
        return True

    def on_speech_end(self, now: float) -> None:
        """The backend reported the end of user speech precisely (overrides the estimate)."""
        self._turn.speech_end_at = now

    # --- tools ---------------------------------------------------------------------------

    def on_tool_start(self, call_id: str, *, blocking: bool, now: float) -> None:
        """A tool call started running."""
        self._tool_started[call_id] = now
        if blocking:
            self.blocking_tools.add(call_id)

    def on_tool_end(self, call_id: str, now: float) -> None:
        """A tool call finished, failed or was cancelled."""
        started = self._tool_started.pop(call_id, None)
        if started is not None:
            self._turn.tool_ms += (now - started) * 1000.0
        self.blocking_tools.discard(call_id)

    # --- output --------------------------------------------------------------------------

    def on_reply_audio(self, now: float) -> bool:
        """A chunk of reply audio arrived; returns True to write it, False to drop it."""
        if self.dropping_reply:
            self._turn.dropped += 1
            self.totals["dropped_out"] += 1
            return False
        if self._turn.first_audio_at is None:
            self._turn.first_audio_at = now
        self._turn.chunks_out += 1
        self.totals["out"] += 1
        return True

    def on_interrupted(self) -> None:
        """The user barged in: drop the rest of this turn's reply."""
        self.dropping_reply = True
        self.totals["interruptions"] += 1

    def on_user_speech(self) -> None:
        """New user speech was recognised: a new turn's reply may be written again."""
        self.dropping_reply = False

    def on_turn_complete(self, reported: TurnComplete | None = None) -> TurnComplete:
        """The model finished its turn; returns the turn's event and resets.

        Args:
            reported: The backend's own ``TurnComplete``. It passes through as it is; only the
                fields it left unset (``latency_ms`` ``None``, counters 0) are filled from what
                the session counted. Without one, the event is built from the session's counts.
        """
        own = self._own_turn_complete()
        if reported is None:
            return own
        fill = {name: getattr(own, name) for name in _MEASURES
                if getattr(reported, name) in (None, 0) and getattr(own, name) not in (None, 0)}
        return dataclasses.replace(reported, **fill) if fill else reported

    def _own_turn_complete(self) -> TurnComplete:
        t = self._turn
        end = t.speech_end_at if t.speech_end_at is not None else t.last_voice_at
        latency = None
        if end is not None and t.first_audio_at is not None and t.first_audio_at >= end:
            latency = round((t.first_audio_at - end) * 1000.0, 1)
        event = TurnComplete(
            latency_ms=latency, tool_ms=round(t.tool_ms, 1), chunks_in=t.chunks_in,
            chunks_out=t.chunks_out, dropped_chunks=t.dropped,
        )
        self._turn = _TurnCounters()
        self.dropping_reply = False
        self.totals["turns"] += 1
        return event

    # --- the floor (a backend that runs the conversation) --------------------------------

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
            self._tool_at = now

    def tool_returned(self, call_id: str, now: float) -> int | None:
        """A tool result arrived. Returns the turn it belongs to, or None if it is stale."""
        if call_id != self.pending_call:
            return None
        self.pending_call = None
        if self._tool_at is not None:
            self._tool_ms += (now - self._tool_at) * 1000.0
            self._tool_at = None
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
        self._tool_at = None
        self._tool_ms = 0.0
        self.pending_call = None
