from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import anyio
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voicelive.audio import (
    PCM16_16K,
    AudioFormat,
    Chunker,
    MemorySink,
    MemorySource,
    PlaybackBuffer,
    StreamResampler,
    WavSink,
    WavSource,
    read_wav,
    resample_once,
    to_mono,
    write_wav,
)
from voicelive.exceptions import (
    AudioFileError,
    AudioFormatError,
    ClosedError,
    VoiceLiveError,
)


def split_points(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, prev = [], 0
    for p in [*points, len(data)]:
        pieces.append(data[prev:p])
        prev = p
    return pieces


def tone(rate: int, seconds: float, freq: float = 440.0, channels: int = 1) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    s = (np.sin(2 * math.pi * freq * t) * 8000).astype("<i2")
    if channels == 2:
        s = np.repeat(s, 2)
    return s.tobytes()


@given(st.binary(max_size=4000), st.lists(st.integers(min_value=0), max_size=20),
       st.sampled_from([20, 30, 40, 100]))
def test_chunker_loses_and_duplicates_nothing(data: bytes, cuts: list[int], ms: int) -> None:
    chunker = Chunker(PCM16_16K, ms)
    out: list[bytes] = []
    for piece in split_points(data, cuts):
        out += chunker.feed(piece)
    assert all(len(c) == chunker.chunk_bytes for c in out)
    out.append(chunker.flush())
    joined = b"".join(out)
    # everything frame-aligned came out, in order; only an odd trailing byte stays pending
    assert joined == data[: len(data) - len(data) % 2]
    assert chunker.pending == len(data) % 2


def test_chunker_carries_odd_byte_to_next_chunk() -> None:
    chunker = Chunker(PCM16_16K, 20)  # 640 bytes
    assert chunker.feed(b"\x01" * 641) == [b"\x01" * 640]
    assert chunker.pending == 1
    assert chunker.feed(b"\x02" * 639) == [b"\x01" + b"\x02" * 639]


RATE_PAIRS = [(44100, 16000), (48000, 16000), (22050, 16000), (22050, 24000), (16000, 24000)]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(RATE_PAIRS), st.integers(min_value=1, max_value=12000),
       st.lists(st.integers(min_value=0), max_size=12))
