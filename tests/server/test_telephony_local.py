"""A phone call through the real offline backend: the caller's request, spoken with espeak-ng
and sent as 8 kHz mu-law media frames, gets a spoken reply back as mu-law media frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from telephony_harness import the_call, twilio
from test_server_harness import anyio_backend, run_server
from test_server_local_turn import spoken

from voicelive.audio import AudioFormat, resample_once
from voicelive.backends.local import LocalBackend
from voicelive.nutrition import toolkit
from voicelive.server.settings import ServerSettings

__all__ = ["anyio_backend"]

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


async def test_spoken_request_over_the_phone_gets_a_spoken_reply(tmp_path: Path) -> None:
    speech = resample_once(spoken("oh and I missed lunch today", tmp_path), AudioFormat(16000),
                           8000)
    silence = b"\x00\x00" * 8000 * 2  # the line goes quiet: the detector hears the end
    settings = ServerSettings(port=0, public_url="http://127.0.0.1:9",
                              db_path=tmp_path / "nutrition.sqlite3")
    async with run_server(settings, backend=LocalBackend(),
                          tools=toolkit(db_path=settings.db_path)) as srv, twilio(
        f"ws://127.0.0.1:{srv.port}/twilio/stream"
    ) as tw:
        await tw.connected_and_start(caller="phone-lunch")
        await tw.say(speech + silence, pace=0.02)  # at the phone network's pace
        end = await tw.until("mark", echo=True)
        while not end["mark"]["name"].startswith("end-"):
            end = await tw.until("mark", echo=True)
        call_dropped = the_call(srv.hub).source.dropped
    assert call_dropped == 0
    reply = np.frombuffer(tw.audio(), dtype="<i2")
    assert reply.size > 8000  # more than a second of reply at 8 kHz
    assert float(np.abs(reply).max()) > 1000  # and it is speech, not silence
    spoken_frames = [m for m in tw.received if m["event"] == "media"]
    assert all(len(m["media"]["payload"]) > 0 for m in spoken_frames)
