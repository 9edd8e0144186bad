"""Helpers for driving LiveEmulator with the real google-genai client (not a test module)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
from google.genai import errors, live, types

from voicelive.testing import LiveEmulator

MODEL_25 = "gemini-2.5-flash-native-audio-preview-12-2025"
MODEL_3 = "gemini-3.8-live"

ADD = types.FunctionDeclaration(
    name="add",
    description="Add two numbers.",
    parameters_json_schema={
        "type": "object",
        "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
    },
)


def speech(n: int, seed: int = 1) -> bytes:
    """PCM16 bytes loud enough to count as speech (even length)."""
    return bytes(((i * 37 + seed * 11) % 200) + 28 for i in range(n))


@asynccontextmanager
async def sdk_session(
    emu: LiveEmulator, model: str, config: types.LiveConnectConfig | None = None, **client: Any
) -> AsyncIterator[live.AsyncSession]:
    """A real google-genai live session with the emulator (TLS, explicit base URL)."""
    genai_client = emu.genai_client(**client)
    cfg = config or types.LiveConnectConfig(response_modalities=[types.Modality.AUDIO])
    async with genai_client.aio.live.connect(model=model, config=cfg) as session:
        yield session


async def take_until(
    session: live.AsyncSession, done: Callable[[types.LiveServerMessage], bool]
) -> list[types.LiveServerMessage]:
    """Messages up to and including the first for which ``done`` holds."""
    seen: list[types.LiveServerMessage] = []
    with anyio.fail_after(10):  # deadlock guard, not a performance assertion
        while True:
            async for message in session.receive():
                seen.append(message)
                if done(message):
                    return seen


def is_turn_complete(message: types.LiveServerMessage) -> bool:
    return bool(message.server_content and message.server_content.turn_complete)


def audio_bytes(messages: list[types.LiveServerMessage]) -> bytes:
    out = bytearray()
    for message in messages:
        turn = message.server_content.model_turn if message.server_content else None
        for part in (turn.parts if turn else None) or []:
            if part.inline_data and part.inline_data.data:
                out += part.inline_data.data
    return bytes(out)


async def closed_with(session: live.AsyncSession) -> errors.APIError:
    """Read until the emulator closes the session; the SDK's error for that close."""
    try:
        await take_until(session, lambda _m: False)
    except errors.APIError as exc:
        return exc
    raise AssertionError("the session was not closed")