def test_resampled_length_and_chunking_invariance(
    rates: tuple[int, int], nsamples: int, cuts: list[int]
) -> None:
    in_rate, out_rate = rates
    rng = np.random.default_rng(nsamples)
    pcm = (rng.standard_normal(nsamples) * 3000).astype("<i2").tobytes()
    fmt = AudioFormat(in_rate)
    whole = resample_once(pcm, fmt, out_rate)
    rs = StreamResampler(fmt, out_rate)
    pieces = [rs.process(p) for p in split_points(pcm, cuts)]
    chunked = b"".join(pieces) + rs.flush()
    expected = nsamples * out_rate / in_rate
    assert abs(len(whole) // 2 - expected) <= 1
    assert abs(len(chunked) // 2 - expected) <= 1
    a = np.frombuffer(whole, "<i2").astype(np.float64)
    b = np.frombuffer(chunked, "<i2").astype(np.float64)
    n = min(a.size, b.size)
    # streaming keeps the filter state: the two differ by rounding, not by clicks
    assert np.max(np.abs(a[:n] - b[:n]), initial=0) <= 2


def test_resampler_keeps_a_tone_clean_across_20ms_chunks() -> None:
    pcm = tone(48000, 1.0)
    rs = StreamResampler(AudioFormat(48000), 16000)
    step = AudioFormat(48000).bytes_for(20)
    out = b"".join(rs.process(pcm[i : i + step]) for i in range(0, len(pcm), step)) + rs.flush()
    y = np.frombuffer(out, "<i2").astype(np.float64)[200:-200]
    spectrum = np.abs(np.fft.rfft(y))
    peak = int(np.argmax(spectrum)) * 16000 / y.size
    assert abs(peak - 440) < 5
    # a click at a chunk boundary would spread energy; the tone stays dominant
    assert spectrum.max() > 50 * np.median(spectrum)


def test_stereo_is_mixed_to_mono() -> None:
    stereo = struct.pack("<4h", 100, 300, -200, -400)
    assert to_mono(stereo, 2) == struct.pack("<2h", 200, -300)
    out = resample_once(tone(16000, 0.1, channels=2), AudioFormat(16000, 2), 16000)
    assert len(out) == 1600 * 2


@given(st.binary(max_size=2000).map(lambda b: b[: len(b) // 4 * 4]),
       st.sampled_from([8000, 16000, 22050, 24000, 48000]), st.sampled_from([1, 2]))
def test_wav_round_trip_is_exact(pcm: bytes, rate: int, channels: int) -> None:
    import tempfile

    fmt = AudioFormat(rate, channels)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.wav"
        write_wav(path, pcm, fmt)
        data, got = read_wav(path)
    assert data == pcm
    assert got == fmt


def test_wav_sink_fixes_header_on_close(tmp_path: Path) -> None:
    async def main() -> None:
        sink = WavSink(tmp_path / "out.wav", AudioFormat(24000))
        for _ in range(5):
            await sink.write(b"\x01\x02" * 240)
        await sink.aclose()
        await sink.aclose()  # twice is fine
        with pytest.raises(ClosedError, match="closed"):
            await sink.write(b"\x00\x00")

    anyio.run(main)
    data, fmt = read_wav(tmp_path / "out.wav")
    assert len(data) == 5 * 480 and fmt.sample_rate == 24000
    with wave.open(str(tmp_path / "out.wav")) as w:
        assert w.getnframes() == 1200


def test_wav_source_yields_the_file(tmp_path: Path) -> None:
    pcm = tone(16000, 0.5)
    write_wav(tmp_path / "in.wav", pcm, PCM16_16K)

    async def main() -> list[bytes]:
        src = WavSource(tmp_path / "in.wav", chunk_ms=20)
        return [c async for c in src]

    chunks = anyio.run(main)
    assert b"".join(chunks) == pcm
    assert all(len(c) == 640 for c in chunks)


def test_non_pcm16_wav_is_rejected_by_name(tmp_path: Path) -> None:
    path = tmp_path / "float.wav"
    payload = np.zeros(100, dtype="<f4").tobytes()
    fmt_chunk = struct.pack("<HHIIHH", 3, 1, 16000, 64000, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt_chunk
    body += b"data" + struct.pack("<I", len(payload)) + payload
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(AudioFormatError, match="only 16-bit PCM"):
        read_wav(path)

    write_wav(tmp_path / "u8.wav", b"\x00\x00", PCM16_16K)
    with wave.open(str(tmp_path / "u8.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        w.writeframes(b"\x80" * 10)
    with pytest.raises(AudioFormatError, match="8-bit"):
        read_wav(tmp_path / "u8.wav")


def test_truncated_and_garbage_files_are_named(tmp_path: Path) -> None:
    write_wav(tmp_path / "full.wav", tone(16000, 0.2), PCM16_16K)
    raw = (tmp_path / "full.wav").read_bytes()
    (tmp_path / "cut.wav").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(AudioFileError, match="truncated WAV"):
        read_wav(tmp_path / "cut.wav")
    (tmp_path / "junk.wav").write_bytes(b"hello, not audio")
    with pytest.raises(AudioFileError, match="not a WAV"):
        read_wav(tmp_path / "junk.wav")
    with pytest.raises(AudioFileError, match="no such file"):
        read_wav(tmp_path / "missing.wav")
    (tmp_path / "head.wav").write_bytes(raw[:20])
    with pytest.raises(VoiceLiveError, match="truncated"):
        read_wav(tmp_path / "head.wav")


def test_odd_length_chunk_and_closed_sink_raise_library_errors() -> None:
    async def main() -> None:
        sink = MemorySink()
        with pytest.raises(AudioFormatError, match="odd-length"):
            await sink.write(b"\x00\x00\x00")
        await sink.aclose()
        with pytest.raises(ClosedError):
            await sink.write(b"\x00\x00")
        src = MemorySource()
        with pytest.raises(AudioFormatError):
            await src.push(b"\x01")
        src.end()
        with pytest.raises(ClosedError):
            await src.push(b"\x00\x00")

    anyio.run(main)


def test_bad_formats_are_rejected() -> None:
    with pytest.raises(AudioFormatError, match="sample width"):
        AudioFormat(16000, 1, 4)
    with pytest.raises(AudioFormatError, match="channels"):
        AudioFormat(16000, 6)
    with pytest.raises(AudioFormatError, match="out of range"):
        AudioFormat(10)


def test_memory_source_bounded_and_counts_drops() -> None:
    async def main() -> None:
        src = MemorySource(max_chunks=2)
        assert src.push_nowait(b"\x00\x00")
        assert src.push_nowait(b"\x01\x00")
        assert not src.push_nowait(b"\x02\x00")
        assert src.dropped == 1
        src.end()
        assert [c async for c in src] == [b"\x00\x00", b"\x01\x00"]

    anyio.run(main)


def test_playback_buffer_counts_underruns_drops_and_clears_at_once() -> None:
    buf = PlaybackBuffer(100)
    buf.write(b"\x01" * 60)
    assert buf.read(40) == b"\x01" * 40
    assert buf.read(40) == b"\x01" * 20 + b"\x00" * 20  # short read while flowing
    assert buf.stats.underruns == 1
    assert buf.read(40) == b"\x00" * 40  # silence while idle is not an underrun
    assert buf.stats.underruns == 1
    buf.write(b"\x02" * 80)
    buf.write(b"\x03" * 40)  # 20 bytes over capacity: oldest dropped
    s = buf.stats
    assert s.dropped_bytes == 20 and s.buffered_bytes == 100
    assert buf.read(2) == b"\x02\x02"
    assert buf.clear() == 98
    assert buf.read(4) == b"\x00" * 4
    assert buf.stats.cleared_bytes == 98
    assert buf.wait_empty(0)


@given(st.lists(st.binary(max_size=64).map(lambda b: b[: len(b) // 2 * 2]), max_size=30),
       st.integers(min_value=2, max_value=64).map(lambda n: n // 2 * 2))
def test_playback_buffer_conserves_bytes(writes: list[bytes], read_size: int) -> None:
    buf = PlaybackBuffer(256)
    written = 0
    for w in writes:
        buf.write(w)
        written += len(w)
        buf.read(read_size)
    s = buf.stats
    assert s.played_bytes + s.dropped_bytes + s.buffered_bytes == written
