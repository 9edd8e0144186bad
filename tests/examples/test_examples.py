"""Every example runs here, on the offline backend or against LiveEmulator."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio

from voicelive.audio import PCM16_16K, MemorySink, MemorySource
from voicelive.events import TurnComplete
from voicelive.testing import LiveEmulator, messages, on_audio

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_custom_tool_example() -> None:
    out = anyio.run(load("custom_tool").main)
    assert out["good"] == {"output": {"value": 9.6, "summary": "12 percent of 80 is 9.6."}}
    assert "percent" in str(out["bad"]) and "error" in out["bad"]
    assert out["state"] == {"last": 9.6}


def test_emulator_example_runs_as_a_script() -> None:
    done = subprocess.run([sys.executable, str(EXAMPLES / "test_with_emulator.py")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "ok:" in done.stdout


class FirstFrameSignal:
    """Wraps a frame source; ``sent`` is set once the session has sent the first frame."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.sent = anyio.Event()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        asked = 0
        async for frame in self.inner:
            if asked == 1:
                self.sent.set()  # the session came back for more: the first one went out
            asked += 1
            yield frame
        self.sent.set()

    async def aclose(self) -> None:
        await self.inner.aclose()


class AudioAfter:
    """User audio that starts only once ``event`` is set (so a frame is known to precede it)."""

    format = PCM16_16K

    def __init__(self, event: anyio.Event, pcm: bytes) -> None:
        self.event = event
        self.pcm = pcm

    async def __aiter__(self) -> AsyncIterator[bytes]:
        await self.event.wait()
        yield self.pcm

    async def aclose(self) -> None:
        pass


def test_camera_context_example_sends_frames_to_the_emulator() -> None:
    example = load("camera_context")
    script = [on_audio(12800, messages.audio(b"\x00\x00" * 240), messages.turn_complete())]

    async def run() -> tuple[list[object], list[bytes]]:
        async with LiveEmulator(script) as emu:
            frames = FirstFrameSignal(example.frame_source("pattern", fps=50.0))
            src = AudioAfter(frames.sent, b"\x01\x00" * 6400)
            events = await example.converse(emu.backend(), src, MemorySink(), frames)
            jpegs = [r.body["video"]["data"] for r in emu.received
                     if r.kind == "realtime_input" and "video" in r.body]
            return events, jpegs

    events, jpegs = anyio.run(run)
    assert isinstance(events[-1], TurnComplete)
    assert jpegs and all(j[:2] == b"\xff\xd8" for j in jpegs)  # JPEG start-of-image


def test_embedded_server_serves_its_own_routes_and_live_sessions() -> None:
    from fastapi.testclient import TestClient

    from voicelive.events import AssistantTranscript
    from voicelive.testing import Await, ScriptedBackend

    backend = ScriptedBackend([Await(texts=1), AssistantTranscript(text="hello there"),
                               TurnComplete()])
    app = load("embed_server").build_app(backend)
    # The server answers the names it is bound to (DNS rebinding), not "testserver".
    with TestClient(app, base_url="http://localhost") as client:
        assert client.get("/").json()["voice"] == "/voice/ws"
        health = client.get("/voice/health")
        assert health.status_code == 200, health.text
        with client.websocket_connect("ws://localhost/voice/ws") as ws:
            ws.send_json({"type": "start", "mode": "audio", "user": "ada"})
            kinds: list[str] = []
            while "ready" not in kinds:
                kinds.append(ws.receive_json()["type"])
            ws.send_json({"type": "text", "text": "hi"})
            seen: list[dict[str, Any]] = []
            while not seen or seen[-1]["type"] != "turn_complete":
                seen.append(ws.receive_json())
            ws.send_json({"type": "stop"})
    assert {"type": "assistant_transcript", "text": "hello there", "final": True} in seen
    assert backend.connections[0].texts == ["hi"]


def speak(text: str) -> bytes:
    from voicelive.backends.local import LocalBackend
    from voicelive.backends.local.evaluation import VOICES
    from voicelive.backends.local.evaluation import speak as piper_speak

    return piper_speak(text, VOICES[0], LocalBackend().load().synthesizer)


def test_file_conversation_example_offline(tmp_path: Path, monkeypatch: Any) -> None:
    from voicelive.audio import write_wav
    from voicelive.events import ToolCall

    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    write_wav(tmp_path / "q.wav", speak("I skipped my breakfast."), PCM16_16K)
    events = anyio.run(lambda: load("file_conversation").converse(
        tmp_path / "q.wav", tmp_path / "r.wav", db_path=tmp_path / "d.sqlite3"))
    call = next(e for e in events if isinstance(e, ToolCall))
    assert call.name == "missed_meal" and call.args == {"meal": "breakfast"}
    from voicelive.audio import read_wav

    reply, fmt = read_wav(tmp_path / "r.wav")
    assert fmt.sample_rate == 24000 and len(reply) > 24000


def test_mic_chat_example_with_a_file_standing_in_for_the_microphone(tmp_path: Path) -> None:
    from voicelive.events import AssistantTranscript
    from voicelive.nutrition import toolkit

    pcm = speak("I went swimming for twenty minutes.")
    sink = MemorySink()
    events = anyio.run(lambda: load("mic_chat").chat(
        MemorySource.from_bytes(pcm), sink, turns=1,
        tools=toolkit(db_path=tmp_path / "d.sqlite3")))
    said = [e for e in events if isinstance(e, AssistantTranscript)]
    assert said and "swimming" in said[0].text
    assert len(sink.data) > 24000
