"""Conversations that survive a reconnect, to this process or any other one.

:class:`Resumer` is what a connection asks at ``start`` and while its session runs:

* :meth:`Resumer.begin` checks the ``resume`` token of a ``start`` message (pure
  :class:`~voicelive.server.resume.ResumeTokens`), loads the conversation from the shared
  :class:`~voicelive.store.Store` and returns a :class:`ResumePlan`: which conversation and user
  the session continues, the backend state to continue from, or why the token was refused (the
  client is told in a ``resume_refused`` message and a fresh conversation starts);
* :class:`Checkpointer` runs beside the session: right away, after every turn and every
  ``checkpoint_s`` it asks the session for its exportable state, saves it when it changed (or
  when the stored copy is half-way to expiry) and sends the client a fresh ``resume`` token.

Store calls block, so they run in worker threads. A failing store never ends a session: the
failure is logged and counted, and the client keeps its previous token.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import anyio
import anyio.to_thread
from pydantic import BaseModel, ConfigDict

from voicelive.config import SessionConfig
from voicelive.exceptions import VoiceLiveError
from voicelive.server.protocol import StartMessage
from voicelive.server.resume import RefusalReason, ResumeRefused, ResumeTokens
from voicelive.store import Conversation, Store

__all__ = [
    "Checkpointer",
    "ResumeMessage",
    "ResumePlan",
    "ResumeRefusedMessage",
    "Resumer",
]

log = logging.getLogger(__name__)


class ResumeMessage(BaseModel):
    """Server to client: the newest resume token; send it back in ``start`` to continue."""

    model_config = ConfigDict(frozen=True)

    type: Literal["resume"] = "resume"
    token: str
    expires_in_s: float


class ResumeRefusedMessage(BaseModel):
    """Server to client: the ``resume`` token of ``start`` was refused; a new conversation starts.

    ``reason`` is ``invalid`` (forged or damaged), ``expired``, ``wrong_user`` or ``unknown``
    (the store no longer holds the conversation).
    """

    model_config = ConfigDict(frozen=True)

    type: Literal["resume_refused"] = "resume_refused"
    reason: RefusalReason
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumePlan:
    """How one session starts.

    Attributes:
        conversation_id: The conversation it continues or begins.
        user: The user the client declared.
        user_id: Whose tools and day state the session uses.
        state: The backend state to continue from (``None`` for a fresh conversation).
        refused: Why the presented token was refused, if it was.
    """

    conversation_id: str
    user: str | None
    user_id: str
    state: dict[str, Any] | None = None
    refused: ResumeRefused | None = None

    @property
    def resumed(self) -> bool:
        """Whether the session continues a stored conversation."""
        return self.state is not None

    def apply(self, config: SessionConfig) -> SessionConfig:
        """``config`` for this plan: its user id, and the state to resume from."""
        update: dict[str, Any] = {"user_id": self.user_id}
        if self.state is not None:
            update["resume_state"] = dict(self.state)
            handle = self.state.get("handle")
            if isinstance(handle, str) and handle:
                update["resumption_handle"] = handle
        return config.model_copy(update=update)

    def refusal_message(self) -> dict[str, Any] | None:
        """The ``resume_refused`` message to send, or ``None``."""
        if self.refused is None:
            return None
        return ResumeRefusedMessage(reason=self.refused.reason,
                                    message=self.refused.message).model_dump(mode="json")


class Resumer:
    """Tokens plus the store: starts, resumes and checkpoints conversations.

    Args:
        store: Where conversations are kept (shared by every worker for cross-process resume).
        tokens: Signs and checks tokens (the secret every worker shares).
        checkpoint_s: Seconds between checks of a running session's state.
        clock: Unix time (tests pass their own).
    """

    def __init__(
        self,
        store: Store,
        tokens: ResumeTokens,
        *,
        checkpoint_s: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.tokens = tokens
        self.checkpoint_s = checkpoint_s
        self.clock = clock
        self.resumed = 0
        self.refused = 0
        self.store_failures = 0

    def plan(self, start: StartMessage, session_id: str) -> ResumePlan:
        """Decide how a session starts (blocking: may read the store)."""
        fresh = ResumePlan(conversation_id=uuid.uuid4().hex, user=start.user,
                           user_id=start.user or f"anon-{session_id}")
        token = getattr(start, "resume", None)
        if not token:
            return fresh
        now = self.clock()
        try:
            claim = self.tokens.verify(token, user=start.user, now=now)
            stored = self.store.load_conversation(claim.conversation_id, now=now)
            if stored is None or stored.user_id != claim.user_id:
                raise ResumeRefused(
                    "unknown", "the conversation to resume is no longer kept; a new one started")
        except ResumeRefused as refusal:
            self.refused += 1
            log.info("resume refused (%s)", refusal.reason)
            return ResumePlan(conversation_id=fresh.conversation_id, user=fresh.user,
                              user_id=fresh.user_id, refused=refusal)
        except VoiceLiveError as exc:  # the store is down: a fresh session, said plainly
            self.store_failures += 1
            log.warning("resume impossible, store failed: %s", type(exc).__name__)
            return ResumePlan(
                conversation_id=fresh.conversation_id, user=fresh.user, user_id=fresh.user_id,
                refused=ResumeRefused("unknown", "the conversation store is unavailable; "
                                                 "a new conversation was started"))
        self.resumed += 1
        return ResumePlan(conversation_id=claim.conversation_id, user=claim.user,
                          user_id=claim.user_id, state=dict(stored.state))

    async def begin(self, start: StartMessage, session_id: str) -> ResumePlan:
        """:meth:`plan` in a worker thread."""
        return await anyio.to_thread.run_sync(self.plan, start, session_id)

    def save(self, plan: ResumePlan, state: dict[str, Any]) -> str:
        """Store ``state`` for ``plan``'s conversation and return a fresh token (blocking)."""
        now = self.clock()
        self.store.save_conversation(Conversation(
            conversation_id=plan.conversation_id, user_id=plan.user_id, state=state,
            expires_at=now + self.tokens.ttl_s))
        return self.tokens.issue(conversation_id=plan.conversation_id, user=plan.user,
                                 user_id=plan.user_id, now=now)


