"""The send side of a Gemini conversation without sockets: send now, hold, replay in order."""

from __future__ import annotations

from typing import cast

import pytest

from voicelive.backends.gemini.handover import HandoverPlanner
from voicelive.backends.gemini.outbox import Op, Outbox
from voicelive.backends.gemini.wire import Wire

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Socket:
    """Stands in for a wire: the operations below write what they send here."""

    def __init__(self) -> None:
        self.sent: list[str] = []


def send(label: str) -> Op:
    async def op(wire: Wire) -> None:
        cast(Socket, wire).sent.append(label)

    return op


def wire(socket: Socket) -> Wire:
    return cast(Wire, socket)


async def test_sends_wait_for_a_socket_and_are_replayed_in_order() -> None:
    outbox = Outbox(HandoverPlanner())
    await outbox.submit(send("audio 1"), audio_bytes=640)
    await outbox.submit(send("text"))
    assert not outbox.takes_frames()
    socket = Socket()
    await outbox.replay(wire(socket))
    await outbox.submit(send("audio 2"), audio_bytes=640)
    assert socket.sent == ["audio 1", "text", "audio 2"]
    assert outbox.takes_frames()


async def test_after_go_away_only_tool_results_reach_the_old_socket() -> None:
    planner = HandoverPlanner()
    outbox = Outbox(planner)
    old, new = Socket(), Socket()
    await outbox.replay(wire(old))
    planner.on_go_away(10.0, now=0.0)
    await outbox.submit(send("audio"), audio_bytes=640)
    await outbox.submit(send("result"), to_old=True)
    assert old.sent == ["result"] and not outbox.takes_frames()
    planner.on_connected()
    await outbox.replay(wire(new))
    assert new.sent == ["audio"]


async def test_held_audio_is_bounded_and_the_drops_are_counted() -> None:
    outbox = Outbox(HandoverPlanner())
    for i in range(12):
        await outbox.submit(send(f"audio {i}"), audio_bytes=32_000)  # 1 s each, 10 s fit
    await outbox.submit(send("text"))
    socket = Socket()
    await outbox.replay(wire(socket))
    assert outbox.dropped_chunks == 2
    assert socket.sent == [f"audio {i}" for i in range(2, 12)] + ["text"]
