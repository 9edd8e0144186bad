"""The session's side of spoken confirmation: carries out :class:`ConfirmationGate` decisions.

:class:`SessionConfirmations` belongs to one :class:`~voicelive.LiveSession`. The session hands
it every tool call, user transcript, finished or interrupted assistant turn and withdrawn call;
the gate (:mod:`voicelive.tools.confirmation`) decides, and this module emits the
``tool_confirmation`` events, answers the backend and starts the confirmed call. It decides
nothing itself.

What the backend hears on the call's id (a ``{"output": ...}`` tool response each time):

- at the call: ``status: confirmation_required`` with the ``question`` (also as ``summary``,
  which the offline backend speaks) and a note telling the model to ask it and wait;
- after a yes: the tool's real response;
- after a no: ``status: declined``; after a different request: ``status: cancelled`` (the
  offline backend then handles that request as usual); after the timeout: ``status: expired``.

Gemini takes one function response per call id, so its backend sends the responses after the
first as a text turn naming the call (:mod:`voicelive.backends.gemini.declarations`).

Time comes from a :class:`Clock`, so tests replace it with a fake one and never sleep.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol

import anyio

from voicelive.events import ToolCall, ToolCancelled, ToolConfirmation, UserTranscript
from voicelive.exceptions import ToolArgumentError
from voicelive.tools.confirmation import (
    Ask,
    Cancel,
    ConfirmationGate,
    Decision,
    Duplicate,
    PassThrough,
    PendingCall,
    Repeat,
    Run,
)

if TYPE_CHECKING:
    from anyio.abc import TaskGroup

    from voicelive.backends.base import BackendConnection
    from voicelive.session import LiveSession

__all__ = ["Clock", "MonotonicClock", "SessionConfirmations"]

log = logging.getLogger(__name__)

_ASK_NOTE = (
    "Nothing has been done yet. Ask the user exactly this question and wait for the answer. "
    "When they say yes, the system runs the call and sends you its result; do not call the "
    "tool again."
)
_DUPLICATE_NOTE = (
    "This call already ran after the user said yes; its result was sent on the first call's "
    "id. Do not call it again."
)
_FOLLOW_UPS: dict[str, dict[str, Any]] = {
    "no": {"status": "declined", "summary": "Okay, I won't do that.",
           "note": "The user said no; nothing was done."},
    "new_request": {"status": "cancelled",
                    "note": "The user asked for something else; nothing was done."},
    "timeout": {"status": "expired", "note": "The user did not answer; nothing was done."},
    "withdrawn": {"status": "expired", "note": "The call was withdrawn; nothing was done."},
}


class Clock(Protocol):
    """Where the confirmation timeout gets its time."""

    def now(self) -> float:
        """Seconds on a monotonic clock."""
        ...

    async def sleep_until(self, deadline: float) -> None:
        """Return once :meth:`now` has reached ``deadline``."""
        ...


class MonotonicClock:
    """The event loop's clock."""

    def now(self) -> float:
        """``anyio.current_time()``."""
        return anyio.current_time()

    async def sleep_until(self, deadline: float) -> None:
        """Sleep on the event loop until ``deadline``."""
        await anyio.sleep_until(deadline)