class Checkpointer:
    """Saves one session's state as it goes and hands the client fresh tokens.

    Args:
        resumer: The server's resumer.
        plan: The session's plan.
        export: Returns the session's exportable state (``LiveSession.export_state``).
        send: Queues a JSON message to the client.
    """

    def __init__(
        self,
        resumer: Resumer,
        plan: ResumePlan,
        export: Callable[[], dict[str, Any] | None],
        send: Callable[[dict[str, Any]], None],
    ) -> None:
        self.resumer = resumer
        self.plan = plan
        self._export = export
        self._send = send
        self._poke: anyio.Event | None = None
        self._saved: dict[str, Any] | None = None
        self._saved_at = float("-inf")
        self._scope: anyio.CancelScope | None = None
        self._stopped = False
        self.saves = 0

    def poke(self) -> None:
        """Check now (a turn just completed)."""
        if self._poke is not None:
            self._poke.set()

    def due(self, state: dict[str, Any], now: float) -> bool:
        """Whether ``state`` must be saved: first time, changed, or the copy is half-way old."""
        return (self._saved is None or state != self._saved
                or now - self._saved_at >= self.resumer.tokens.ttl_s / 2)

    def stop(self) -> None:
        """End :meth:`run` (the session ended)."""
        self._stopped = True
        if self._scope is not None:
            self._scope.cancel()

    async def run(self) -> None:
        """Check, save and refresh the token until :meth:`stop`."""
        self._scope = anyio.CancelScope()
        if self._stopped:
            return
        with self._scope:
            while True:
                self._poke = anyio.Event()
                await self.checkpoint()
                with anyio.move_on_after(self.resumer.checkpoint_s):
                    await self._poke.wait()

    async def checkpoint(self) -> None:
        """One check: save and send a token when :meth:`due`."""
        state = self._export() or {}
        now = self.resumer.clock()
        if not self.due(state, now):
            return
        try:
            token = await anyio.to_thread.run_sync(self.resumer.save, self.plan, state)
        except VoiceLiveError as exc:
            self.resumer.store_failures += 1
            log.warning("conversation checkpoint failed: %s", type(exc).__name__)
            self._saved_at = now  # tried again at the next check
            return
        self._saved, self._saved_at = dict(state), now
        self.saves += 1
        self._send(ResumeMessage(token=token,
                                 expires_in_s=self.resumer.tokens.ttl_s).model_dump(mode="json"))
