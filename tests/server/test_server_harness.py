"""Harness of the server tests (no tests here): an echoing fake backend, a real uvicorn on
127.0.0.1 in the test's event loop, and a real `websockets` client."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.lowlevel
import pytest
from websockets.asyncio.client import ClientConnection, connect

from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    ToolCall,
    TurnComplete,
    UserTranscript,
)
from voicelive.exceptions import ConnectError
from voicelive.server.app import create_app
from voicelive.server.hub import SessionHub
from voicelive.server.run import GracefulServer, build_server
from voicelive.server.settings import ServerSettings
from voicelive.testing import Pause, Responder, ScriptedBackend, ScriptedConnection
from voicelive.testing.fakes import Step
from voicelive.tools import ToolContext, ToolRegistry, tool

TURN_BYTES = 16000  # 0.5 s of 16 kHz PCM16 triggers one echo turn
TIMEOUT = 60.0  # guard against hangs only; never asserted


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# --- the fake backend -------------------------------------------------------------------


class EchoResponder(Responder):
    """After TURN_BYTES of audio: transcript, a ``remember`` tool call, then the user's own
    audio back as the reply. ``send_text("stream")`` starts an endless reply instead."""

    def __init__(self, backend: EchoBackend) -> None:
        self.backend = backend
        self.heard = 0
        self.turns = 0

    def on_audio(self, conn: ScriptedConnection, pcm: bytes) -> Iterable[Step]:
        self.heard += len(pcm)
        if self.heard < TURN_BYTES:
            return ()
        self.heard = 0
        self.turns += 1
        user = conn.user_id
        return (UserTranscript(text=f"{user} turn {self.turns}"),
                ToolCall(id=f"call-{self.turns}", name="remember", args={"note": user}))

    def on_text(self, conn: ScriptedConnection, text: str) -> Iterable[Step]:
        if text == "stream":
            return self._stream()
        return (AssistantTranscript(text=f"echo: {text}"),
                AudioOut(data=b"\x10\x00" * 2400, sample_rate=24000), TurnComplete())

    def _stream(self) -> Iterator[Step]:
        while True:  # ends when the session leaves the connection
            yield AudioOut(data=b"\x20\x00" * (self.backend.stream_chunk // 2),
                           sample_rate=24000)
            yield Pause(0.02)  # paces the fake model's speech, not a synchronisation

    def on_tool_result(self, conn: ScriptedConnection, call_id: str, name: str,
                       response: dict[str, Any]) -> Iterable[Step]:
        reply = bytes(conn.audio[-TURN_BYTES:])
        return (AssistantTranscript(text=json.dumps(response.get("output"))),
                *(AudioOut(data=reply[i : i + 4800], sample_rate=24000)
                  for i in range(0, len(reply), 4800)),
                TurnComplete(latency_ms=12.0))


class EchoBackend(ScriptedBackend):
    """The shared ScriptedBackend with an :class:`EchoResponder` per connection."""

    def __init__(self) -> None:
        super().__init__(model="echo-1", name="echo")
        self.stream_chunk = 960  # bytes per 20 ms of streamed reply: real time at 24 kHz

    def make_responder(self) -> Responder:
        return EchoResponder(self)

    def refuse(self, refuse: bool = True) -> None:
        """Make new connections fail (or work again)."""
        self.fail_connect = ConnectError("echo backend refuses", retryable=True) if refuse \
            else None


@tool(thread=False)
def remember(note: str, ctx: ToolContext) -> dict[str, Any]:
    """Remember a note for this session.

    Args:
        note: What to remember.
    """
    notes: list[str] = ctx.state.setdefault("notes", [])
    notes.append(note)
    return {"user": ctx.user_id, "session": ctx.session_id, "notes": list(notes)}


def echo_tools() -> ToolRegistry:
    return ToolRegistry([remember])


# --- server and client ------------------------------------------------------------------


class _StartedServer(GracefulServer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ready_event = anyio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready_event.set()


class Running:
    """A server running in the test's event loop."""

    def __init__(self, server: GracefulServer, hub: SessionHub, port: int) -> None:
        self.server = server
        self.hub = hub
        self.port = port
        self.url = f"ws://127.0.0.1:{port}/ws"
        self.http = f"http://127.0.0.1:{port}"


