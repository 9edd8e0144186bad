"""A flapping service and bad service messages (issue #16 items 8 and 9), with the real client.

The reconnect budget counts attempts per window, so a service that sends one message and closes
1011 gets a bounded number of reconnects; messages nested too deep, audio parts with an
unplayable rate and odd-length audio parts are skipped or realigned and counted, and the
conversation goes on.
"""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import pytest
from gemini_helpers import (
    ScriptedSocket,
    StandInTools,
    audio_of,
    connected,
    no_leaks,
    pcm,
    until_turn_complete,
)

from voicelive.backends.gemini import GeminiBackend, GeminiConnection
from voicelive.backends.gemini.handover import Backoff
from voicelive.config import SessionConfig
from voicelive.events import AudioOut, SessionError, TurnComplete
from voicelive.exceptions import ConnectionClosedError
from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import Close, on_audio, on_setup

NO_WAIT = Backoff(base_s=0.0, cap_s=0.0)  # reconnect at once: the count is what is tested


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_a_service_that_sends_one_message_then_closes_1011_gets_a_bounded_budget() -> None:
    # 30 connections' worth of "one message, then 1011": the old budget, refilled by every
    # message, reconnected until the script ran out.
    flap = [on_setup(m.output_transcript("hello"), close=Close(1011, "Internal error."))
            for _ in range(30)]
    config = SessionConfig(max_reconnects=3, reconnect_window_s=600)
    async with no_leaks(), LiveEmulator(flap) as emu:
        backend = emu.backend(backoff=NO_WAIT)
        errors: list[SessionError] = []
        with pytest.raises(ConnectionClosedError) as caught:
            async with backend.connect(config, StandInTools()) as conn:
                with anyio.fail_after(20):  # deadlock guard only
                    async for event in conn.events():
                        if isinstance(event, SessionError):
                            errors.append(event)
        assert caught.value.code == 1011
        assert emu.connections == 4  # the first connection and 3 reconnects, then it gives up
        assert conn.reconnects == 3 and len(errors) == 4  # one error event per drop


@pytest.mark.anyio
@pytest.mark.parametrize("direct_wire", [True, False], ids=["direct", "sdk"])
async def test_unplayable_rates_and_odd_parts_are_skipped_or_realigned(direct_wire: bool) -> None:
    good = pcm(960, seed=3)
    script = [on_audio(
        2,
        m.audio(pcm(480, seed=1), rate=0),
        m.audio(pcm(480, seed=2), rate=99999999),
        m.audio(good[:481]),  # odd: its last byte is carried into the next part
        m.audio(good[481:]),
        m.audio(b"\x01"),  # odd and last: dropped at the end of the turn, counted
        m.turn_complete(),
    )]
    async with no_leaks(), connected(script, direct_wire=direct_wire) as (_emu, conn):
        await conn.send_audio(b"\x00\x00")
        turn = await until_turn_complete(conn.events())
        parts = [e for e in turn if isinstance(e, AudioOut)]
        assert audio_of(turn) == good  # byte-exact, aligned: no shifted samples
        assert all(len(p.data) % 2 == 0 for p in parts)
        assert {p.sample_rate for p in parts} == {24000}
        assert conn.ignored_messages == 2
        assert (conn.odd_audio_parts, conn.dropped_reply_bytes) == (3, 1)


@pytest.mark.anyio
@pytest.mark.parametrize("direct_wire", [True, False], ids=["direct", "sdk"])
async def test_json_nested_100000_deep_is_skipped_and_the_session_goes_on(
    tmp_path: Path, direct_wire: bool,
) -> None:
    from google.genai import types

    reply = pcm(480, seed=9)
    frames = [
        '{"a":' * 100_000 + "1" + "}" * 100_000,  # RecursionError in json.loads
        "[" * 100_000 + "]" * 100_000,
        json.dumps(m.audio(reply)),
        json.dumps(m.turn_complete()),
    ]
    async with ScriptedSocket(tmp_path, frames) as server:
        backend = GeminiBackend("test-key", http_options=types.HttpOptions(base_url=server.url),
                                ssl_context=server.client_ssl_context(),
                                direct_wire=direct_wire)
        async with backend.connect(SessionConfig(), StandInTools()) as conn:
            assert isinstance(conn, GeminiConnection)
            with anyio.fail_after(20):  # deadlock guard only
                turn = await until_turn_complete(conn.events())
            assert audio_of(turn) == reply
            assert isinstance(turn[-1], TurnComplete)
            assert conn.ignored_messages == 2