class SessionConfirmations:
    """Spoken confirmation for one session.

    Attributes:
        gate: The state machine; its ``timeout_s`` may be changed before the session starts.
        clock: The clock of the timeout; replace it before the session starts.
    """

    def __init__(self, session: LiveSession) -> None:
        self._session = session
        self.gate = ConfirmationGate(language=session.config.language or "en")
        self.clock: Clock = MonotonicClock()
        self._changed = anyio.Event()
        self._heard: list[str] = []
        self._out_at_ask = 0

    # --- from the session -----------------------------------------------------------------

    async def on_tool_call(self, call: ToolCall, tg: TaskGroup) -> bool:
        """A tool call arrived (already emitted); ``True`` when it must not run now."""
        question = self._question(call)
        if question is None and self.gate.pending is None:
            return False
        decisions = self.gate.on_call(call.id, call.name, call.args, question, self.clock.now())
        return await self._carry_out(decisions, tg, new_call=call)

    async def on_transcript(self, event: UserTranscript, tg: TaskGroup) -> None:
        """A user transcript (already emitted); a final one is the user's turn."""
        if self.gate.pending is None:
            if event.final:
                self.gate.on_user_turn(event.text, self.clock.now())  # ends a "recent" call
            return
        if not self.gate.asked:
            return
        self._heard.append(event.text)
        if event.final:
            await self._user_turn(tg)

    async def on_turn_end(self, tg: TaskGroup, *, interrupted: bool = False) -> None:
        """An assistant turn completed or was interrupted.

        The question counts as put once reply audio went out after the call (a turn that ends
        before that, as Gemini 2.5 sends right after a tool call, does not count) or the user
        spoke over the assistant.
        """
        if self.gate.pending is None:
            return
        if self._heard:  # the user's turn ended without a final transcript
            await self._user_turn(tg)
        if interrupted or self._session.tracker.totals["out"] > self._out_at_ask:
            self.gate.on_question_put(self.clock.now())
            self._wake()

    async def on_withdrawn(self, ids: tuple[str, ...], tg: TaskGroup) -> None:
        """The backend withdrew calls."""
        await self._carry_out(self.gate.on_withdrawn(ids), tg)

    def end(self) -> None:
        """The session ends: a pending call is cancelled (events only; the backend is gone)."""
        for decision in self.gate.on_end():
            if isinstance(decision, Cancel):
                self._emit_status(decision.call, decision.status)
                self._session._emit(ToolCancelled(id=decision.call.id, name=decision.call.name))

    async def watch(self, tg: TaskGroup) -> None:
        """Task: expire a pending call at its deadline (per :attr:`clock`)."""
        while True:
            deadline = self.gate.deadline
            if deadline is None:
                await self._changed.wait()
                self._changed = anyio.Event()
                continue
            await self.clock.sleep_until(deadline)
            await self._carry_out(self.gate.on_tick(self.clock.now()), tg)

    # --- carrying out ---------------------------------------------------------------------

    def _question(self, call: ToolCall) -> str | None:
        tools = self._session.tools
        if call.name not in tools:
            return None
        tool = tools.get(call.name)
        if not tool.confirm:
            return None
        try:
            tool.validate(call.args)
        except ToolArgumentError:
            return None  # invalid arguments: run it, and the model hears the argument error
        return tool.confirmation_question(call.args)

    async def _user_turn(self, tg: TaskGroup) -> None:
        text, self._heard = " ".join(self._heard).strip(), []
        await self._carry_out(self.gate.on_user_turn(text, self.clock.now()), tg)

    async def _carry_out(
        self, decisions: list[Decision], tg: TaskGroup, new_call: ToolCall | None = None
    ) -> bool:
        held = False
        conn = self._session._connection()
        for decision in decisions:
            match decision:
                case PassThrough():
                    held = False
                case Ask(call=pending):
                    held = True
                    self._out_at_ask = self._session.tracker.totals["out"]
                    self._emit_status(pending, "pending")
                    log.info("session %s: %s awaits confirmation", self._session.session_id,
                             pending.name)
                    await self._ask(conn, pending.id, pending)
                case Repeat(call_id=call_id, pending=pending):
                    held = True
                    await self._ask(conn, call_id, pending)
                case Duplicate(call_id=call_id, done=done):
                    held = True  # it ran once after the yes; it does not run twice
                    self._session._emit(ToolCancelled(id=call_id, name=done.name))
                    await conn.send_tool_result(
                        call_id, done.name,
                        {"output": {"status": "already_done", "note": _DUPLICATE_NOTE}})
                case Run(call=call):
                    self._emit_status(call, "confirmed")
                    self._session._start_tool(
                        ToolCall(id=call.id, name=call.name, args=call.args), tg)
                case Cancel(call=call, status=status, reason=reason):
                    self._emit_status(call, status)
                    self._session._emit(ToolCancelled(id=call.id, name=call.name))
                    follow = _FOLLOW_UPS.get(reason)
                    if follow is not None:
                        await conn.send_tool_result(call.id, call.name,
                                                    {"output": dict(follow)})
        self._wake()
        return held

    @staticmethod
    async def _ask(conn: BackendConnection, call_id: str, pending: PendingCall) -> None:
        await conn.send_tool_result(call_id, pending.name, {"output": {
            "status": "confirmation_required", "question": pending.question,
            "summary": pending.question, "note": _ASK_NOTE,
        }})

    def _emit_status(self, call: PendingCall, status: str) -> None:
        self._session._emit(ToolConfirmation(
            id=call.id, name=call.name, args=dict(call.args), status=status,
            question=call.question,
        ))

    def _wake(self) -> None:
        self._changed.set()
