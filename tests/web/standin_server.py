"""A small stand-in for `voicelive serve`, used to develop and test the web page.

It serves the built page from voicelive/server/static and speaks the page's
WebSocket protocol on /ws with canned events: every time the microphone audio
shows an utterance (loud frames followed by a pause), or a text message
arrives, it plays one scripted turn (transcripts, a tool call and its result,
a short 24 kHz tone as reply audio, a mark, turn_complete).

Run: python tests/web/standin_server.py --host 127.0.0.1 --port 8765
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import mimetypes
import struct
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

STATIC = Path(__file__).resolve().parents[2] / "voicelive" / "server" / "static"
OUTPUT_RATE = 24000
REPLY_SECONDS = 4.0
CHUNK_SECONDS = 0.1
SPEECH_RMS = 300.0
PAUSE_FRAMES = 15  # 300 ms of 20 ms frames


def tone_chunks(seconds: float, freq: float = 440.0) -> list[bytes]:
    per_chunk = int(OUTPUT_RATE * CHUNK_SECONDS)
    total = int(OUTPUT_RATE * seconds)
    samples = [int(8000 * math.sin(2 * math.pi * freq * i / OUTPUT_RATE)) for i in range(total)]
    return [
        struct.pack(f"<{len(part)}h", *part)
        for part in (samples[i : i + per_chunk] for i in range(0, total, per_chunk))
    ]


REPLY_AUDIO = tone_chunks(REPLY_SECONDS)


def frame_rms(pcm: bytes) -> float:
    count = len(pcm) // 2
    if count == 0:
        return 0.0
    values = struct.unpack(f"<{count}h", pcm[: count * 2])
    return math.sqrt(sum(v * v for v in values) / count)


def static_response(path: str) -> Response:
    relative = path.split("?", 1)[0].lstrip("/") or "index.html"
    file = (STATIC / relative).resolve()
    if not file.is_relative_to(STATIC) or not file.is_file():
        return Response(404, "Not Found", Headers([("Content-Length", "0")]))
    body = file.read_bytes()
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    headers = Headers(
        [
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ]
    )
    return Response(200, "OK", headers, body)


def make_process_request(
    token: str | None,
) -> Callable[[ServerConnection, Request], Response | None]:
    def process_request(_connection: ServerConnection, request: Request) -> Response | None:
        path, _, query = request.path.partition("?")
        if path == "/voices":  # like the real server: which voices the menu may offer
            body = json.dumps({"backend": "standin", "voices": []}).encode()
            headers = Headers([("Content-Type", "application/json"),
                               ("Content-Length", str(len(body)))])
            return Response(200, "OK", headers, body)
        if path != "/ws":
            return static_response(request.path)
        if token is not None and parse_qs(query).get("token") != [token]:
            # Like the real server: the handshake is refused before it completes.
            return Response(403, "Forbidden", Headers([("Content-Length", "0")]))
        return None

    return process_request


class Session:
    """One browser connection: an utterance detector and the scripted turns."""

    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.started = False
        self.speaking_frames = 0
        self.quiet_frames = 0
        self.turns = 0
        self.reply: asyncio.Task[None] | None = None

    async def send(self, **message: Any) -> None:
        await self.ws.send(json.dumps(message))

    async def on_text(self, raw: str) -> None:
        message = json.loads(raw)
        kind = message.get("type")
        if kind == "start":
            self.started = True
            await self.send(
                type="ready",
                session_id=uuid.uuid4().hex,
                backend="standin",
                model="canned",
                input_rate=16000,
                output_rate=OUTPUT_RATE,
                voices=[],
            )
            await self.send(type="session_started", backend="standin", model="canned")
        elif kind == "ping":
            await self.send(type="pong", id=message.get("id"))
        elif kind == "text":
            self.begin_turn(str(message.get("text", "")))
        elif kind == "interrupt":
            if self.reply is not None:
                self.reply.cancel()
            await self.send(type="clear")
            await self.send(type="interrupted")
        elif kind == "stop":
            await self.send(type="stopped", reason="stopped")
            await self.ws.close()

    def on_audio(self, pcm: bytes) -> None:
        if not self.started:
            return
        if frame_rms(pcm) >= SPEECH_RMS:
            self.speaking_frames += 1
            self.quiet_frames = 0
            return
        self.quiet_frames += 1
        if self.speaking_frames >= 5 and self.quiet_frames >= PAUSE_FRAMES:
            self.speaking_frames = 0
            self.begin_turn("I missed lunch")

    def begin_turn(self, text: str) -> None:
        if self.reply is not None and not self.reply.done():
            return
        self.reply = asyncio.create_task(self.play_turn(text))

    async def play_turn(self, text: str) -> None:
        self.turns += 1
        call_id = f"call-{self.turns}"
        words = text.split()
        steps: list[Callable[[], Awaitable[None]]] = [
            lambda: self.send(type="user_transcript", text=" ".join(words[:2]), final=False),
            lambda: self.send(type="user_transcript", text=text, final=True),
            lambda: self.send(
                type="tool_call", id=call_id, name="suggest_meal", args={"meal": "lunch"}
            ),
            lambda: self.send(
                type="tool_result",
                id=call_id,
                name="suggest_meal",
                ok=True,
                result={"suggestion": "lentil soup", "kcal": 320},
                duration_ms=4.2,
            ),
            lambda: self.send(type="assistant_transcript", text="How about", final=False),
            lambda: self.send(
                type="assistant_transcript", text=" a bowl of lentil soup?", final=False
            ),
        ]
        for step in steps:
            await step()
            await asyncio.sleep(0.05)
        for chunk in REPLY_AUDIO:
            await self.ws.send(chunk)
        mark = f"turn-{self.turns}"
        await self.send(type="mark", name=mark)
        await self.send(type="assistant_transcript", text="", final=True)
        await self.send(type="turn_complete", latency_ms=420)


async def handler(ws: ServerConnection) -> None:
    session = Session(ws)
    try:
        async for message in ws:
            if isinstance(message, str):
                await session.on_text(message)
            elif message[:1] == b"\x01":
                session.on_audio(bytes(message[1:]))
    except ConnectionClosed:
        pass
    finally:
        if session.reply is not None:
            session.reply.cancel()


async def main(host: str, port: int, token: str | None) -> None:
    async with serve(handler, host, port, process_request=make_process_request(token)) as server:
        print(f"standin serving on http://{host}:{port}", flush=True)
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--token", default=None, help="require ?token=TOKEN on /ws")
    parser.add_argument("--backend", default="standin", help="accepted for symmetry; ignored")
    parser.add_argument("--db", default=None, help="accepted for symmetry; ignored")
    options = parser.parse_args()
    asyncio.run(main(options.host, options.port, options.token))