@asynccontextmanager
async def run_server(
    settings: ServerSettings | None = None,
    backend: Any = None,
    tools: ToolRegistry | Callable[[], ToolRegistry] | None = None,
    sndbuf: int | None = None,
    **uvicorn_options: Any,
) -> AsyncIterator[Running]:
    settings = settings or ServerSettings(port=0, metrics=True)
    app = create_app(settings, backend=backend or EchoBackend(), tools=tools or echo_tools)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if sndbuf is not None:  # accepted sockets inherit it: a small kernel buffer fills fast
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    options: dict[str, Any] = {"log_config": None, "ws_ping_interval": None}
    options.update(uvicorn_options)
    base = build_server(app, settings, **options)
    server = _StartedServer(base.config)
    server.guard = base.guard
    stopped = anyio.Event()

    async def serve() -> None:
        try:
            await server.serve([sock])
        finally:
            stopped.set()

    async with anyio.create_task_group() as tg:
        tg.start_soon(serve)
        with anyio.fail_after(TIMEOUT):
            await server.ready_event.wait()
        try:
            yield Running(server, app.state.hub, port)
        finally:
            server.should_exit = True  # a clean shutdown even when the test failed
            with anyio.CancelScope(shield=True), anyio.move_on_after(TIMEOUT):
                await stopped.wait()
    sock.close()


class Client:
    """A WebSocket client that keeps JSON messages and reply audio apart."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.messages: list[dict[str, Any]] = []
        self.audio = bytearray()

    async def send(self, **message: Any) -> None:
        await self.ws.send(json.dumps(message))

    async def send_raw(self, data: str | bytes) -> None:
        await self.ws.send(data)

    async def expect(self, kind: str) -> dict[str, Any]:
        """Read until a JSON message of ``kind`` arrives (audio is collected on the way)."""
        with anyio.fail_after(TIMEOUT):
            while True:
                data = await self.ws.recv()
                if isinstance(data, bytes):
                    self.audio += data
                    continue
                message: dict[str, Any] = json.loads(data)
                self.messages.append(message)
                if message["type"] == kind:
                    return message

    async def read_one(self) -> None:
        """Read one message of any kind."""
        with anyio.fail_after(TIMEOUT):
            data = await self.ws.recv()
        if isinstance(data, bytes):
            self.audio += data
        else:
            self.messages.append(json.loads(data))

    def types(self) -> list[str]:
        return [m["type"] for m in self.messages]


async def eventually(predicate: Callable[[], object]) -> None:
    """Yield to the event loop until ``predicate()`` holds (guarded against hangs only)."""
    with anyio.fail_after(TIMEOUT):
        while not predicate():
            await anyio.lowlevel.checkpoint()


@asynccontextmanager
async def client(url: str, **kwargs: Any) -> AsyncIterator[Client]:
    kwargs.setdefault("ping_interval", None)
    async with connect(url, **kwargs) as ws:
        yield Client(ws)


@pytest.fixture
def echo_backend() -> EchoBackend:
    return EchoBackend()


# --- raw sockets ------------------------------------------------------------------------


def upgrade_request(port: int, *, host: str | None = None, path: str = "/ws",
                    origin: str | None = None) -> bytes:
    """The bytes of a WebSocket upgrade request, with any ``Host`` and ``Origin``."""
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host or f'127.0.0.1:{port}'}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def raw_exchange(port: int, request: bytes) -> bytes:
    """Send ``request`` on a fresh TCP connection; return the response head (up to the blank
    line, or what came before the server closed)."""
    async with await anyio.connect_tcp("127.0.0.1", port) as stream:
        await stream.send(request)
        head = b""
        with anyio.fail_after(TIMEOUT):
            while b"\r\n\r\n" not in head:
                try:
                    head += await stream.receive()
                except anyio.EndOfStream:
                    break
        return head


def status_of(head: bytes) -> int:
    """The status code of a response head."""
    return int(head.split(b" ", 2)[1])
