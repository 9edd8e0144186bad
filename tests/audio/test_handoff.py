"""HandOff: the bounded queue behind MemorySource and the Gemini event stream."""

from __future__ import annotations

import anyio
import pytest

from voicelive._streams import BURST, HandOff


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_bound_is_enforced() -> None:
    queue = HandOff[int](2)
    queue.send_nowait(1)
    queue.send_nowait(2)
    with pytest.raises(anyio.WouldBlock):
        queue.send_nowait(3)
    assert len(queue) == 2
    with pytest.raises(ValueError):
        HandOff[int](0)


@pytest.mark.anyio
async def test_end_delivers_what_is_queued_then_stops() -> None:
    queue = HandOff[int](4)
    for i in range(3):
        queue.send_nowait(i)
    queue.end()
    assert [i async for i in queue] == [0, 1, 2]
    with pytest.raises(anyio.ClosedResourceError):
        queue.send_nowait(9)


@pytest.mark.anyio
async def test_a_full_queue_makes_send_wait_for_room() -> None:
    queue = HandOff[int](1)
    queue.send_nowait(0)
    got: list[int] = []
    async with anyio.create_task_group() as tg:
        tg.start_soon(queue.send, 1)  # waits: the queue is full
        tg.start_soon(queue.send, 2)
        async for item in queue:
            got.append(item)
            if len(got) == 3:
                queue.end()
    assert got == [0, 1, 2]


@pytest.mark.anyio
async def test_close_stops_the_consumer_and_fails_waiting_senders() -> None:
    queue = HandOff[int](1)
    queue.send_nowait(0)
    failures: list[type[BaseException]] = []
    sender_waiting = anyio.Event()

    async def sender() -> None:
        sender_waiting.set()
        try:
            await queue.send(1)
        except anyio.ClosedResourceError as exc:
            failures.append(type(exc))

    async def consumer(seen: list[int]) -> None:
        async for item in queue:
            seen.append(item)

    seen: list[int] = []
    async with anyio.create_task_group() as tg:
        tg.start_soon(sender)
        await sender_waiting.wait()
        queue.close()
        tg.start_soon(consumer, seen)
    assert failures == [anyio.ClosedResourceError] and seen == [] and queue.closed


@pytest.mark.anyio
async def test_a_long_burst_lets_other_tasks_run() -> None:
    total = 3 * BURST
    queue = HandOff[int](total)
    for i in range(total):
        queue.send_nowait(i)
    queue.end()
    ran_at: list[int] = []
    taken: list[int] = []

    async def other() -> None:
        ran_at.append(len(taken))

    async with anyio.create_task_group() as tg:
        tg.start_soon(other)
        async for item in queue:
            taken.append(item)
    assert taken == list(range(total))
    assert ran_at == [BURST]  # it ran after the first burst, not after the whole queue
