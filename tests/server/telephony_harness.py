"""Harness of the telephony tests (no tests here): a scripted phone backend, Twilio's side of
Media Streams over a real WebSocket, and a stand-in of Twilio's REST API on a real socket."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import anyio
import numpy as np
from anyio.abc import TaskGroup
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from test_server_harness import TIMEOUT
from websockets.asyncio.client import ClientConnection, connect

from voicelive.audio.mulaw import mulaw_to_pcm16, pcm16_to_mulaw
from voicelive.config import SessionConfig
from voicelive.events import AudioOut, Event, Interrupted, ToolCall, TurnComplete, UserTranscript
from voicelive.server.telephony.call import TwilioCall
from voicelive.testing import IgnoringConnection
from voicelive.tools import ToolRegistry

TURN_BYTES = 16000  # 0.5 s of 16 kHz PCM16 from the caller makes one turn
FRAME = 160  # 20 ms of 8 kHz mu-law, as Twilio sends it


def tone_pcm(ms: int, rate: int, amplitude: int = 8000) -> bytes:
    t = np.arange(rate * ms // 1000) / rate
    return (amplitude * np.sin(2 * np.pi * 440 * t)).astype("<i2").tobytes()


class PhoneConnection(IgnoringConnection):
    """Each TURN_BYTES of caller audio is a turn. The first turn gets a long reply that stays
    "on the air" (no TurnComplete); a turn while it is on the air is a barge-in: Interrupted,
    then a short reply. With ``tool`` set, a turn calls that tool and the reply follows its
    result."""

    def __init__(self, backend: PhoneBackend, tg: TaskGroup) -> None:
        self.backend = backend
        self.heard = 0
        self.turns = 0
        self.on_air = False
        self.results: list[dict[str, Any]] = []
        self.closed = anyio.Event()
        self._send: MemoryObjectSendStream[Event]
        self._recv: MemoryObjectReceiveStream[Event]
        self._send, self._recv = anyio.create_memory_object_stream[Event](1000)

    async def send_audio(self, pcm: bytes) -> None:
        self.heard += len(pcm)
        if self.heard < TURN_BYTES:
            return
        self.heard = 0
        self.turns += 1
        await self._send.send(UserTranscript(text=f"turn {self.turns}"))
        if self.backend.tool is not None:
            await self._send.send(ToolCall(id=f"call-{self.turns}", name=self.backend.tool))
            return
        if self.on_air:
            self.on_air = False
            await self._send.send(Interrupted())
            await self._send.send(TurnComplete())
            await self._reply(self.backend.short_reply_ms, complete=True)
            return
        await self._reply(self.backend.long_reply_ms, complete=not self.backend.hold_first)
        self.on_air = self.backend.hold_first

    async def _reply(self, ms: int, *, complete: bool) -> None:
        pcm = tone_pcm(ms, 24000)
        for i in range(0, len(pcm), 4800):  # 100 ms chunks
            await self._send.send(AudioOut(data=pcm[i : i + 4800], sample_rate=24000))
        if complete:
            await self._send.send(TurnComplete(latency_ms=5.0))

    async def send_tool_result(self, call_id: str, name: str, response: dict[str, Any]) -> None:
        self.results.append(response)
        await self._reply(self.backend.short_reply_ms, complete=True)

    async def events(self) -> AsyncIterator[Event]:
        async for event in self._recv:
            yield event


class PhoneBackend:
    name = "phone-fake"

    def __init__(self, *, tool: str | None = None, hold_first: bool = True) -> None:
        self.tool = tool
        self.hold_first = hold_first
        self.long_reply_ms = 2000
        self.short_reply_ms = 400
        self.connections: list[PhoneConnection] = []
        self.configs: list[SessionConfig] = []
        self.tool_names: list[tuple[str, ...]] = []

    def default_model(self) -> str:
        return "phone-1"

    @asynccontextmanager
    async def connect(
        self, config: SessionConfig, tools: ToolRegistry
    ) -> AsyncIterator[PhoneConnection]:
        self.configs.append(config)
        self.tool_names.append(tools.names())
        async with anyio.create_task_group() as tg:
            conn = PhoneConnection(self, tg)
            self.connections.append(conn)
            try:
                yield conn
            finally:
                conn.closed.set()
                tg.cancel_scope.cancel()


# --- Twilio's side of the stream -------------------------------------------------------


@dataclass
class FakeTwilio:
    """Plays Twilio on ``/twilio/stream``: sends its frames, collects what the server sends."""

    ws: ClientConnection
    stream_sid: str = "MZ0123456789abcdef0123456789abcdef"
    call_sid: str = "CA0123456789abcdef0123456789abcdef"
    received: list[dict[str, Any]] = field(default_factory=list)

    async def send(self, **message: Any) -> None:
        await self.ws.send(json.dumps(message))

    async def connected_and_start(self, caller: str = "phone-test") -> None:
        await self.send(event="connected", protocol="Call", version="1.0.0")
        await self.send(
            event="start", sequenceNumber="1", streamSid=self.stream_sid,
            start={
                "streamSid": self.stream_sid, "callSid": self.call_sid,
                "accountSid": "AC0123456789abcdef0123456789abcdef", "tracks": ["inbound"],
                "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
                "customParameters": {"caller": caller},
            },
        )

    async def say(self, pcm8k: bytes, *, pace: float = 0.0) -> None:
        """Send 8 kHz PCM16 as 20 ms mu-law media frames (optionally paced)."""
        mulaw = pcm16_to_mulaw(pcm8k)
        for seq, i in enumerate(range(0, len(mulaw), FRAME)):
            payload = base64.b64encode(mulaw[i : i + FRAME]).decode("ascii")
            await self.send(event="media", streamSid=self.stream_sid,
                            media={"track": "inbound", "chunk": str(seq), "payload": payload})
            if pace:
                await anyio.sleep(pace)  # the phone network's pace, not a synchronisation

    async def echo_mark(self, name: str) -> None:
        await self.send(event="mark", streamSid=self.stream_sid, mark={"name": name})

    async def stop(self) -> None:
        await self.send(event="stop", streamSid=self.stream_sid,
                        stop={"accountSid": "AC0", "callSid": self.call_sid})

    async def next(self) -> dict[str, Any]:
        with anyio.fail_after(TIMEOUT):
            message: dict[str, Any] = json.loads(await self.ws.recv())
        self.received.append(message)
        return message

    async def until(self, event: str, *, echo: bool = False) -> dict[str, Any]:
        """Read until a message with ``event`` (echoing marks on the way when ``echo``)."""
        while True:
            message = await self.next()
            if echo and message["event"] == "mark":
                await self.echo_mark(message["mark"]["name"])
            if message["event"] == event:
                return message

    def audio(self, messages: list[dict[str, Any]] | None = None) -> bytes:
        """PCM16 8 kHz of every ``media`` message received (or of ``messages``)."""
        chosen = self.received if messages is None else messages
        return b"".join(mulaw_to_pcm16(base64.b64decode(m["media"]["payload"]))
                        for m in chosen if m["event"] == "media")


@asynccontextmanager
async def twilio(url: str, **kwargs: Any) -> AsyncIterator[FakeTwilio]:
    kwargs.setdefault("ping_interval", None)
    async with connect(url, **kwargs) as ws:
        yield FakeTwilio(ws)


def the_call(hub: Any) -> TwilioCall:
    calls = [c for c in hub.connections if isinstance(c, TwilioCall)]
    assert len(calls) == 1
    return calls[0]


# --- a stand-in of Twilio's REST API ---------------------------------------------------


@dataclass
class ApiRequest:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, list[str]]


class StandInApi:
    """Records each request and answers like Twilio's Calls resource."""

    def __init__(self) -> None:
        self.requests: list[ApiRequest] = []
        self.status = 200
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                api.requests.append(ApiRequest("POST", self.path, dict(self.headers.items()),
                                               parse_qs(body)))
                sid = self.path.rsplit("/", 1)[-1].removesuffix(".json")
                payload = json.dumps({"sid": sid, "status": "in-progress"}).encode()
                self.send_response(api.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandInApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()
