"""Frame sources inside a LiveSession (ScriptedBackend): bad images never stop the audio."""

from __future__ import annotations

from pathlib import Path

import anyio
import anyio.lowlevel
import numpy as np
import pytest
from PIL import Image
from video_helpers import FakeClock

from voicelive import LiveSession, SessionConfig
from voicelive.audio import AudioFormat, MemorySource
from voicelive.events import Event, SessionError, TurnComplete
from voicelive.testing import Await, ScriptedBackend
from voicelive.video import FrameSettings, FrameSource, ImageFolderSource

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Finished:
    """Wraps a frame source and sets ``finished`` when its iteration ends, however it ends."""

    def __init__(self, inner: FrameSource) -> None:
        self.inner = inner
        self.finished = anyio.Event()

    def __aiter__(self) -> Finished:
        return self

    async def __anext__(self) -> bytes:
        try:
            return await anext(aiter(self.inner))
        except BaseException:
            self.finished.set()
            raise

    async def aclose(self) -> None:
        await self.inner.aclose()


def speech(ms: int) -> bytes:
    n = 16000 * ms // 1000
    return (np.sin(np.arange(n) / 5) * 6000).astype("<i2").tobytes()


async def run_session(frames: Finished, audio: bytes) -> tuple[list[Event], ScriptedBackend]:
    backend = ScriptedBackend([Await(audio_bytes=len(audio), audio_end=True), TurnComplete()])
    events: list[Event] = []
    with anyio.fail_after(20):
        async with LiveSession(
            backend, SessionConfig(), source=MemorySource.from_bytes(audio, AudioFormat(16000)),
            frames=frames,
        ) as session:
            async for event in session:
                events.append(event)
                if isinstance(event, TurnComplete):
                    await frames.finished.wait()
                    await session.close()
    return events, backend


def write_images(folder: Path) -> None:
    Image.new("RGB", (64, 48), (200, 0, 0)).save(folder / "1.png")
    (folder / "2.png").write_bytes(b"\x89PNG\r\n\x1a\n but then nothing sensible")
    Image.new("RGB", (64, 48), (0, 0, 200)).save(folder / "3.png")


async def test_unreadable_image_is_skipped_and_audio_flows(tmp_path: Path) -> None:
    write_images(tmp_path)
    clock = FakeClock()
    source = ImageFolderSource(tmp_path, settings=FrameSettings(fps=5.0), clock=clock,
                               sleep=clock.sleep)
    audio = speech(600)
    events, backend = await run_session(Finished(source), audio)
    conn = backend.connections[0]
    assert len(conn.audio) >= len(audio) and conn.audio_ended  # every bit of audio went out
    assert len(conn.frames) == 2 and all(f.startswith(b"\xff\xd8") for f in conn.frames)
    assert source.stats.unreadable == 1 and "2.png" in str(source.errors[0])
    assert not [e for e in events if isinstance(e, SessionError)]  # a skipped image is no error
    assert any(isinstance(e, TurnComplete) for e in events)


async def test_source_that_cannot_read_anything_reports_a_frame_error_and_audio_flows(
    tmp_path: Path,
) -> None:
    (tmp_path / "only.png").write_bytes(b"garbage")
    clock = FakeClock()
    source = ImageFolderSource(tmp_path, clock=clock, sleep=clock.sleep)
    audio = speech(600)
    events, backend = await run_session(Finished(source), audio)
    conn = backend.connections[0]
    errors = [e for e in events if isinstance(e, SessionError)]
    assert [e.code for e in errors] == ["frame_error"]
    assert "none of the 1 image files can be read" in errors[0].message
    assert "only.png" in errors[0].message
    assert conn.frames == [] and len(conn.audio) >= len(audio) and conn.audio_ended
    assert any(isinstance(e, TurnComplete) for e in events)
