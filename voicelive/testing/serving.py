"""The WebSocket side of LiveEmulator: one connection's messages through its profile and script.

:class:`ScriptServer` owns what every connection shares (the script runner, issued handles and
tokens, timers) and handles each connection: it decodes a client message, lets the connection's
:class:`~voicelive.testing.conversation.Conversation` and the
:class:`~voicelive.testing.script.ScriptRunner` decide, and writes what they decided (sends,
closes, the ``goAway`` deadline, wait-step timers). The decisions themselves live in those pure
classes; this module only moves bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Sequence
from typing import Any

from websockets.asyncio.server import ServerConnection
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from voicelive.testing import messages
from voicelive.testing.auth import Refusal, TokenBook, authorize, route_of
from voicelive.testing.conversation import DEADLINE_REASON, Conversation, HandleBook, Outcome
from voicelive.testing.echo import AudioResponder, rate_of
from voicelive.testing.profiles import Profile, resolve_profile
from voicelive.testing.recording import EmulatorClose, Recording
from voicelive.testing.script import Close, Received, ScriptRunner, Step

__all__ = ["MAX_TIMER_S", "ScriptServer"]

MAX_TIMER_S = 3600.0
"""Longest a wait step or a ``goAway`` deadline may run (longer ones are cut to this)."""


class ScriptServer(Recording):
    """Serves connections: auth at the upgrade, then profile + script for every message.

    See :class:`~voicelive.testing.LiveEmulator` for the arguments.
    """

    def __init__(
        self,
        script: Sequence[Step],
        *,
        api_key: str | None,
        answer_setup: bool,
        responder: AudioResponder | None,
        record: bool,
        profile: Profile | str | None,
        strict: bool,
        vertex_token: str | None,
        known_handles: Sequence[str],
    ) -> None:
        super().__init__()
        resolve_profile(profile, "")  # an unknown profile name fails here, not per connection
        self.api_key = api_key
        self.answer_setup = answer_setup
        self.record = record
        self.profile = profile
        self.strict = strict
        self.vertex_token = vertex_token
        self.tokens = TokenBook()
        self.handles = HandleBook(set(known_handles))
        self.connections = 0
        self.active = 0
        self._responder = responder
        self._runner = ScriptRunner(list(script))
        self._changed = asyncio.Event()
        self._setup_gate: asyncio.Event | None = None
        self._open: dict[int, ServerConnection] = {}
        self._deadlines: dict[int, asyncio.Task[None]] = {}
        self._timers: set[asyncio.Task[None]] = set()
        self._play_lock = asyncio.Lock()

    def _reset_loop_state(self) -> None:
        """Fresh event-loop objects for a server start (sync mode runs on its own loop)."""
        self._changed = asyncio.Event()
        self._play_lock = asyncio.Lock()

    def _cancel_timers(self) -> None:
        for task in [*self._timers, *self._deadlines.values()]:
            task.cancel()

    # --- the server -------------------------------------------------------------------------

    def _check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        decision = authorize(
            request.path,
            request.headers,
            api_key=self.api_key,
            tokens=self.tokens,
            vertex_token=self.vertex_token,
            now=time.monotonic(),
        )
        if isinstance(decision, Refusal):
            return connection.respond(decision.status, decision.reason + "\n")
        return None

    def _notify(self) -> None:
        self._changed.set()

    async def _handle(self, ws: ServerConnection) -> None:
        self.connections += 1
        self.active += 1
        index = self.connections
        path = ws.request.path if ws.request is not None else ""
        route = route_of(path)
        if self.record:
            self.paths.append(path)
        self._open[index] = ws
        conversation = Conversation(
            self.profile,
            self.handles,
            strict=self.strict,
            api_version=route.version if route is not None else "v1beta",
        )
        self._notify()
        try:
            async for raw in ws:
                if not await self._on_message(ws, index, conversation, raw):
                    break
        except ConnectionClosed:
            pass
        finally:
            self._open.pop(index, None)
            deadline = self._deadlines.pop(index, None)
            if deadline is not None:
                deadline.cancel()
            if not self.record:  # load runs keep no per-connection state either
                self._conversations.pop(index, None)
            self.active -= 1
            self._notify()

    async def _on_message(
        self, ws: ServerConnection, index: int, conversation: Conversation, raw: str | bytes
    ) -> bool:
        try:
            decoded = json.loads(raw)
            if not isinstance(decoded, dict) or len(decoded) != 1:
                raise ValueError("a client message has exactly one top-level field")
            body = messages.normalize(decoded)
        except ValueError as exc:
            await self._close(ws, index, Close(1007, f"Invalid JSON payload received: {exc}"[:120]))
            return False
        ((kind, content),) = body.items()
        record = Received(index, kind, content if isinstance(content, dict) else {})
        if self.record:
            self.received.append(record)
        self._notify()
        if kind == "realtime_input" and self._responder is not None:
            await self._echo(ws, index, record.body)
        if kind == "setup":
            self._conversations[index] = conversation
            refused = conversation.on_setup(record.body)
            if refused.close is not None:
                await self._close(ws, index, refused.close)
                return False
            if not self.answer_setup:
                return True
            while self._setup_gate is not None:
                await self._setup_gate.wait()
            await ws.send(json.dumps(messages.setup_complete()))
            record = Received(index, "setup_complete", {})
        else:
            answer = conversation.on_client(record)
            if not await self._apply(ws, index, answer):
                return False
            if not answer.observe:
                return True
        return await self._observe(ws, index, conversation, record)

    async def _observe(
        self, ws: ServerConnection, index: int, conversation: Conversation, record: Received
    ) -> bool:
        """Run the script for ``record``; ``False`` when the connection was closed."""
        async with self._play_lock:
            for step in self._runner.observe(record):
                outcome = conversation.react(step.send, record)
                if not await self._apply(ws, index, outcome):
                    return False
                self._notify()
                if step.close is not None:
                    await self._close(ws, index, step.close)
                    return False
            self._arm_timer()
        return True

    async def _apply(self, ws: ServerConnection, index: int, outcome: Outcome) -> bool:
        for message in outcome.send:
            await ws.send(json.dumps(message))
        if outcome.deadline_s is not None:
            self._arm_deadline(ws, index, outcome.deadline_s)
        if outcome.close is not None:
            await self._close(ws, index, outcome.close)
            return False
        return True

    async def _close(self, ws: ServerConnection, index: int, close: Close) -> None:
        self.closes.append(EmulatorClose(index, close.code, close.reason))
        self._notify()
        if close.code == 1006:
            ws.transport.abort()
        else:
            await ws.close(close.code, close.reason)

    def _arm_deadline(self, ws: ServerConnection, index: int, seconds: float) -> None:
        previous = self._deadlines.pop(index, None)
        if previous is not None:
            previous.cancel()

        async def expire() -> None:
            await asyncio.sleep(min(seconds, MAX_TIMER_S))
            self._deadlines.pop(index, None)
            with contextlib.suppress(ConnectionClosed):
                await self._close(ws, index, Close(1011, DEADLINE_REASON))

        self._deadlines[index] = asyncio.get_running_loop().create_task(expire())

    def _arm_timer(self) -> None:
        seconds = self._runner.arm_timer()
        if seconds is None:
            return

        async def fire() -> None:
            await asyncio.sleep(min(seconds, MAX_TIMER_S))
            index = max(self._open, default=0)
            ws = self._open.get(index)
            conversation = self._conversations.get(index)
            record = Received(index, "timer", {})
            if ws is None or conversation is None:
                self._runner.observe(record)  # plays once the next connection is set up
                return
            with contextlib.suppress(ConnectionClosed):
                await self._observe(ws, index, conversation, record)

        task = asyncio.get_running_loop().create_task(fire())
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)

    async def _echo(self, ws: ServerConnection, index: int, body: dict[str, Any]) -> None:
        blob = body.get("audio")
        if self._responder is None or not isinstance(blob, dict):
            return
        data = blob.get("data")
        if not isinstance(data, bytes) or not data:
            return
        for message in self._responder(index, data, rate_of(blob.get("mime_type"))):
            await ws.send(json.dumps(message))
