"""Shared helpers of the Gemini backend tests (not a test module)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import anyio
from google.genai import types

from voicelive.backends.gemini import GeminiConnection
from voicelive.backends.gemini_handover import Backoff
from voicelive.config import SessionConfig
from voicelive.events import AudioOut, Event, TurnComplete
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import Step

E = TypeVar("E", bound=Event)
FAST = Backoff(base_s=0.01, cap_s=0.05)


class StandInTools:
    """The part of ToolRegistry the backend uses."""

    def response_scheduling(self, name: str) -> types.FunctionResponseScheduling | None:
        return None

    def declarations(self) -> list[types.FunctionDeclaration]:
        return [
            types.FunctionDeclaration(
                name="add",
                description="Add two numbers.",
                parameters_json_schema={
                    "type": "object",
                    "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                    "required": ["a", "b"],
                },
            )
        ]


def pcm(n: int, seed: int = 0) -> bytes:
    """Deterministic, non-trivial PCM16 bytes (even length)."""
    return bytes((i * 7 + seed * 13 + (i >> 8)) % 256 for i in range(n))


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


@asynccontextmanager
async def no_leaks() -> AsyncIterator[None]:
    """Assert that no task, file descriptor or socket outlives the block."""
    tasks_before = asyncio.all_tasks()
    fds_before = fd_count()
    yield
    leftover = {t for t in asyncio.all_tasks() - tasks_before if not t.done()}
    assert leftover == set()
    assert fd_count() == fds_before


async def next_of(events: AsyncIterator[Event], kind: type[E]) -> E:
    async for event in events:
        if isinstance(event, kind):
            return event
    raise AssertionError(f"events ended before a {kind.__name__}")


async def until_turn_complete(events: AsyncIterator[Event]) -> list[Event]:
    seen: list[Event] = []
    async for event in events:
        seen.append(event)
        if isinstance(event, TurnComplete):
            return seen
    raise AssertionError("events ended before turn_complete")


def audio_of(events: Sequence[Event]) -> bytes:
    return b"".join(e.data for e in events if isinstance(e, AudioOut))


@asynccontextmanager
async def connected(
    script: Sequence[Step],
    config: SessionConfig | None = None,
    *,
    direct_wire: bool = True,
    **emu_kwargs: Any,
) -> AsyncIterator[tuple[LiveEmulator, GeminiConnection]]:
    """Run an emulator and a backend connection to it (``direct_wire`` picks the wire).

    When the backend's context is left, every socket it opened must be closed by the client
    itself, before the emulator shuts down (which would close leaked sockets for it).
    """
    # These tests drive the backend's mechanics with scripts sent as written; the family
    # profiles' own behaviour is tested in test_emulator_profiles.py.
    emu_kwargs.setdefault("profile", "scripted")
    async with LiveEmulator(script, **emu_kwargs) as emu:
        backend = emu.backend(backoff=FAST, direct_wire=direct_wire)
        async with backend.connect(config or SessionConfig(), StandInTools()) as conn:
            yield emu, conn
        await all_closed(emu)


async def all_closed(emu: LiveEmulator) -> None:
    """Wait until the emulator has no open connection (a guard turns a leak into a failure)."""
    with anyio.fail_after(10):  # deadlock guard, not a performance assertion
        await emu.wait_for(lambda e: e.active == 0)
