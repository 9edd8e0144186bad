"""Shared helpers of the Gemini backend tests (not a test module)."""

from __future__ import annotations

import asyncio
import json
import os
import ssl
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import anyio
import numpy as np
from websockets.asyncio.server import Server, ServerConnection, serve

from voicelive.backends.gemini import GeminiConnection
from voicelive.backends.gemini.handover import Backoff
from voicelive.config import SessionConfig
from voicelive.events import AudioOut, Event, TurnComplete
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import Step
from voicelive.testing.tls import client_ssl_context, make_localhost_certificate
from voicelive.tools import ToolDeclaration

E = TypeVar("E", bound=Event)
FAST = Backoff(base_s=0.01, cap_s=0.05)


class StandInTools:
    """The part of ToolRegistry the backend uses."""

    def declarations(self) -> list[ToolDeclaration]:
        return [
            ToolDeclaration(
                name="add",
                description="Add two numbers.",
                parameters={
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


class ScriptedSocket:
    """A bare TLS WebSocket server on 127.0.0.1 that plays raw frames (what the emulator cannot).

    It answers the first message (``setup``) with ``setupComplete``, sends ``frames`` exactly as
    given (text, unparsed), then waits; it records each request path and setup.
    """

    def __init__(self, directory: Path, frames: Sequence[str]) -> None:
        self._cert = make_localhost_certificate(directory)
        self._frames = list(frames)
        self.paths: list[str] = []
        self.authorizations: list[str | None] = []
        self.setups: list[dict[str, Any]] = []
        self._server: Server | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://localhost:{self._server.sockets[0].getsockname()[1]}"

    def client_ssl_context(self) -> ssl.SSLContext:
        return client_ssl_context(self._cert.cert_path)

    async def _handle(self, ws: ServerConnection) -> None:
        self.paths.append(ws.request.path if ws.request is not None else "")
        self.authorizations.append(
            ws.request.headers.get("Authorization") if ws.request is not None else None)
        self.setups.append(json.loads(await ws.recv()))
        await ws.send(json.dumps({"setupComplete": {}}))
        for frame in self._frames:
            await ws.send(frame)
        await ws.wait_closed()

    async def __aenter__(self) -> ScriptedSocket:
        self._server = await serve(self._handle, "127.0.0.1", 0,
                                   ssl=self._cert.server_context(), max_size=None)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()


def tone(ms: int) -> bytes:
    """``ms`` of a loud 16 kHz sine: counts as speech for the session's voice check."""
    n = 16000 * ms // 1000
    return (np.sin(np.arange(n) / 4) * 7000).astype("<i2").tobytes()


def noise_reply(ms: int, seed: int) -> bytes:
    """``ms`` of 24 kHz noise standing in for the model's reply audio, distinct per ``seed``."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(24 * ms) * 2000).astype("<i2").tobytes()
