"""Microphone and speaker through PyAudio (extra ``mic``), imported only when created."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.to_thread

from voicelive._extras import require
from voicelive.audio.format import PCM16_16K, PCM16_24K, AudioFormat
from voicelive.audio.playback import PlaybackBuffer
from voicelive.audio.quiet import quiet_native_stderr
from voicelive.exceptions import AudioDeviceError, ClosedError

__all__ = ["MicrophoneSource", "SpeakerSink"]


def _pyaudio() -> Any:
    return require("pyaudio", extra="mic", feature="microphone and speaker audio")


class MicrophoneSource:
    """Captures the default (or a chosen) input device as PCM16 chunks.

    Args:
        format: Capture format; 16 kHz mono by default (most devices resample for us).
        chunk_ms: Duration of each chunk.
        device_index: PyAudio device index; the system default when ``None``.
    """

    def __init__(
        self, format: AudioFormat = PCM16_16K, *, chunk_ms: int = 40,
        device_index: int | None = None,
    ) -> None:
        pa_mod = _pyaudio()
        self.format = format
        self._frames = format.sample_rate * chunk_ms // 1000
        with quiet_native_stderr():  # PortAudio's probing noise, not the error
            self._pa = pa_mod.PyAudio()
        try:
            with quiet_native_stderr():
                self._stream = self._pa.open(
                    format=pa_mod.paInt16, channels=format.channels, rate=format.sample_rate,
                    input=True, frames_per_buffer=self._frames, input_device_index=device_index,
                )
        except Exception as exc:
            self._pa.terminate()
            raise AudioDeviceError(f"cannot open the microphone: {exc}") from exc
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """Yield captured chunks until closed."""
        while not self._closed:
            try:
                data: bytes = await anyio.to_thread.run_sync(
                    lambda: self._stream.read(self._frames, exception_on_overflow=False)
                )
            except OSError as exc:
                if self._closed:
                    return
                raise AudioDeviceError(f"microphone read failed: {exc}") from exc
            yield data

    async def aclose(self) -> None:
        """Stop and release the device."""
        if not self._closed:
            self._closed = True
            self._stream.stop_stream()
            self._stream.close()
            self._pa.terminate()


class SpeakerSink:
    """Plays PCM16 through the default output device via a :class:`PlaybackBuffer`.

    The device pulls audio in a callback of ``device_ms`` milliseconds, so ``clear()`` silences
    playback within one device buffer.
    """

    def __init__(
        self, format: AudioFormat = PCM16_24K, *, device_ms: int = 20, buffer_s: float = 30.0,
        device_index: int | None = None,
    ) -> None:
        pa_mod = _pyaudio()
        self.format = format
        self.buffer = PlaybackBuffer(int(format.bytes_per_second * buffer_s),
                                     frame_size=format.frame_size)
        frames = format.sample_rate * device_ms // 1000
        with quiet_native_stderr():  # PortAudio's probing noise, not the error
            self._pa = pa_mod.PyAudio()

        def callback(_in: bytes | None, count: int, _info: Any, _flags: int) -> tuple[bytes, int]:
            return self.buffer.read(count * format.frame_size), pa_mod.paContinue

        try:
            with quiet_native_stderr():
                self._stream = self._pa.open(
                    format=pa_mod.paInt16, channels=format.channels, rate=format.sample_rate,
                    output=True, frames_per_buffer=frames, stream_callback=callback,
                    output_device_index=device_index,
                )
        except Exception as exc:
            self._pa.terminate()
            raise AudioDeviceError(f"cannot open the speaker: {exc}") from exc
        self._closed = False

    async def write(self, chunk: bytes) -> None:
        """Queue audio for playback."""
        if self._closed:
            raise ClosedError("SpeakerSink is closed; cannot write")
        self.format.check(chunk)
        self.buffer.write(chunk)

    async def clear(self) -> None:
        """Drop unplayed audio at once."""
        self.buffer.clear()

    async def drain(self) -> None:
        """Wait until the buffer has been played."""
        await anyio.to_thread.run_sync(self.buffer.wait_empty)

    async def aclose(self) -> None:
        """Stop and release the device."""
        if not self._closed:
            self._closed = True
            self._stream.stop_stream()
            self._stream.close()
            self._pa.terminate()
