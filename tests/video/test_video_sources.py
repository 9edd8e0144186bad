"""Frame sources: test pattern, image files, screen (mss) and camera (OpenCV)."""

from __future__ import annotations

import io
import queue
import sys
import threading
import types
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel
import anyio.to_thread
import numpy as np
import pytest
from PIL import Image
from video_helpers import FakeClock

from voicelive.exceptions import ClosedError, FrameError, MissingExtraError, UsageError
from voicelive.video import (
    CameraSource,
    FrameSettings,
    FrameSource,
    ImageFolderSource,
    ScreenSource,
    TestPatternSource,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"

FAST = FrameSettings(fps=10.0, max_side=256)


def decode(jpeg: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg))
    assert image.format == "JPEG"
    return image.convert("RGB")


def close_to(pixel: Any, expected: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(int(a) - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


async def collect(source: FrameSource, limit: int = 1000) -> list[bytes]:
    frames: list[bytes] = []
    async for jpeg in source:
        frames.append(jpeg)
        if len(frames) >= limit:
            break
    return frames


# --- test pattern ----------------------------------------------------------------------------


async def test_test_pattern_is_deterministic_distinct_and_paced() -> None:
    clock_a, clock_b = FakeClock(), FakeClock()
    a = TestPatternSource(320, 200, settings=FAST, count=12, clock=clock_a, sleep=clock_a.sleep)
    b = TestPatternSource(320, 200, settings=FAST, count=12, clock=clock_b, sleep=clock_b.sleep)
    frames_a, times = [], []
    async for jpeg in a:
        frames_a.append(jpeg)
        times.append(clock_a.now)
    frames_b = await collect(b)
    assert frames_a == frames_b  # same size and frame numbers: same bytes
    assert len(frames_a) == 12 and len(set(frames_a)) == 12  # each one differs
    assert a.stats.dropped_identical == 0 and a.stats.sent == 12
    assert times == pytest.approx([i * 0.1 for i in range(12)])  # one frame per 1/fps


async def test_test_pattern_is_resized_to_max_side() -> None:
    clock = FakeClock()
    source = TestPatternSource(1600, 900, settings=FrameSettings(max_side=400, fps=5.0),
                               count=2, clock=clock, sleep=clock.sleep)
    sizes = [decode(f).size for f in await collect(source)]
    assert sizes == [(400, 225), (400, 225)]


def test_test_pattern_refuses_tiny_sizes() -> None:
    with pytest.raises(UsageError):
        TestPatternSource(8, 8)


# --- image files -----------------------------------------------------------------------------

COLORS = {"a.png": (220, 20, 20), "b.jpg": (20, 220, 20), "c.webp": (20, 20, 220)}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, color in COLORS.items():
        Image.new("RGB", (80, 60), color).save(tmp_path / name)
    (tmp_path / "notes.txt").write_text("not an image")
    return tmp_path


async def test_folder_plays_images_in_name_order_once(folder: Path) -> None:
    clock = FakeClock()
    source = ImageFolderSource(folder, settings=FAST, clock=clock, sleep=clock.sleep)
    frames = await collect(source)
    colours = [decode(f).getpixel((40, 30)) for f in frames]
    assert len(colours) == 3
    for got, expected in zip(colours, COLORS.values(), strict=True):
        assert close_to(got, expected)
    assert [p.name for p in source.paths] == ["a.png", "b.jpg", "c.webp"]


async def test_folder_loops_when_asked(folder: Path) -> None:
    clock = FakeClock()
    source = ImageFolderSource(folder, loop=True, settings=FAST, clock=clock, sleep=clock.sleep)
    frames = await collect(source, limit=7)
    expected = list(COLORS.values())
    for i, frame in enumerate(frames):
        assert close_to(decode(frame).getpixel((40, 30)), expected[i % 3])
    assert len(frames) == 7


async def test_list_of_paths_keeps_the_given_order(folder: Path) -> None:
    clock = FakeClock()
    paths = [folder / "c.webp", folder / "a.png"]
    frames = await collect(ImageFolderSource(paths, settings=FAST, clock=clock,
                                             sleep=clock.sleep))
    assert close_to(decode(frames[0]).getpixel((1, 1)), COLORS["c.webp"])
    assert close_to(decode(frames[1]).getpixel((1, 1)), COLORS["a.png"])


async def test_photos_are_turned_upright_by_their_exif_orientation(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to view"
    Image.new("RGB", (80, 40), (90, 90, 90)).save(tmp_path / "phone.jpg", exif=exif)
    clock = FakeClock()
    frames = await collect(ImageFolderSource(tmp_path / "phone.jpg", clock=clock,
                                             sleep=clock.sleep))
    assert [decode(f).size for f in frames] == [(40, 80)]


async def test_unreadable_images_are_skipped_counted_and_named(folder: Path) -> None:
    (folder / "b0-garbage.png").write_bytes(b"this is not a png at all")
    good = io.BytesIO()
    Image.new("RGB", (300, 300), (1, 2, 3)).save(good, format="PNG")
    (folder / "b1-truncated.png").write_bytes(good.getvalue()[:120])
    clock = FakeClock()
    source = ImageFolderSource(folder, settings=FAST, clock=clock, sleep=clock.sleep)
    frames = await collect(source)
    assert len(frames) == 3  # the three good images still go out
    assert source.stats.unreadable == 2
    assert [type(e) for e in source.errors] == [FrameError, FrameError]
    assert "b0-garbage.png" in str(source.errors[0])
    assert "b1-truncated.png" in str(source.errors[1])


async def test_a_folder_of_only_unreadable_images_raises(tmp_path: Path) -> None:
    (tmp_path / "x.png").write_bytes(b"nope")
    (tmp_path / "y.jpg").write_bytes(b"")
    clock = FakeClock()
    source = ImageFolderSource(tmp_path, loop=True, clock=clock, sleep=clock.sleep)
    with pytest.raises(FrameError, match="none of the 2 image files"):
        await collect(source)


def test_missing_or_empty_inputs_fail_when_created(tmp_path: Path) -> None:
    with pytest.raises(FrameError, match="no image files"):
        ImageFolderSource(tmp_path)
    with pytest.raises(FrameError, match="no such image file or folder"):
        ImageFolderSource(tmp_path / "absent")
    with pytest.raises(FrameError, match="empty"):
        ImageFolderSource([])


async def test_closed_source_stops_and_cannot_restart(folder: Path) -> None:
    clock = FakeClock()
    source = ImageFolderSource(folder, loop=True, settings=FAST, clock=clock, sleep=clock.sleep)
    assert isinstance(source, FrameSource)
    async for _ in source:
        await source.aclose()  # closing while iterating ends the loop
    await source.aclose()  # twice is fine
    with pytest.raises(ClosedError):
        aiter(source)
    assert source.stats.sent == 1


# --- screen (mss) ----------------------------------------------------------------------------


class FakeShot:
    def __init__(self, width: int, height: int, shade: int) -> None:
        self.size = (width, height)
        self.rgb = bytes([shade, 0, 255 - shade]) * (width * height)


class FakeMss:
    """Stands in for an mss screen grabber with two monitors."""

    grabs = 0

    def __init__(self) -> None:
        self.monitors = [
            {"left": 0, "top": 0, "width": 3200, "height": 1200},
            {"left": 0, "top": 0, "width": 1600, "height": 1200},
            {"left": 1600, "top": 0, "width": 1600, "height": 1200},
        ]

    def __enter__(self) -> FakeMss:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def grab(self, monitor: dict[str, int]) -> FakeShot:
        FakeMss.grabs += 1
        return FakeShot(monitor["width"] // 10, monitor["height"] // 10, FakeMss.grabs * 40)


@pytest.fixture
def fake_mss(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("mss")
    module.MSS = FakeMss  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mss", module)
    FakeMss.grabs = 0


@pytest.mark.usefixtures("fake_mss")
async def test_screen_frames_come_from_the_chosen_monitor() -> None:
    clock = FakeClock()
    source = ScreenSource(monitor=2, settings=FrameSettings(max_side=100, fps=2.0),
                          clock=clock, sleep=clock.sleep)
    frames = await collect(source, limit=3)
    assert [decode(f).size for f in frames] == [(100, 75)] * 3  # 160x120 fitted into 100
    assert close_to(decode(frames[0]).getpixel((50, 37)), (40, 0, 215))
    assert clock.now == pytest.approx(1.0)  # three frames at 2 fps
    await source.aclose()


@pytest.mark.usefixtures("fake_mss")
async def test_screen_monitor_that_does_not_exist_is_a_frame_error() -> None:
    source = ScreenSource(monitor=5)
    with pytest.raises(FrameError, match="monitor 5 does not exist; this screen has 2"):
        await collect(source)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 display check")
async def test_screen_without_a_display_is_a_frame_error(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("mss")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(FrameError, match="cannot grab the screen"):
        await collect(ScreenSource())


def test_missing_extras_name_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mss", None)
    monkeypatch.setitem(sys.modules, "cv2", None)
    with pytest.raises(MissingExtraError, match=r"voicelive\[screen\]"):
        ScreenSource()
    with pytest.raises(MissingExtraError, match=r"voicelive\[camera\]"):
        CameraSource()


# --- camera (OpenCV) -------------------------------------------------------------------------


async def test_camera_that_cannot_open_is_a_clear_frame_error() -> None:
    pytest.importorskip("cv2")
    source = CameraSource(index=99)
    with pytest.raises(FrameError, match="camera 99 cannot be opened"):
        await collect(source)
    await source.aclose()


_FAIL = object()


class FakeCapture:
    """A camera whose frames the test feeds through a queue (BGR arrays, like OpenCV)."""

    def __init__(self, frames: queue.Queue[Any]) -> None:
        self.frames = frames
        self.released = False

    def isOpened(self) -> bool:  # OpenCV spells it this way
        return True

    def read(self) -> tuple[bool, Any]:
        while True:
            item = self.frames.get()
            if isinstance(item, threading.Event):  # every earlier frame has been offered
                item.set()
                continue
            if item is _FAIL:
                return False, None
            return True, item

    def release(self) -> None:
        self.released = True


def bgr(color_rgb: tuple[int, int, int]) -> np.ndarray[Any, Any]:
    frame = np.zeros((120, 160, 3), dtype=np.uint8)
    frame[...] = color_rgb[::-1]
    return frame


async def test_camera_sends_the_newest_frame_and_counts_the_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feed: queue.Queue[Any] = queue.Queue()
    capture = FakeCapture(feed)
    module = types.ModuleType("cv2")
    module.VideoCapture = lambda index: capture  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cv2", module)
    clock = FakeClock()
    camera = CameraSource(settings=FAST, clock=clock, sleep=clock.sleep, max_failures=1)
    frames = aiter(camera)

    feed.put(bgr((0, 0, 255)))
    first = await anext(frames)
    assert close_to(decode(first).getpixel((80, 60)), (0, 0, 255))  # BGR turned into RGB

    # three frames arrive while the session is still busy with the first one
    offered = threading.Event()
    for color in [(0, 255, 0), (255, 255, 255), (255, 0, 0)]:
        feed.put(bgr(color))
    feed.put(offered)
    await anyio.to_thread.run_sync(offered.wait)
    second = await anext(frames)
    assert close_to(decode(second).getpixel((80, 60)), (255, 0, 0))  # the newest won
    assert clock.now >= 0.1  # and it waited for the rate limit
    stats = camera.stats
    assert (stats.produced, stats.sent, stats.dropped_backpressure, stats.pending) == (4, 2, 2, 0)

    feed.put(_FAIL)
    with pytest.raises(FrameError, match="stopped delivering frames"):
        await anext(frames)
    await camera.aclose()
    assert capture.released
