"""Microphone and speaker with a stand-in PyAudio module (no sound hardware needed)."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest

from voicelive.audio import PCM16_24K, MicrophoneSource, SpeakerSink
from voicelive.exceptions import AudioDeviceError, ClosedError, MissingExtraError


class FakeStream:
    def __init__(self, callback: Callable[..., tuple[bytes, int]] | None, fail: bool) -> None:
        self.callback = callback
        self.fail = fail
        self.reads = 0
        self.closed = False

    def read(self, frames: int, exception_on_overflow: bool = True) -> bytes:
        self.reads += 1
        if self.fail:
            raise OSError("device unplugged")
        return b"\x01\x00" * frames

    def pull(self, frames: int) -> bytes:
        """What the device would play in its next callback of ``frames`` frames."""
        assert self.callback is not None
        data, _flag = self.callback(None, frames, {}, 0)
        return data

    def stop_stream(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


class FakePyAudio:
    streams: list[FakeStream] = []
    refuse = False
    fail_reads = False

    def open(self, **kw: Any) -> FakeStream:
        if FakePyAudio.refuse:
            raise OSError("Invalid sample rate")
        stream = FakeStream(kw.get("stream_callback"), FakePyAudio.fail_reads)
        FakePyAudio.streams.append(stream)
        return stream

    def terminate(self) -> None:
        pass


@pytest.fixture
def fake_pyaudio(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakePyAudio]]:
    mod = types.ModuleType("pyaudio")
    mod.PyAudio = FakePyAudio  # type: ignore[attr-defined]
    mod.paInt16 = 8  # type: ignore[attr-defined]
    mod.paContinue = 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyaudio", mod)
    FakePyAudio.streams = []
    FakePyAudio.refuse = False
    FakePyAudio.fail_reads = False
    yield FakePyAudio


def test_speaker_clear_silences_the_next_device_buffer(fake_pyaudio: type[FakePyAudio]) -> None:
    async def main() -> None:
        sink = SpeakerSink(PCM16_24K, device_ms=20)
        stream = fake_pyaudio.streams[0]
        await sink.write(b"\x07\x00" * 24000)  # one second queued
        assert stream.pull(480) == b"\x07\x00" * 480  # one 20 ms device buffer plays
        await sink.clear()
        assert stream.pull(480) == b"\x00\x00" * 480  # the very next buffer is silence
        assert sink.buffer.stats.cleared_bytes == 2 * (24000 - 480)
        await sink.aclose()
        assert stream.closed
        with pytest.raises(ClosedError):
            await sink.write(b"\x00\x00")

    anyio.run(main)


def test_microphone_yields_chunks_and_maps_device_errors(fake_pyaudio: type[FakePyAudio]) -> None:
    async def main() -> None:
        mic = MicrophoneSource(chunk_ms=20)
        async for chunk in mic:
            assert chunk == b"\x01\x00" * 320
            break
        await mic.aclose()
        fake_pyaudio.fail_reads = True
        broken = MicrophoneSource()
        with pytest.raises(AudioDeviceError, match="device unplugged"):
            async for _ in broken:
                pass

    anyio.run(main)
    fake_pyaudio.refuse = True
    with pytest.raises(AudioDeviceError, match="cannot open the microphone"):
        MicrophoneSource()


def test_missing_pyaudio_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyaudio", None)
    with pytest.raises(MissingExtraError, match=r'pip install "voicelive\[mic\]"'):
        SpeakerSink()
