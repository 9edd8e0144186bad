"""The one fake backend for tests and benches that need a backend (like httpx's MockTransport).

:class:`ScriptedBackend` serves every session with a :class:`ScriptedConnection` that

* plays a list of **steps**: events to emit, :class:`Await` conditions on what the session has
  sent (audio bytes, a tool result, a text, the end of the audio), :class:`Pause` to pace fake
  speech, and :class:`Fail` to end the connection with an error;
* asks an optional :class:`Responder` what to answer whenever the session sends something (a
  chunk of audio, a text, a tool result, the end of the audio). The answer is any iterable of
  steps, consumed lazily: a generator can stamp times as its events leave, or never end (an
  endless reply until the session closes);
* plays what the test pushes from outside (:meth:`ScriptedConnection.push`, e.g. reply audio
  at a paced rate) until :meth:`ScriptedConnection.finish`;
* keeps a resumable ``state`` (from ``SessionConfig.resume_state``, :meth:`export_state`);
* records everything the session sent, so a test can assert on it without sockets or models.

:class:`IgnoringConnection` is the base of the rare fake that must be written by hand (a bench
that measures per-chunk cost, which ``ScriptedConnection``'s recording would distort): every
send is accepted and ignored, and no event comes, until a subclass overrides what it needs.

Scripted steps and responder answers interleave in the order they become ready; answers are
played first. Everything is bounded by what the test itself supplies.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio
import anyio.lowlevel

from voicelive.events import Event
from voicelive.exceptions import BackendError

if TYPE_CHECKING:
    from voicelive.config import SessionConfig
    from voicelive.tools import ToolRegistry

__all__ = [
    "Await",
    "Fail",
    "IgnoringConnection",
    "Pause",
    "Responder",
    "ScriptedBackend",
    "ScriptedConnection",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Await:
    """Wait until the session has sent all of this before playing the next step.

    Attributes:
        audio_bytes: At least this many bytes of user audio in total.
        tool_result: A tool result for this call id.
        texts: At least this many text turns.
        audio_end: The session said the audio stream ended.
    """

    audio_bytes: int = 0
    tool_result: str | None = None
    texts: int = 0
    audio_end: bool = False


@dataclass(frozen=True, slots=True)
class Fail:
    """End the connection with a :class:`BackendError`."""

    message: str = "scripted failure"
    retryable: bool = False


@dataclass(frozen=True, slots=True)
class Pause:
    """Wait this many seconds before the next step (paces fake speech; never synchronises)."""

    seconds: float


Step = Event | Await | Fail | Pause


class Responder:
    """Answers what a session sends; subclass it and override what you need.

    Each method returns the steps to play now (an empty tuple by default). Answers are played
    lazily and in order, before the remaining scripted steps.
    """

    def on_audio(self, conn: ScriptedConnection, pcm: bytes) -> Iterable[Step]:
        """The session sent a chunk of user audio."""
        return ()

    def on_text(self, conn: ScriptedConnection, text: str) -> Iterable[Step]:
        """The session sent a text turn."""
        return ()

    def on_tool_result(
        self, conn: ScriptedConnection, call_id: str, name: str, response: dict[str, Any]
    ) -> Iterable[Step]:
        """The session returned a tool's result."""
        return ()

    def on_audio_end(self, conn: ScriptedConnection) -> Iterable[Step]:
        """The session said its audio stream ended."""
        return ()


