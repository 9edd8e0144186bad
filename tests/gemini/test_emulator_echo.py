"""LiveEmulator's echo mode with the real google-genai client: every chunk of user audio is
answered at once with reply audio of the same duration, on every connection, with or without
recording."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import pytest
from gemini_helpers import FAST, StandInTools, connected, pcm

from voicelive.config import SessionConfig
from voicelive.events import AudioOut, Event
from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator, echo_reply


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def next_audio(events: AsyncIterator[Event]) -> bytes:
    async for event in events:
        if isinstance(event, AudioOut):
            return event.data
    raise AssertionError("events ended before reply audio")


def test_echo_reply_keeps_the_chunk_and_pads_to_the_same_duration() -> None:
    chunk = pcm(1280)  # 40 ms at 16 kHz
    (message,) = echo_reply(1, chunk, 16000)
    part = message["serverContent"]["modelTurn"]["parts"][0]["inlineData"]
    assert part["mimeType"] == "audio/pcm;rate=24000"
    data = m.decode_base64(part["data"])
    assert data == chunk + bytes(640)  # 1920 bytes: 40 ms at 24 kHz
    assert echo_reply(1, b"", 16000) == []


@pytest.mark.anyio
async def test_each_chunk_is_answered_in_order_and_recorded() -> None:
    chunks = [pcm(1280, seed=i) for i in range(3)]
    async with connected([], echo_audio=True) as (emu, conn):
        events = conn.events()
        for chunk in chunks:
            await conn.send_audio(chunk)
            assert await next_audio(events) == chunk + bytes(640)
        assert emu.audio() == b"".join(chunks)


@pytest.mark.anyio
async def test_echo_without_recording_serves_several_connections() -> None:
    seen: list[tuple[int, int]] = []

    def responder(connection: int, data: bytes, rate: int) -> list[m.ServerMessage]:
        seen.append((connection, rate))
        return echo_reply(connection, data, rate)

    async with LiveEmulator(echo_audio=responder, record=False) as emu:
        backend = emu.backend(backoff=FAST)
        async with (
            backend.connect(SessionConfig(), StandInTools()) as first,
            backend.connect(SessionConfig(), StandInTools()) as second,
        ):
            for index, conn in enumerate((first, second)):
                chunk = pcm(640, seed=index)
                await conn.send_audio(chunk)
                assert await next_audio(conn.events()) == chunk + bytes(320)
        with anyio.fail_after(10):  # deadlock guard, not a performance assertion
            await emu.wait_for(lambda e: e.active == 0)
        assert emu.connections == 2
        assert emu.received == [] and emu.paths == []
        assert emu.profile_names() == []  # nor the profile state of closed connections
    assert sorted(seen) == [(1, 16000), (2, 16000)]
