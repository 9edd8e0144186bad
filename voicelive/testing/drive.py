"""Drive whole turns through a backend connection without a session.

:func:`run_turn` plays the session's part for one spoken turn: it streams the user's audio, runs
the tools the backend asks for and returns what happened. Backend tests and benchmarks use it
to look at a backend's own events (a session would turn them into its own).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio

from voicelive.backends.base import INPUT_RATE, BackendConnection
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    Event,
    Interrupted,
    ToolCall,
    TurnComplete,
    UserTranscript,
)

__all__ = ["TurnRecord", "run_turn"]


@dataclass
class TurnRecord:
    """Everything one driven turn produced.

    Attributes:
        user_text: Final user transcripts, in order.
        calls: Tool calls the backend made.
        results: The responses sent back, in call order.
        reply_text: Assistant transcripts, in order.
        reply_pcm: Reply audio of the last turn (PCM16 at 24 kHz).
        latency_ms: ``TurnComplete.latency_ms`` of the last turn.
        first_audio_s: Wall time from the end of feeding to the first reply audio.
        interrupted: Whether an ``Interrupted`` event came.
        events: Every event, in order (audio included).
    """

    user_text: list[str] = field(default_factory=list)
    calls: list[ToolCall] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)
    reply_text: list[str] = field(default_factory=list)
    reply_pcm: bytes = b""
    latency_ms: float | None = None
    first_audio_s: float | None = None
    interrupted: bool = False
    events: list[Event] = field(default_factory=list)


ToolRunner = Callable[[str, dict[str, Any]], Any]


async def run_turn(
    conn: BackendConnection,
    tools: Any,
    pcm: bytes,
    *,
    chunk_ms: int = 40,
    realtime: bool = False,
    trailing_silence_ms: int = 800,
    barge_in: bytes | None = None,
    turns: int = 1,
) -> TurnRecord:
    """Stream ``pcm`` as the user's speech and follow the conversation to the end of the turn.

    Args:
        conn: An open backend connection.
        tools: A ``ToolRegistry`` whose ``call(name, args)`` runs the tools.
        pcm: PCM16 mono 16 kHz user speech.
        chunk_ms: Size of the audio chunks sent.
        realtime: Pace the chunks at real time (otherwise as fast as accepted).
        trailing_silence_ms: Silence sent after the speech so the detector hears it end.
        barge_in: Speech to send as soon as the first reply audio arrives (then silence);
            the record covers the turn that follows it.
        turns: How many ``TurnComplete`` events to wait for.

    Returns:
        The record of the turn.
    """
    record = TurnRecord()
    step = INPUT_RATE * 2 * chunk_ms // 1000
    silence = bytes(INPUT_RATE * 2 * trailing_silence_ms // 1000)
    fed_at: list[float] = []
    first_fed = anyio.Event()

    async def feed(audio: bytes, after: anyio.Event | None = None) -> None:
        if after is not None:  # never interleave two streams of speech
            await after.wait()
        for start in range(0, len(audio), step):
            await conn.send_audio(audio[start:start + step])
            if realtime:
                await anyio.sleep(chunk_ms / 1000)
            else:
                await anyio.lowlevel.checkpoint()
        fed_at.append(time.perf_counter())
        first_fed.set()

    wanted = turns + (1 if barge_in is not None else 0)
    done = 0
    async with anyio.create_task_group() as tg:
        tg.start_soon(feed, pcm + silence)
        async for event in conn.events():
            record.events.append(event)
            if isinstance(event, AudioOut):
                if record.first_audio_s is None and fed_at:
                    record.first_audio_s = time.perf_counter() - fed_at[0]
                record.reply_pcm += event.data
                if barge_in is not None and not record.interrupted and len(record.reply_pcm) == len(
                    event.data
                ):
                    tg.start_soon(feed, barge_in + silence, first_fed)
            elif isinstance(event, UserTranscript) and event.final:
                record.user_text.append(event.text)
            elif isinstance(event, AssistantTranscript):
                record.reply_text.append(event.text)
            elif isinstance(event, ToolCall):
                record.calls.append(event)
                response = await tools.call(event.name, event.args)
                record.results.append(response)
                await conn.send_tool_result(event.id, event.name, response)
            elif isinstance(event, Interrupted):
                record.interrupted = True
                record.reply_pcm = b""
            elif isinstance(event, TurnComplete):
                done += 1
                record.latency_ms = event.latency_ms
                if done >= wanted or (barge_in is not None and record.interrupted and done >= 1
                                      and len(record.user_text) >= 2):
                    break
        tg.cancel_scope.cancel()
    return record
