"""Every example runs here, on the offline backend or against LiveEmulator."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import anyio

from voicelive.audio import MemorySink, MemorySource
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


def test_camera_context_example_sends_frames_to_the_emulator() -> None:
    example = load("camera_context")
    script = [on_audio(12800, messages.audio(b"\x00\x00" * 240), messages.turn_complete())]

    async def run() -> tuple[list[object], int]:
        async with LiveEmulator(script) as emu:
            frames = example.frame_source("pattern", fps=50.0)
            src = MemorySource.from_bytes(b"\x01\x00" * 6400)
            events = await example.converse(emu.backend(), src, MemorySink(), frames)
            jpegs = [r for r in emu.received if r.kind == "realtime_input" and "video" in r.body]
            return events, len(jpegs)

    events, n_frames = anyio.run(run)
    assert isinstance(events[-1], TurnComplete)
    assert n_frames >= 1