@dataclass
class ScriptedConnection:
    """What one session sent to a :class:`ScriptedBackend`, and the steps it plays back.

    Attributes:
        steps: The script.
        config: The session's configuration.
        responder: Answers what the session sends (``None``: the script alone).
        audio: All user audio received.
        frames: Frames received.
        texts: Text turns received.
        tool_results: ``(call_id, name, response)`` of every result.
        activity: Manual activity marks (``True`` start, ``False`` end).
        audio_ended: The session said the audio stream ended.
        closed: The session left the connection.
        state: What :meth:`export_state` returns; starts from ``SessionConfig.resume_state``.
    """

    steps: Sequence[Step]
    config: SessionConfig | None = None
    responder: Responder | None = None
    audio: bytearray = field(default_factory=bytearray)
    frames: list[bytes] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    tool_results: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    activity: list[bool] = field(default_factory=list)
    audio_ended: bool = False
    closed: bool = False
    state: dict[str, Any] = field(default_factory=dict)
    _finished: bool = False
    _changed: anyio.Event = field(default_factory=anyio.Event)
    _closed_event: anyio.Event = field(default_factory=anyio.Event)
    _answers: deque[Iterator[Step]] = field(default_factory=deque)

    def _touch(self, answer: Iterable[Step] = ()) -> None:
        self._answers.append(iter(answer))
        self._changed.set()
        self._changed = anyio.Event()

    def _satisfied(self, cond: Await) -> bool:
        return (
            len(self.audio) >= cond.audio_bytes
            and len(self.texts) >= cond.texts
            and (not cond.audio_end or self.audio_ended)
            and (cond.tool_result is None
                 or any(r[0] == cond.tool_result for r in self.tool_results))
        )

    def __post_init__(self) -> None:
        if self.config is not None and self.config.resume_state:
            self.state = dict(self.config.resume_state)

    def export_state(self) -> dict[str, Any]:
        """Return a copy of :attr:`state` (the resumption hook of a backend connection)."""
        return dict(self.state)

    def push(self, *steps: Step) -> None:
        """Play these steps next (after answers already queued), from the test's side."""
        self._touch(steps)

    def finish(self) -> None:
        """End :meth:`events` once everything queued so far has played."""
        self._finished = True
        self._touch()

    @property
    def user_id(self) -> str:
        """The session's user (``SessionConfig.user_id``; ``default`` without a config)."""
        return self.config.user_id if self.config is not None else "default"

    async def wait_closed(self) -> None:
        """Wait until the session has left the connection."""
        await self._closed_event.wait()

    def _close(self) -> None:
        self.closed = True
        self._closed_event.set()

    async def send_audio(self, pcm: bytes) -> None:
        """Record user audio."""
        self.audio += pcm
        self._touch(self.responder.on_audio(self, pcm) if self.responder else ())

    async def send_frame(self, jpeg: bytes) -> None:
        """Record a frame."""
        self.frames.append(jpeg)
        self._touch()

    async def send_text(self, text: str) -> None:
        """Record a text turn."""
        self.texts.append(text)
        self._touch(self.responder.on_text(self, text) if self.responder else ())

    async def end_audio(self) -> None:
        """Record the end of the audio stream."""
        self.audio_ended = True
        self._touch(self.responder.on_audio_end(self) if self.responder else ())

    async def send_activity(self, *, start: bool) -> None:
        """Record a manual activity marker."""
        self.activity.append(start)
        self._touch()

    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        """Record a tool result."""
        self.tool_results.append((call_id, name, response))
        answer = self.responder.on_tool_result(self, call_id, name, response) \
            if self.responder else ()
        self._touch(answer)

    def _next_answer(self) -> Step | None:
        while self._answers:
            step = next(self._answers[0], None)
            if step is not None:
                return step
            self._answers.popleft()
        return None

    async def events(self) -> AsyncIterator[Event]:
        """Play answers and steps; after the script, keep answering until the session closes."""
        position = 0
        while True:
            step = self._next_answer()
            if step is None and position < len(self.steps):
                candidate = self.steps[position]
                if not isinstance(candidate, Await) or self._satisfied(candidate):
                    step = candidate
                    position += 1
            if step is None:
                if self._finished:
                    return
                await self._changed.wait()
            elif isinstance(step, Await):
                continue  # a scripted one is satisfied here; in an answer it means nothing
            elif isinstance(step, Fail):
                raise BackendError(step.message, retryable=step.retryable)
            elif isinstance(step, Pause):
                await anyio.sleep(step.seconds)
            else:
                yield step
                await anyio.lowlevel.checkpoint()  # like a socket reader: let others run


class IgnoringConnection:
    """A ``BackendConnection`` that accepts every send and emits no event; subclass it.

    Override ``send_audio`` and :meth:`events` (and whatever else the fake answers to); the
    rest stays a no-op, so a hand-written fake states only what it does.
    """

    async def send_audio(self, pcm: bytes) -> None:
        """Ignore user audio."""

    async def send_frame(self, jpeg: bytes) -> None:
        """Ignore a video frame."""

    async def send_text(self, text: str) -> None:
        """Ignore a text turn."""

    async def end_audio(self) -> None:
        """Ignore the end of the audio stream."""

    async def send_activity(self, *, start: bool) -> None:
        """Ignore an activity mark."""

    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        """Ignore a tool result."""

    async def events(self) -> AsyncIterator[Event]:
        """Emit nothing (end at once)."""
        return
        yield  # an async generator with no items


class ScriptedBackend:
    """A backend that plays the same script to every session and keeps each connection.

    Args:
        steps: The script each connection plays.
        model: The model name reported in ``session_started``.
        responder: Makes the :class:`Responder` of each new connection: a ``Responder``
            subclass or any factory (``None``: the script alone).
        name: The backend's name in events.

    Attributes:
        connections: One :class:`ScriptedConnection` per session, in order.
        fail_connect: When set, ``connect`` raises it (the backend refuses new sessions).
    """

    def __init__(
        self,
        steps: Sequence[Step] = (),
        *,
        model: str = "scripted-model",
        responder: Callable[[], Responder] | None = None,
        name: str = "scripted",
    ) -> None:
        self.steps = list(steps)
        self.model = model
        self.name = name
        self.responder = responder
        self.connections: list[ScriptedConnection] = []
        self.fail_connect: BackendError | None = None

    def default_model(self) -> str:
        """Return the model name reported in ``session_started``."""
        return self.model

    @property
    def frames(self) -> list[bytes]:
        """Frames received by every connection, in order."""
        return [f for conn in self.connections for f in conn.frames]

    def make_responder(self) -> Responder | None:
        """Return the responder of a new connection (override to pass it arguments)."""
        return self.responder() if self.responder is not None else None

    @asynccontextmanager
    async def connect(
        self, config: SessionConfig, tools: ToolRegistry
    ) -> AsyncIterator[ScriptedConnection]:
        """Open a scripted connection.

        Raises:
            BackendError: :attr:`fail_connect` is set.
        """
        if self.fail_connect is not None:
            raise self.fail_connect
        conn = ScriptedConnection(self.steps, config=config, responder=self.make_responder())
        self.connections.append(conn)
        try:
            yield conn
        finally:
            conn._close()
