"""The frame pipeline's decisions: resize geometry, rate limit, newest wins, dedupe, JPEG."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from voicelive.exceptions import ConfigError, FrameError
from voicelive.video import FramePipeline, FrameSettings
from voicelive.video.imaging import digest, encode_jpeg, fit_size, prepare, to_image
from voicelive.video.pattern import pattern_frame
from voicelive.video.schedule import FrameScheduler, RateLimiter

# --- resize geometry -------------------------------------------------------------------------

sides = st.integers(min_value=1, max_value=20_000)


@given(width=sides, height=sides, max_side=st.integers(min_value=16, max_value=4096))
def test_fit_size_keeps_aspect_respects_bound_and_never_upscales(
    width: int, height: int, max_side: int
) -> None:
    new_w, new_h = fit_size(width, height, max_side)
    assert 1 <= new_w <= width and 1 <= new_h <= height  # never upscaled
    assert max(new_w, new_h) <= max_side  # bound respected
    if max(width, height) <= max_side:
        assert (new_w, new_h) == (width, height)  # already fits: untouched
    else:
        assert max(new_w, new_h) == max_side  # uses the room it has
        # aspect ratio kept within rounding of the shorter side (half a pixel), unless the
        # shorter side had to be clamped to one pixel
        if min(new_w, new_h) > 1:
            assert abs(new_w * height - new_h * width) <= max(width, height) / 2 + 1e-9


def test_fit_size_refuses_non_positive_sizes() -> None:
    with pytest.raises(ValueError, match="positive"):
        fit_size(0, 10, 100)


@given(
    width=st.integers(min_value=1, max_value=900),
    height=st.integers(min_value=1, max_value=900),
    max_side=st.integers(min_value=16, max_value=512),
)
@settings(max_examples=40, deadline=None)
def test_prepared_images_have_the_fitted_size(width: int, height: int, max_side: int) -> None:
    image = Image.new("RGB", (width, height), (10, 200, 30))
    assert prepare(image, max_side).size == fit_size(width, height, max_side)


def test_prepare_flattens_transparency_over_white_and_converts_modes() -> None:
    rgba = Image.new("RGBA", (40, 20), (255, 0, 0, 0))  # fully transparent red
    flat = prepare(rgba, 64)
    assert flat.mode == "RGB"
    assert flat.getpixel((5, 5)) == (255, 255, 255)
    palette = Image.new("P", (40, 20))
    assert prepare(palette, 64).mode == "RGB"
    assert prepare(Image.new("L", (40, 20)), 64).mode == "L"


def test_arrays_become_images_and_bad_arrays_are_frame_errors() -> None:
    rgb = np.zeros((12, 20, 3), dtype=np.uint8)
    rgb[..., 0] = 200
    image = to_image(rgb)
    assert image.size == (20, 12) and image.getpixel((0, 0)) == (200, 0, 0)
    assert to_image(np.zeros((4, 5), dtype=np.uint8)).mode == "L"
    with pytest.raises(FrameError, match="uint8"):
        to_image(np.zeros((4, 5, 3), dtype=np.float32))
    with pytest.raises(FrameError, match="shape"):
        to_image(np.zeros((4, 5, 2), dtype=np.uint8))


def test_jpeg_quality_changes_size_and_output_decodes() -> None:
    image = Image.fromarray(pattern_frame(320, 240, 3))
    low, high = encode_jpeg(image, 20), encode_jpeg(image, 95)
    assert len(low) < len(high)
    decoded = Image.open(io.BytesIO(low))
    assert decoded.format == "JPEG" and decoded.size == (320, 240)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_side": 8}, {"max_side": 10_000}, {"jpeg_quality": 0}, {"jpeg_quality": 100},
        {"fps": 0}, {"fps": -1.0}, {"fps": float("inf")}, {"fps": float("nan")}, {"fps": 61},
    ],
)
def test_frame_settings_reject_out_of_range_values(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        FrameSettings(**kwargs)


def test_frame_settings_defaults() -> None:
    s = FrameSettings()
    assert (s.max_side, s.jpeg_quality, s.fps, s.skip_identical) == (1024, 80, 1.0, True)


# --- rate limit and newest wins --------------------------------------------------------------

fps_values = st.floats(min_value=0.2, max_value=30.0, allow_nan=False, allow_infinity=False)
steps = st.floats(min_value=0.0, max_value=2.0, allow_nan=False, allow_infinity=False)


def _assert_window_bound(times: list[float], fps: float) -> None:
    """No window of length T holds more than fps*T + 1 of ``times`` (sorted)."""
    for i in range(len(times)):
        for j in range(i + 1, len(times)):
            window = times[j] - times[i]
            assert j - i + 1 <= fps * window + 1 + 1e-6, (i, j, window)


@given(fps=fps_values, gaps=st.lists(steps, max_size=80))
def test_rate_limiter_never_exceeds_fps_times_window_plus_one(
    fps: float, gaps: list[float]
) -> None:
    limiter = RateLimiter(fps)
    now, passed = 0.0, []
    for gap in gaps:
        now += gap
        if limiter.ready(now):
            limiter.mark(now)
            passed.append(now)
        else:
            assert limiter.wait_time(now) > 0
    _assert_window_bound(passed, fps)


@given(fps=fps_values, count=st.integers(min_value=1, max_value=40))
def test_rate_limiter_lets_every_event_through_when_they_are_spaced_enough(
    fps: float, count: int
) -> None:
    limiter = RateLimiter(fps)
    now = 0.0
    for _ in range(count):
        assert limiter.ready(now) and limiter.wait_time(now) == 0.0
        limiter.mark(now)
        now += limiter.interval


operations = st.lists(
    st.tuples(st.sampled_from(["offer", "take", "done"]), steps), max_size=120
)


@given(fps=fps_values, ops=operations)
def test_scheduler_newest_wins_rate_bound_and_every_frame_accounted(
    fps: float, ops: list[tuple[str, float]]
) -> None:
    scheduler: FrameScheduler[int] = FrameScheduler(fps)
    now, next_id, newest = 0.0, 0, -1
    taken_times: list[float] = []
    last_taken = -1
    for op, gap in ops:
        now += gap
        if op == "offer":
            scheduler.offer(next_id)
            newest, next_id = next_id, next_id + 1
        elif op == "take":
            was_pending = scheduler.has_pending
            frame = scheduler.take(now)
            if frame is not None:
                assert frame == newest  # the newest frame wins, always
                assert frame > last_taken  # never an older frame after a newer one
                last_taken = frame
                taken_times.append(now)
            else:
                assert not was_pending or scheduler.wait_time(now) > 0
        else:
            scheduler.done()
        pending = int(scheduler.has_pending)
        assert scheduler.produced == (scheduler.taken + scheduler.dropped_rate
                                      + scheduler.dropped_backpressure + pending)
    _assert_window_bound(taken_times, fps)


def test_replaced_frames_count_as_backpressure_while_busy_and_rate_otherwise() -> None:
    scheduler: FrameScheduler[str] = FrameScheduler(1.0)
    scheduler.offer("a")
    assert scheduler.take(0.0) == "a" and scheduler.busy
    scheduler.offer("b")
    scheduler.offer("c")  # b replaced while the consumer still sends a
    assert scheduler.dropped_backpressure == 1 and scheduler.dropped_rate == 0
    scheduler.done()
    scheduler.offer("d")  # c replaced while waiting for the rate limit
    assert scheduler.dropped_rate == 1
    assert scheduler.take(0.5) is None  # too early
    assert scheduler.take(1.0) == "d"
    assert (scheduler.produced, scheduler.taken) == (4, 2)


# --- the pipeline ----------------------------------------------------------------------------


def test_pipeline_skips_identical_frames_and_still_paces_them() -> None:
    pipeline = FramePipeline(FrameSettings(fps=2.0, max_side=64))
    still = Image.fromarray(pattern_frame(128, 96, 1))
    assert pipeline.process(still, 0.0) is not None
    assert pipeline.wait_time(0.0) == pytest.approx(0.5)
    assert pipeline.process(still.copy(), 0.5) is None  # same pixels: skipped
    assert pipeline.wait_time(0.5) == pytest.approx(0.5)  # ... but it used its slot
    moved = Image.fromarray(pattern_frame(128, 96, 2))
    jpeg = pipeline.process(moved, 1.0)
    assert jpeg is not None and Image.open(io.BytesIO(jpeg)).size == (64, 48)
    stats = pipeline.stats
    assert (stats.produced, stats.sent, stats.dropped_identical) == (3, 2, 1)


def test_pipeline_without_dedupe_sends_identical_frames() -> None:
    pipeline = FramePipeline(FrameSettings(fps=10.0, skip_identical=False))
    still = Image.new("RGB", (50, 40), (1, 2, 3))
    sent = [pipeline.process(still, t / 10) for t in range(3)]
    assert all(s is not None for s in sent) and pipeline.stats.dropped_identical == 0


def test_digest_tells_pixels_apart() -> None:
    a = Image.new("RGB", (8, 8), (0, 0, 0))
    b = a.copy()
    b.putpixel((7, 7), (0, 0, 1))
    assert digest(a) == digest(a.copy()) and digest(a) != digest(b)
