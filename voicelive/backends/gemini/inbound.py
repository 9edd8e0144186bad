"""What one server message does to a Gemini conversation, in plain synchronous code.

:class:`Inbound` takes a decoded server message and the time it arrived, tells the hand-over
planner about tool calls, withdrawn calls, resumption handles and ``goAway``, keeps the turn
ledger and the reply-audio aligner up to date, and returns the events to emit, in order. No
socket and no clock: :class:`~voicelive.backends.gemini.connection.GeminiConnection` reads the
socket and passes ``now``, so tests drive every step directly.

What a message means is :func:`~voicelive.backends.gemini.mapping.interpret`'s job; which
``turnComplete`` ends the user's turn is :class:`~voicelive.backends.gemini.turns.TurnLedger`'s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from voicelive.backends.gemini.families import ModelFamily
from voicelive.backends.gemini.handover import HandoverPlanner
from voicelive.backends.gemini.mapping import interpret
from voicelive.backends.gemini.turns import AudioAligner, TurnLedger
from voicelive.events import AssistantTranscript, AudioOut, Event, Interrupted, TurnComplete

__all__ = ["Inbound"]

logger = logging.getLogger(__name__)

_Step = Callable[[Any, float], Event | None]


class Inbound:
    """Turns server messages into events and moves the conversation's state.

    Args:
        planner: The connection's hand-over planner (told about calls, handles, ``goAway``).
        family: The model's family (how its ``turnComplete`` messages are read).

    Attributes:
        planner: The hand-over planner.
        ledger: Which ``turnComplete`` ends the user's turn, and the turn's latency.
        aligner: Keeps reply audio in whole 16-bit samples across parts.
        ignored_messages: Server messages that were not JSON objects or had unknown or
            unreadable parts (skipped, logged at DEBUG).
    """

    def __init__(self, planner: HandoverPlanner, family: ModelFamily) -> None:
        self.planner = planner
        self.ledger = TurnLedger(family)
        self.aligner = AudioAligner()
        self.ignored_messages = 0
        self._steps: dict[type[Event], _Step] = {
            AudioOut: self._audio,
            AssistantTranscript: self._transcript,
            Interrupted: self._interrupted,
            TurnComplete: self._turn_complete,
        }

    def skip(self) -> None:
        """Count a server message that is not a JSON object."""
        self.ignored_messages += 1
        logger.debug("skipped a server message that is not a JSON object")

    def decode(self, message: dict[str, Any], now: float) -> list[Event]:
        """Apply one server message received at ``now``; return the events to emit, in order."""
        meaning = interpret(message)
        if meaning.ignored:
            self.ignored_messages += 1
            logger.debug("ignored parts of a server message: %s", ", ".join(meaning.ignored))
        if meaning.speech_ended:
            self.ledger.on_speech_end(now)
        if meaning.tool_call_ids:
            self.planner.on_tool_calls(meaning.tool_call_ids)
            self.ledger.on_tool_call()
        if meaning.cancelled_ids:
            self.planner.on_tool_cancelled(meaning.cancelled_ids)
        if meaning.resumption is not None:
            handle, resumable = meaning.resumption
            self.planner.on_resumption_update(handle, resumable=resumable)
        if meaning.go_away_s is not None:
            self.planner.on_go_away(meaning.go_away_s, now)
            logger.info("goAway: %.1f s left", meaning.go_away_s)
        out: list[Event] = []
        for event in meaning.events:
            step = self._steps.get(type(event))
            kept = event if step is None else step(event, now)
            if kept is not None:
                out.append(kept)
        return out

    # --- one step per kind of event that moves state ---------------------------------------

    def _audio(self, event: AudioOut, now: float) -> Event | None:
        data = self.aligner.feed(event.data)
        if not data:
            return None
        self.ledger.on_reply(now, audio=True)
        if len(data) != len(event.data):
            return AudioOut(data=data, sample_rate=event.sample_rate)
        return event

    def _transcript(self, event: AssistantTranscript, now: float) -> Event:
        self.ledger.on_reply(now, audio=False)
        return event

    def _interrupted(self, event: Interrupted, now: float) -> Event:
        self.ledger.on_interrupted()
        self.aligner.end_turn()
        return event

    def _turn_complete(self, event: TurnComplete, now: float) -> Event | None:
        done = self.ledger.on_turn_complete()
        if done is None:
            logger.debug("turnComplete closed a tool call; the turn goes on")
            return None
        self.aligner.end_turn()
        return done
