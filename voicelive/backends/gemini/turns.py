"""The user's turn as the Gemini backend reports it, in plain synchronous code.

* :class:`TurnLedger` decides which ``turnComplete`` of the service ends the application's turn
  and measures the turn. On Gemini 2.5 native audio a ``turnComplete`` follows every
  ``toolCall`` at once; it closes the call, not the turn: the answer comes after the tool's
  result, and only the ``turnComplete`` after it ends the turn. Exactly one
  :class:`~voicelive.events.TurnComplete` per turn is built here, with the backend's own
  latency when it knows the end of the user's speech (a ``voiceActivity`` end from the service,
  the end of the audio stream, a manual activity end, or a typed message).
* :class:`AudioAligner` keeps reply audio aligned to 16-bit samples when the service sends a
  part with an odd number of bytes: the odd byte is carried into the next part of the same
  turn, and dropped (and counted) when the turn ends first.

Callers pass ``now`` (monotonic seconds); nothing here reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicelive.backends.gemini.families import ModelFamily
from voicelive.events import TurnComplete

__all__ = ["AudioAligner", "TurnLedger"]


@dataclass(slots=True)
class TurnLedger:
    """Which ``turnComplete`` ends the user's turn, and what the turn measured.

    Attributes:
        family: The model family (does ``turnComplete`` follow a ``toolCall``?).
        tool_turn_completes: ``turnComplete`` messages taken as closing a tool call only.
    """

    family: ModelFamily
    tool_turn_completes: int = 0
    _call_open: bool = False  # a toolCall arrived and the model said nothing since
    _interrupted: bool = False
    _speech_end_at: float | None = None
    _first_audio_at: float | None = None

    def on_speech_end(self, now: float) -> None:
        """The user's speech (or typed message) ended at ``now``; the reply is awaited."""
        if self._first_audio_at is None:
            self._speech_end_at = now

    def on_tool_call(self) -> None:
        """The model called tools."""
        self._call_open = True

    def on_reply(self, now: float, *, audio: bool) -> None:
        """The model produced output (audio or a transcript of its speech)."""
        self._call_open = False
        if audio and self._first_audio_at is None:
            self._first_audio_at = now

    def on_interrupted(self) -> None:
        """The user barged in; the next ``turnComplete`` ends the turn whatever came before."""
        self._interrupted = True

    def on_turn_complete(self) -> TurnComplete | None:
        """The service sent ``turnComplete``.

        Returns:
            The turn's :class:`~voicelive.events.TurnComplete`, or ``None`` when the message
            only closes a tool call (2.5 family: no output since the ``toolCall``, no
            interruption). Only the first such message per call is taken so; a model that
            answers a result with nothing still ends the turn.
        """
        if self.family.turn_complete_closes_tool_call and self._call_open and not self._interrupted:
            self._call_open = False
            self.tool_turn_completes += 1
            return None
        latency = None
        end, first = self._speech_end_at, self._first_audio_at
        if end is not None and first is not None and first >= end:
            latency = round((first - end) * 1000.0, 1)
        self._call_open = self._interrupted = False
        self._speech_end_at = self._first_audio_at = None
        return TurnComplete(latency_ms=latency)


@dataclass(slots=True)
class AudioAligner:
    """Keeps reply audio on 16-bit sample boundaries across parts.

    Attributes:
        odd_parts: Audio parts received with an odd number of bytes.
        dropped_bytes: Carried bytes dropped because the turn ended before the next part.
    """

    odd_parts: int = 0
    dropped_bytes: int = 0
    _carry: bytes = b""

    def feed(self, data: bytes) -> bytes:
        """Return the even-length audio to play now (possibly empty)."""
        if len(data) % 2:
            self.odd_parts += 1
        if self._carry:
            data = self._carry + data
            self._carry = b""
        if len(data) % 2:
            self._carry = data[-1:]
            data = data[:-1]
        return data

    def end_turn(self) -> None:
        """The turn ended or was interrupted: a carried byte has no partner any more."""
        if self._carry:
            self.dropped_bytes += len(self._carry)
            self._carry = b""
