"""WAV files as sources and sinks (PCM16 only), with clear errors for anything else."""

from __future__ import annotations

import os
import struct
import time
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import anyio

from voicelive.audio.format import AudioFormat
from voicelive.exceptions import AudioFileError, AudioFormatError, ClosedError

__all__ = ["WavSink", "WavSource", "read_wav", "write_wav"]

_WAVE_FORMAT_PCM = 1
_WAVE_FORMAT_EXTENSIBLE = 0xFFFE


def _check_header(path: Path, head: bytes) -> None:
    """Give precise errors for files that the ``wave`` module would reject vaguely."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise AudioFileError(f"{path}: not a WAV file (no RIFF/WAVE header)")
    pos = 12
    while pos + 8 <= len(head):
        chunk_id, size = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        if chunk_id == b"fmt ":
            if pos + 8 + 16 > len(head):
                raise AudioFileError(f"{path}: truncated WAV header")
            tag, _channels, _rate, _brate, _align, bits = struct.unpack(
                "<HHIIHH", head[pos + 8 : pos + 24]
            )
            if tag not in (_WAVE_FORMAT_PCM, _WAVE_FORMAT_EXTENSIBLE) or bits != 16:
                kind = "float" if tag == 3 else f"format tag {tag}"
                raise AudioFormatError(
                    f"{path}: WAV is {kind}, {bits}-bit; only 16-bit PCM is supported "
                    f"(convert with: sox IN.wav -b 16 -e signed-integer OUT.wav)"
                )
            return
        pos += 8 + size + (size & 1)
    raise AudioFileError(f"{path}: truncated WAV header (no fmt chunk)")


def _open_reader(path: Path) -> tuple[wave.Wave_read, AudioFormat]:
    try:
        with path.open("rb") as fh:
            _check_header(path, fh.read(4096))
        reader = wave.open(str(path), "rb")  # noqa: SIM115 - returned to the caller
    except FileNotFoundError as exc:
        raise AudioFileError(f"{path}: no such file") from exc
    except (wave.Error, EOFError, struct.error) as exc:
        raise AudioFileError(f"{path}: unreadable WAV ({exc})") from exc
    try:
        fmt = AudioFormat(reader.getframerate(), reader.getnchannels(), reader.getsampwidth())
    except AudioFormatError as exc:
        reader.close()
        raise AudioFormatError(f"{path}: {exc}") from exc
    return reader, fmt


def read_wav(path: str | os.PathLike[str]) -> tuple[bytes, AudioFormat]:
    """Read a whole PCM16 WAV file.

    Raises:
        AudioFileError: The file is missing, not a WAV, or shorter than its header says.
        AudioFormatError: The WAV is not 16-bit PCM.
    """
    p = Path(path)
    reader, fmt = _open_reader(p)
    with reader:
        declared = reader.getnframes()
        data = reader.readframes(declared)
    if len(data) < declared * fmt.frame_size:
        raise AudioFileError(
            f"{p}: truncated WAV: header declares {declared} frames, file holds "
            f"{len(data) // fmt.frame_size}"
        )
    return data, fmt


def write_wav(path: str | os.PathLike[str], pcm: bytes, format: AudioFormat) -> None:
    """Write PCM16 bytes as a WAV file."""
    format.check(pcm)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(format.channels)
        w.setsampwidth(format.sample_width)
        w.setframerate(format.sample_rate)
        w.writeframes(pcm)


class WavSource:
    """Streams a PCM16 WAV file in chunks.

    Args:
        path: The file.
        chunk_ms: Duration of each chunk.
        realtime: Pace chunks at the speed of real audio (a microphone stand-in); otherwise
            yield as fast as the consumer reads.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, chunk_ms: int = 40, realtime: bool = False
    ) -> None:
        self.path = Path(path)
        self._pcm, self.format = read_wav(self.path)
        self.chunk_ms = chunk_ms
        self.realtime = realtime
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """Yield the file's audio, chunk by chunk."""
        step = self.format.bytes_for(self.chunk_ms)
        start = time.monotonic()
        for i, offset in enumerate(range(0, len(self._pcm), step)):
            if self._closed:
                return
            if self.realtime:
                due = start + i * self.chunk_ms / 1000
                await anyio.sleep(max(0.0, due - time.monotonic()))
            yield self._pcm[offset : offset + step]

    async def aclose(self) -> None:
        """Stop iteration."""
        self._closed = True


class WavSink:
    """Writes PCM16 chunks to a WAV file; the header's sizes are fixed when it closes.

    ``clear()`` has nothing to drop (a file plays nothing), so it only counts barge-ins.
    """

    def __init__(self, path: str | os.PathLike[str], format: AudioFormat) -> None:
        self.path = Path(path)
        self.format = format
        self.cleared = 0
        self._writer: wave.Wave_write | None = wave.open(str(self.path), "wb")  # noqa: SIM115
        self._writer.setnchannels(format.channels)
        self._writer.setsampwidth(format.sample_width)
        self._writer.setframerate(format.sample_rate)

    def _require_open(self) -> wave.Wave_write:
        if self._writer is None:
            raise ClosedError(f"WavSink for {self.path} is closed; cannot write")
        return self._writer

    async def write(self, chunk: bytes) -> None:
        """Append a chunk (whole frames only)."""
        writer = self._require_open()
        self.format.check(chunk)
        writer.writeframesraw(chunk)

    async def clear(self) -> None:
        """Count a barge-in; a file has no unplayed buffer."""
        self._require_open()
        self.cleared += 1

    async def drain(self) -> None:
        """Return at once: a file has no playback delay."""

    async def aclose(self) -> None:
        """Fix the header sizes and close the file."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
