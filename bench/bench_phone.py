"""Round trip of a phone frame inside the server: mu-law in -> the model -> mu-law out.

A real uvicorn server (create_app with telephony on, 127.0.0.1, a free port) runs in this
process with an instant in-process model: the moment a voiced 16 kHz chunk reaches it, it
answers with 100 ms of 24 kHz reply audio. A client plays Twilio: 20 ms mu-law media frames on
a drift-free real-time schedule, silence with a loud frame every ``--interval`` seconds, and it
echoes every mark as a phone would. Per loud frame it measures, on one clock:

  in   the client sends the media frame -> the model receives the voiced chunk (JSON parse,
       base64, mu-law decode, the call's bounded source, 8 -> 16 kHz resampling, the session's
       chunker and input pump)
  out  the model emits the reply -> the client receives the first voiced media frame (24 ->
       8 kHz resampling, mu-law encode, base64, the call's outbox and send loop)
  rtt  the client sends the frame -> the reply's first media frame arrives (everything)

The resampler's filter delay is audio time, so at real-time pace it shows up in ``in``: that is
what a caller hears. Client and server share this process's event loop (and the machine's
cores with anything else running); figures are for comparing, not absolute.

It also times the per-frame conversions alone (decode a 20 ms frame, encode one, parse a media
message, build one), in microseconds.

    python bench/bench_phone.py --turns 30 --interval 0.5
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import socket
import statistics
import time
import timeit
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import numpy as np
import uvicorn
from websockets.asyncio.client import connect

from voicelive.audio.mulaw import mulaw_to_pcm16, pcm16_to_mulaw
from voicelive.config import SessionConfig
from voicelive.events import AudioOut, Event
from voicelive.server.app import create_app
from voicelive.server.settings import ServerSettings
from voicelive.server.telephony.frames import StreamState, media_message
from voicelive.testing.fakes import IgnoringConnection
from voicelive.tools import ToolRegistry

FRAME_MS = 20
LOUD = 4000.0  # RMS of a voiced chunk


def _rms(pcm: bytes) -> float:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(samples**2))) if samples.size else 0.0


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


class _InstantConnection(IgnoringConnection):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=1000)
        self.received: list[float] = []
        self.emitted: list[float] = []
        self._quiet = True
        t = np.arange(2400) / 24000
        self._reply = (8000 * np.sin(2 * np.pi * 300 * t)).astype("<i2").tobytes()

    async def send_audio(self, pcm: bytes) -> None:
        voiced = _rms(pcm) > LOUD
        if voiced and self._quiet:
            self.received.append(time.perf_counter())
            self.emitted.append(time.perf_counter())
            await self.queue.put(AudioOut(data=self._reply, sample_rate=24000))
        self._quiet = not voiced

    async def events(self) -> AsyncIterator[Event]:
        while True:
            yield await self.queue.get()


class _InstantBackend:
    name = "instant"

    def __init__(self) -> None:
        self.connections: list[_InstantConnection] = []

    def default_model(self) -> str:
        return "instant-1"

    @asynccontextmanager
    async def connect(
        self, config: SessionConfig, tools: ToolRegistry
    ) -> AsyncIterator[_InstantConnection]:
        conn = _InstantConnection()
        self.connections.append(conn)
        yield conn


def _frames() -> tuple[bytes, bytes]:
    n = 8000 * FRAME_MS // 1000
    silence = pcm16_to_mulaw(bytes(2 * n))
    t = np.arange(n) / 8000
    loud = pcm16_to_mulaw((12000 * np.sin(2 * np.pi * 440 * t)).astype("<i2").tobytes())
    return silence, loud


def _media(sid: str, mulaw: bytes) -> str:
    payload = base64.b64encode(mulaw).decode()
    return json.dumps({"event": "media", "streamSid": sid, "media": {"payload": payload}})


async def _round_trips(turns: int, interval: float) -> dict[str, list[float]]:
    backend = _InstantBackend()
    settings = ServerSettings(port=0, public_url="http://127.0.0.1:9", metrics=False,
                              log_level="warning")
    app = create_app(settings, backend=backend, tools=ToolRegistry([]))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = _Server(uvicorn.Config(app, log_config=None, ws_ping_interval=None, lifespan="on"))
    serving = asyncio.create_task(server.serve([sock]))
    await server.ready.wait()
    sid = "MZbench"
    silence, loud = _frames()
    sent: list[float] = []
    got: list[float] = []
    async with connect(f"ws://127.0.0.1:{port}/twilio/stream", ping_interval=None) as ws:
        await ws.send(json.dumps({"event": "connected", "protocol": "Call"}))
        await ws.send(json.dumps({"event": "start", "streamSid": sid, "start": {
            "streamSid": sid, "callSid": "CAbench", "customParameters": {}}}))

        async def reader() -> None:
            last_voiced = 0.0
            async for raw in ws:
                message = json.loads(raw)
                if message["event"] == "mark":
                    await ws.send(json.dumps({"event": "mark", "streamSid": sid,
                                              "mark": message["mark"]}))
                elif message["event"] == "media":
                    pcm = mulaw_to_pcm16(base64.b64decode(message["media"]["payload"]))
                    now = time.perf_counter()
                    if _rms(pcm) > LOUD:
                        # a reply's first frame: more than 50 ms after the previous reply's
                        if now - last_voiced > 0.05 and len(got) < len(sent):
                            got.append(now)
                            if len(got) == turns:
                                all_back.set()
                        last_voiced = now

        all_back = asyncio.Event()
        reading = asyncio.create_task(reader())
        per_turn = max(2, round(interval * 1000 / FRAME_MS))
        start = time.perf_counter()
        for i in range(turns * per_turn):
            delay = start + i * FRAME_MS / 1000 - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)  # the phone network's pace
            is_loud = i % per_turn == per_turn // 2
            if is_loud:
                sent.append(time.perf_counter())
            await ws.send(_media(sid, loud if is_loud else silence))
        with contextlib.suppress(TimeoutError):  # replies that never came are reported
            await asyncio.wait_for(all_back.wait(), timeout=5)
        reading.cancel()
    server.should_exit = True
    await serving
    conn = backend.connections[0]
    n = min(len(sent), len(got), len(conn.received))
    return {
        "in": [(conn.received[i] - sent[i]) * 1000 for i in range(n)],
        "out": [(got[i] - conn.emitted[i]) * 1000 for i in range(n)],
        "rtt": [(got[i] - sent[i]) * 1000 for i in range(n)],
    }


def _conversions() -> dict[str, float]:
    _, loud = _frames()
    pcm = mulaw_to_pcm16(loud)
    state = StreamState()
    state.receive(json.dumps({"event": "start", "start": {"streamSid": "MZ", "callSid": "CA"}}))
    text = _media("MZ", loud)
    runs = 20000
    return {
        "decode 20 ms (mu-law -> PCM16)": timeit.timeit(lambda: mulaw_to_pcm16(loud),
                                                        number=runs) / runs * 1e6,
        "encode 20 ms (PCM16 -> mu-law)": timeit.timeit(lambda: pcm16_to_mulaw(pcm),
                                                        number=runs) / runs * 1e6,
        "parse a media frame (JSON + base64 + decode)": timeit.timeit(
            lambda: state.receive(text), number=runs) / runs * 1e6,
        "build a media frame (base64 + JSON)": timeit.timeit(
            lambda: media_message("MZ", loud), number=runs) / runs * 1e6,
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--interval", type=float, default=0.5)
    args = parser.parse_args()
    for name, us in _conversions().items():
        print(f"{name:<48} {us:8.1f} us")
    figures = asyncio.run(_round_trips(args.turns, args.interval))
    print(f"round trips measured: {len(figures['rtt'])} of {args.turns}")
    for name, values in figures.items():
        if values:
            print(f"{name:<4} p50 {statistics.median(values):7.1f} ms   p95 "
                  f"{_pct(values, 0.95):7.1f} ms   max {max(values):7.1f} ms")


if __name__ == "__main__":
    main()
