"""Answering one finished utterance: understand it, make its calls, speak the reply.

:class:`Answerer` takes :class:`Job` s (an utterance's audio and its speculative transcript,
or a typed text) one at a time from the connection's worker. It owns what lives from one
turn to the next: the dialogue state, a confirmation question waiting for its yes or no (and
the calls of that turn after it), and the audio of an utterance that was superseded before
its answer began (carried into the next one).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import anyio
import numpy as np
import numpy.typing as npt

from voicelive.backends.base import INPUT_RATE
from voicelive.events import Event, ToolCall, TurnComplete, UserTranscript
from voicelive.turns import TurnTracker

from .confirming import FOLLOW_UP_TIMEOUT_S, asks_confirmation, moved_on
from .doubt import Doubt, ask_between, decision_counts
from .early import Answered, continue_turn
from .listening import Listener, Opinion, Speculation
from .reply import as_sentence, render_result
from .second import outcome_counts
from .speaking import Speaker
from .stt import Hearing, Transcriber
from .understand import Call, DialogueState, Understander, Understanding

__all__ = ["MAX_CARRIED_S", "Answerer", "Job", "dialogue_of"]

_log = logging.getLogger(__name__)

MAX_CARRIED_S = 30.0
"""Most audio of superseded, unanswered utterances kept to lead the next one (seconds)."""
_COUNTED = {"keep": "kept", "switch": "switched", "ask": "asked"}
_CARRY_GAP = np.zeros(INPUT_RATE * 3 // 10, dtype=np.float32)  # 0.3 s between carried parts


@dataclass(eq=False)
class Job:
    """One utterance to answer.

    Attributes:
        turn: The tracker's turn number.
        audio: The utterance's samples (16 kHz float), or ``None`` for typed text.
        text: Typed text (no recognition), or ``None``.
        speculation: The transcript started at its last pause, if any.
        acted: Set once the turn starts to answer (calls a tool, speaks); see
            :meth:`Answerer.carry_over`.
        continues: Speech resumed after the turn before ended early, within the full silence
            window: this utterance continues it (see :func:`~.early.continues`).
    """

    turn: int
    audio: npt.NDArray[np.float32] | None = None
    text: str | None = None
    speculation: Speculation | None = None
    acted: bool = False
    continues: bool = False


@dataclass(eq=False)
class _Turn:
    """What the turn being answered did so far (see :meth:`Answerer.finish`)."""

    before: DialogueState
    text: str
    made: list[tuple[str, dict[str, Any]]]
    reply: str = ""


class Answerer:
    """The answering side of one connection.

    Args:
        understander: The understanding of the connection's tools.
        listener: Transcribes and rechecks utterances.
        speaker: Speaks the replies.
        tracker: The connection's turn tracker.
        emit: Sends an event to the connection's listeners.
        dialogue: The dialogue state to start from.
        transcribe_input: Emit what the user said as a user transcript.
    """

    def __init__(
        self,
        understander: Understander,
        listener: Listener,
        speaker: Speaker,
        tracker: TurnTracker,
        emit: Callable[[Event], Awaitable[None]],
        *,
        dialogue: DialogueState,
        transcribe_input: bool,
    ) -> None:
        self._understander = understander
        self._listener = listener
        self._speaker = speaker
        self._tracker = tracker
        self._emit = emit
        self._transcribe_input = transcribe_input
        self.dialogue = dialogue
        self.results: dict[str, tuple[anyio.Event, list[dict[str, Any]]]] = {}
        """Calls waiting for their tool's response, by call id."""
        self.awaiting: str | None = None
        """Call id whose spoken yes/no is expected next."""
        self._deferred: list[Call] = []  # calls of that turn after it: run once it is answered
        self._carried: npt.NDArray[np.float32] | None = None
        self.carried_turns = 0
        """Utterances superseded before their answer began, heard again with the next one."""
        self._call_ids = itertools.count(1)
        self._doubt: Doubt | None = None  # the question of doubt asked last turn
        self._last: Answered | None = None  # the turn just answered, if it may be continued
        self._turn: _Turn | None = None  # the turn being answered
        self.continued_turns = 0
        """Utterances heard as the continuation of a turn that had ended early."""
        self.doubts: dict[str, int] = decision_counts()
        """Decisions on writes that had a rival reading (see :mod:`.doubt`)."""
        self.second_opinions: dict[str, int] = outcome_counts()
        """Turns heard again by the second recogniser, and what came of it (:mod:`.second`)."""

    def deliver(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        """Hand a tool's response to the turn waiting for it (a stale one is ignored)."""
        waiting = self.results.get(call_id)
        if waiting is None and call_id == self.awaiting:
            self.awaiting = None  # the session gave the call up (timeout) before an answer
        if waiting is None or self._tracker.tool_returned(call_id, time.perf_counter()) is None:
            _log.debug("ignoring a stale tool result for %s (%s)", call_id, name)
            return
        event, box = waiting
        box.append(dict(response))
        event.set()

    def forget(self, call_id: str) -> None:
        """Stop waiting for the response of ``call_id`` (it was cancelled)."""
        self.results.pop(call_id, None)

    async def answer(self, job: Job) -> None:
        """Hear, understand and answer one utterance (cancelled by a barge-in)."""
        tracker = self._tracker
        hearing: Hearing | None = None
        spec = job.speculation
        last, self._last = self._last, None
        if self._carried is not None:
            carried, self._carried = self._carried, None
            if job.audio is not None:  # heard as one utterance: the speculation saw a part
                job.audio, spec = np.concatenate((carried, _CARRY_GAP, job.audio)), None
                last = None  # the turn before is in this audio
        if job.text is not None:
            heard: Sequence[str] = [job.text]
        else:
            if spec is not None:
                await spec.done.wait()
                hearing = spec.hearing
            if hearing is None and job.audio is not None:
                hearing = await self._listener.transcribe(job.audio)
                spec = None
            heard = hearing.texts if hearing is not None else ()
            tracker.heard(job.turn, spec.heard_at if spec and spec.heard_at else
                          time.perf_counter())
        said_now = next((t.strip() for t in heard if t.strip()), "")
        continued = last if job.continues and last is not None and last.made and said_now \
            else None
        picked = None if continued else self._answer_to_doubt(heard)
        if continued is not None:  # "I skipped my lunch, [pause] just drank some water"
            result = await anyio.to_thread.run_sync(
                continue_turn, self._understander.understand, continued,
                [t for t in heard if t.strip()])
            text = said_now
            self.continued_turns += 1
        elif picked is not None:  # "did you say 14 or 40?" - "forty": that reading, as heard
            result, text = picked, said_now
        else:
            result, text = await self._understand(heard, spec, hearing, job.audio)
        tracker.understood(job.turn, time.perf_counter())
        if not tracker.is_current(job.turn):
            return
        job.acted = True
        if not text:  # noise, or nothing intelligible: the turn ends without a reply
            if tracker.reply_done(job.turn) is not None:
                await self._emit(TurnComplete())
            return
        if self.awaiting is not None:
            follow_up = await self._confirmation_answer(job.turn, self.awaiting, text)
            deferred, self._deferred = self._deferred, []
            if not moved_on(follow_up):
                # "set my goal to 1900 and tell me how I'm doing": the rest, once answered
                answered = [render_result("that", follow_up or {})]
                answered += await self._run_calls(job.turn, deferred)
                await self._speaker.speak(job.turn, " ".join(answered))
                return
        elif self._transcribe_input:
            await self._emit(UserTranscript(text=text, final=True))
        # what a continuation of this turn builds on (kept by finish(), even after a barge-in)
        self._turn = _Turn(continued.before if continued is not None else self.dialogue,
                           result.text, list(continued.made) if continued is not None else [])
        self.dialogue = result.state
        said = await self._run_calls(job.turn, list(result.calls))
        if result.reply and self.awaiting is None:
            said.append(result.reply)
        if not said:
            _log.debug("nothing to say to this turn (%s)", result.kind)
        self._turn.reply = " ".join(said)
        await self._speaker.speak(job.turn, self._turn.reply)

    def finish(self, job: Job) -> None:
        """After a job, whether answered, superseded or cut short: keep what the next needs.

        The audio of a turn superseded before its answer began leads the next utterance
        (:meth:`carry_over`); a turn that made calls may be continued by the next one (see
        :func:`~.early.continue_turn`). A call counts as made once it was sent: a barge-in
        right after it does not undo a tool that already ran.
        """
        self.carry_over(job)
        turn, self._turn = self._turn, None
        if turn is not None and self.awaiting is None:
            self._last = Answered(turn.before, turn.text, tuple(turn.made), turn.reply)

    async def _understand(self, heard: Sequence[str], spec: Speculation | None,
                          hearing: Hearing | None,
                          audio: npt.NDArray[np.float32] | None = None,
                          ) -> tuple[Understanding, str]:
        """What the hypotheses ask for, checked against the audio; and the text heard."""
        # Already worked out during the pause if speculative; understanding is CPU work (a
        # long typed text too), never on the event loop.
        if spec is not None and spec.result is not None:
            result = spec.result
        else:
            result = await anyio.to_thread.run_sync(
                self._understander.understand, [t.strip() for t in heard if t.strip()],
                self.dialogue)
        listener = self._listener
        by: Transcriber | None = None  # the recogniser whose hearing the result came from
        opinion: Opinion | None = None
        if hearing is not None and audio is not None and self.awaiting is None:
            opinion = await self._second_opinion(audio, hearing, result)
            choice = opinion.choice if opinion is not None else None
            if choice is not None and choice.decision == "second" and opinion is not None:
                result, hearing, by = choice.result, opinion.hearing, listener.second
            elif choice is not None and choice.decision == "ask" and choice.rival is not None:
                verdict = ask_between(result, choice.rival, self.dialogue)
                self._doubt = verdict.doubt
                return verdict.result, result.text
        text = result.text
        corrected: list[Understanding] = []
        # The audio may say a text value holds another known value.
        if (result.calls or result.tentative) and hearing is not None and listener.check_slots:
            revised = await listener.recheck(hearing, result, by)
            if revised is not None:
                corrected.append(result)
                text, result = as_sentence(revised.text), revised
        # A write runs only when the audio supports its reading better than any rival's.
        if (hearing is not None and listener.check_writes and self.awaiting is None
                and any(c.writes for c in result.calls)):
            verdict = await listener.weigh(hearing, result, self.dialogue, corrected, by)
            if (verdict.decision == "ask" and verdict.rival is not None and audio is not None
                    and opinion is None and listener.second is not None):
                # the second recogniser may answer the question ("14 or 40?") itself
                settled = await self._settle_doubt(audio, hearing, result, verdict.rival)
                if settled is not None:
                    verdict = replace(verdict, decision="keep" if settled is result else
                                      "switch", result=settled)
            if verdict.margin is not None:
                self.doubts[_COUNTED[verdict.decision]] += 1
                _log.debug("write %s (margin %.2f)", verdict.decision, verdict.margin)
            if verdict.decision == "switch":
                text, result = as_sentence(verdict.result.text), verdict.result
            elif verdict.decision == "ask":
                result, self._doubt = verdict.result, verdict.doubt
        return result, text

    async def _settle_doubt(self, audio: npt.NDArray[np.float32], hearing: Hearing,
                            result: Understanding,
                            rival: Understanding) -> Understanding | None:
        """The reading a second hearing picks between ``result`` and ``rival`` (counted)."""
        opinion = await self._listener.second_opinion(audio, hearing, result, self.dialogue,
                                                      "doubt", rival=rival)
        choice = opinion.choice if opinion is not None else None
        self._count(opinion, "doubt")
        if choice is None or choice.decision == "ask":
            return None
        return choice.result

    async def _second_opinion(self, audio: npt.NDArray[np.float32], hearing: Hearing,
                              result: Understanding) -> Opinion | None:
        """The second recogniser's opinion on an unsure ``result`` (counted), if one is due."""
        listener = self._listener
        reason = listener.unsure(hearing, result)
        if reason is None:
            return None
        opinion = await listener.second_opinion(audio, hearing, result, self.dialogue, reason)
        self._count(opinion, reason)
        return opinion

    def _count(self, opinion: Opinion | None, reason: str) -> None:
        counts = self.second_opinions
        counts["asked"] += 1
        counts[reason] += 1
        choice = opinion.choice if opinion is not None else None
        if choice is None:
            counts["failed"] += 1
        else:
            counts[{"first": "kept", "second": "taken", "ask": "questions"}[
                choice.decision]] += 1
            _log.debug("second opinion (%s): %s, %s", reason, choice.decision, choice.why)

    def _answer_to_doubt(self, heard: Sequence[str]) -> Understanding | None:
        """The reading a question of doubt asked last turn is answered with, if any."""
        doubt, self._doubt = self._doubt, None
        if doubt is None:
            return None
        picked = doubt.resolve([t for t in heard if t.strip()])
        self.doubts["resolved" if picked is not None else "dropped"] += 1
        return picked

    def carry_over(self, job: Job) -> None:
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
        # job.audio already holds anything carried before it: answer() took it in at its start
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
            self.results[call_id] = (event, box)
            self._tracker.tool_called(turn, call_id, time.perf_counter())
            await self._emit(ToolCall(id=call_id, name=call.tool, args=dict(call.args)))
            if self._turn is not None:
                self._turn.made.append((call.tool, dict(call.args)))
            try:
                await event.wait()
            finally:
                self.results.pop(call_id, None)
            said.append(render_result(call.tool.replace("_", " "), box[0]))
            if asks_confirmation(box[0]):
                self.awaiting = call_id
                self._deferred = calls[i + 1:]
                break
        return said

    async def _confirmation_answer(self, turn: int, call_id: str,
                                   text: str) -> dict[str, Any] | None:
        """Send the answer to a confirmation question; the session's follow-up, if any."""
        self.awaiting = None
        event, box = anyio.Event(), list[dict[str, Any]]()
        self.results[call_id] = (event, box)
        self._tracker.tool_called(turn, call_id, time.perf_counter())
        await self._emit(UserTranscript(text=text, final=True))
        try:
            with anyio.move_on_after(FOLLOW_UP_TIMEOUT_S):
                await event.wait()
        finally:
            self.results.pop(call_id, None)
        return box[0] if box else None


def dialogue_of(state: dict[str, Any]) -> DialogueState:
    """The dialogue state saved under ``"dialogue"`` (a new one when absent or broken)."""
    saved = state.get("dialogue")
    if isinstance(saved, dict):
        try:
            return DialogueState.from_dict(saved)
        except ValueError:
            _log.warning("ignoring a saved dialogue state of a newer version")
    return DialogueState()
