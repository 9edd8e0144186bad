"""Frames through LiveSession, GeminiBackend and the real google-genai client, into LiveEmulator.

The frame sources run on a fake clock, so rates are counted exactly, in fake seconds.
"""

from __future__ import annotations

import io
from typing import Any

import anyio
import anyio.lowlevel
import pytest
from PIL import Image
from video_helpers import FakeClock

from voicelive import LiveSession, SessionConfig
from voicelive.events import ToolResult
from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import on_setup, on_tool_response
from voicelive.tools import ToolRegistry, tool
from voicelive.video import FrameSettings, FrameSource, TestPatternSource

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Window:
    """Passes the frames of ``inner`` that come within ``seconds`` of the fake clock."""

    def __init__(self, inner: FrameSource, clock: FakeClock, seconds: float) -> None:
        self.inner = inner
        self.clock = clock
        self.seconds = seconds
        self.times: list[float] = []
        self.finished = anyio.Event()

    def __aiter__(self) -> Window:
        return self

    async def __anext__(self) -> bytes:
        jpeg = await anext(aiter(self.inner))
        if self.clock() > self.seconds + 1e-6:
            self.finished.set()
            raise StopAsyncIteration
        self.times.append(self.clock())
        return jpeg

    async def aclose(self) -> None:
        await self.inner.aclose()


def video_blobs(emu: LiveEmulator) -> list[dict[str, Any]]:
    return [body["video"] for body in emu.realtime_inputs() if "video" in body]


async def until(predicate: Any) -> None:
    """Yield to the other tasks until ``predicate()`` holds (callers bound it with fail_after)."""
    while not predicate():
        await anyio.lowlevel.checkpoint()


async def test_frames_arrive_as_jpeg_within_size_at_the_configured_rate() -> None:
    clock = FakeClock()
    settings = FrameSettings(max_side=512, fps=10.0)
    pattern = TestPatternSource(1280, 720, settings=settings, clock=clock, sleep=clock.sleep)
    frames = Window(pattern, clock, seconds=3.0)
    with anyio.fail_after(30):
        async with LiveEmulator() as emu, LiveSession(
            emu.backend(), SessionConfig(), frames=frames
        ) as session:
            await frames.finished.wait()
            await emu.wait_for(lambda e: len(video_blobs(e)) >= session.stats.frames)
            await session.close()
    blobs = video_blobs(emu)
    assert len(blobs) == 31 == session.stats.frames  # 10 fps over 3 s: fps * T + 1
    assert frames.times == pytest.approx([i / 10 for i in range(31)])
    for blob in blobs:
        assert blob["mime_type"] == "image/jpeg"
        image = Image.open(io.BytesIO(blob["data"]))
        assert image.format == "JPEG"
        assert image.size == (512, 288)  # longer side at the limit, aspect kept
    assert len({bytes(b["data"]) for b in blobs}) == 31  # the pattern changes every frame


async def test_no_frames_are_sent_while_a_blocking_tool_runs() -> None:
    clock = FakeClock()
    frames = TestPatternSource(320, 240, settings=FrameSettings(fps=10.0), clock=clock,
                               sleep=clock.sleep)
    seen: dict[str, int] = {}
    holder: list[LiveSession] = []

    @tool
    async def look_closer() -> str:
        """Study the picture for a while (blocking: input is paused meanwhile)."""
        session = holder[0]
        seen["before"] = session.stats.frames
        await until(lambda: session.stats.dropped_frames >= 3)
        seen["after"] = session.stats.frames
        return "a test pattern"

    script = [
        on_setup(m.tool_call("c1", "look_closer", {})),
        on_tool_response("c1", m.turn_complete()),
    ]
    with anyio.fail_after(30):
        async with LiveEmulator(script) as emu:
            session = LiveSession(emu.backend(), SessionConfig(), frames=frames,
                                  tools=ToolRegistry([look_closer]))
            holder.append(session)
            async with session:
                results = []
                async for event in session:
                    if isinstance(event, ToolResult):
                        results.append(event)
                        break
                await emu.wait_for(lambda e: len(video_blobs(e)) >= seen["before"] + 2)
                await session.close()
    assert results and results[0].ok
    assert seen["after"] == seen["before"]  # nothing went out while the tool ran
    assert session.stats.dropped_frames >= 3  # frames kept coming and were dropped
    first_response = next(i for i, r in enumerate(emu.received) if r.kind == "tool_response")
    sent_before = [r for r in emu.received[:first_response]
                   if r.kind == "realtime_input" and "video" in r.body]
    assert len(sent_before) == seen["before"]
    assert len(video_blobs(emu)) >= seen["before"] + 2  # frames resume after the tool
