"""Turn bookkeeping for a live session, as plain synchronous code.

:class:`TurnTracker` decides, without sockets or clocks of its own, whether a chunk of user
input is sent or dropped (input gating while a blocking tool runs), whether a chunk of reply
audio is written or dropped (after an interruption), and what each turn measured. The session
feeds it facts with timestamps; tests drive it directly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from voicelive.config import InputPolicy
from voicelive.events import TurnComplete

__all__ = ["TurnTracker"]

_MEASURES = ("latency_ms", "tool_ms", "chunks_in", "chunks_out", "dropped_chunks")


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
    """The session's decision logic for one conversation.

    Attributes:
        policy: ``pause`` drops user input while a blocking tool runs; ``listen`` keeps it.
        blocking_tools: Ids of blocking tool calls still running.
        dropping_reply: True after an interruption until the next turn starts.
        totals: Session-wide counters (``in``, ``out``, ``dropped_in``, ``dropped_out``,
            ``dropped_frames``, ``frames``, ``turns``, ``interruptions``).
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
