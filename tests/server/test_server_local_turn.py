"""A full spoken turn through the real offline backend and the nutrition tools, over /ws.

The user's speech is synthesised with espeak-ng ("I missed lunch"), resampled to 16 kHz mono
PCM16 and streamed as tagged binary messages; the server must answer with the tool call, its
result and spoken reply audio at 24 kHz.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from test_server_harness import anyio_backend, client, run_server

from voicelive.audio import AudioFormat, read_wav, resample_once, to_mono
from voicelive.backends.local import LocalBackend
from voicelive.nutrition import toolkit
from voicelive.server.settings import ServerSettings

__all__ = ["anyio_backend"]

pytestmark = pytest.mark.anyio


def spoken(text: str, tmp_path: Path) -> bytes:
    espeak = shutil.which("espeak-ng")
    assert espeak is not None, "espeak-ng is required (apt-get install espeak-ng)"
    wav = tmp_path / "speech.wav"
    subprocess.run([espeak, "-s", "150", "-w", str(wav), text], check=True)
    pcm, fmt = read_wav(wav)
    mono = to_mono(pcm, fmt.channels)
    return resample_once(mono, AudioFormat(fmt.sample_rate), 16000)


async def test_spoken_turn_through_local_backend(tmp_path: Path) -> None:
    speech = spoken("I missed lunch", tmp_path)
    silence = b"\x00\x00" * 16000 * 2  # two seconds: the detector hears the end of speech
    audio = speech + silence
    settings = ServerSettings(port=0, db_path=tmp_path / "nutrition.sqlite3")
    tools = toolkit(db_path=settings.db_path)
    async with (
        run_server(settings, backend=LocalBackend(), tools=tools) as srv,
        client(srv.url) as c,
    ):
        await c.send(type="start", mode="audio", user="lunch-tester")
        ready = await c.expect("ready")
        assert ready["backend"] == "local"
        step = 3200  # 100 ms chunks, as a browser worklet might send
        for i in range(0, len(audio), step):
            await c.send_raw(b"\x01" + audio[i : i + step])
        heard = await c.expect("user_transcript")
        while not heard.get("final", True):
            heard = await c.expect("user_transcript")
        assert "lunch" in heard["text"].lower()
        call = await c.expect("tool_call")
        assert call["name"] == "missed_meal"
        assert call["args"] == {"meal": "lunch"}
        result = await c.expect("tool_result")
        assert result["ok"] is True
        await c.expect("turn_complete")
        assert "mark" in c.types()
    samples = np.frombuffer(bytes(c.audio), dtype="<i2")
    assert samples.size > 24000 // 2  # at least half a second of spoken reply at 24 kHz
    assert float(np.abs(samples).max()) > 1000  # and it is not silence
