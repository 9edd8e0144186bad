"""Drive whole turns through a backend connection without a session, and the offline demo.

:func:`run_turn` plays the session's part for one spoken turn: it streams the user's audio, runs
the tools the backend asks for and returns what happened. The tests, the benchmark and
:func:`run_demo` (behind ``voicelive demo``) use it.
"""

from __future__ import annotations

import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import numpy as np

from voicelive.backends.base import INPUT_RATE, OUTPUT_RATE, BackendConnection
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    Event,
    Interrupted,
    ToolCall,
    TurnComplete,
    UserTranscript,
)

__all__ = ["DemoResult", "TurnRecord", "run_demo", "run_turn"]

DEMO_QUESTION = "I went running for thirty minutes this morning."


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


@dataclass(frozen=True)
class DemoResult:
    """What ``voicelive demo`` shows.

    Attributes:
        question: The sentence spoken as the user.
        transcript: What the recogniser heard.
        tool_call: Name and arguments of the tool called, if any.
        tool_result: The tool's response.
        reply: What the assistant said.
        latency_ms: End of user speech to first reply audio.
        out_path: Where the reply audio was written.
    """

    question: str
    transcript: str
    tool_call: dict[str, Any] | None
    tool_result: dict[str, Any] | None
    reply: str
    latency_ms: float | None
    out_path: Path


def _to_16k_pcm(audio: np.ndarray[Any, Any], rate: int) -> bytes:
    from .tts import resample, to_pcm16

    return to_pcm16(resample(audio.astype(np.float32), rate, INPUT_RATE))


def write_wav(path: Path, pcm: bytes, rate: int = OUTPUT_RATE) -> None:
    """Write PCM16 mono ``pcm`` to a WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)


def run_demo(
    out_path: str | Path = "reply.wav",
    *,
    question: str | None = None,
    tools: Any = None,
    progress: Callable[[str], None] | None = None,
    echo: Callable[[str], None] | None = print,
) -> DemoResult:
    """Speak ``question`` with Piper, answer it offline with the nutrition tools, save the reply.

    Args:
        out_path: WAV file for the reply audio (24 kHz).
        question: What the synthetic user says (a request to log a run when ``None``).
        tools: Tool registry; the nutrition toolkit (in a temporary database) by default.
        progress: Model-loading progress hook.
        echo: Called with each line to print; ``None`` prints nothing.

    Returns:
        The turn's transcript, tool call, result, reply and latency.
    """
    import tempfile

    from voicelive.config import SessionConfig

    from .backend import LocalBackend

    question = question or DEMO_QUESTION
    say = echo or (lambda line: None)
    backend = LocalBackend(progress=progress)
    models = backend.load()
    question_pcm = _to_16k_pcm(models.synthesizer.synthesize_float(question),
                               models.synthesizer.voice_rate)
    out = Path(out_path)

    async def main(registry: Any) -> TurnRecord:
        async with backend.connect(SessionConfig(), registry) as conn:
            # Real-time pace, as from a microphone, so the latency printed is the one a
            # person would notice (streamed faster, recognition cannot start early).
            return await run_turn(conn, registry, bytes(INPUT_RATE) + question_pcm,
                                  realtime=True)

    with tempfile.TemporaryDirectory() as tmp:
        if tools is None:
            from voicelive.nutrition import toolkit

            tools = toolkit(db_path=Path(tmp) / "demo.sqlite3")
        say(f"user (spoken by Piper): {question}")
        record = anyio.run(main, tools)
    write_wav(out, record.reply_pcm)
    call = record.calls[0] if record.calls else None
    result = DemoResult(
        question=question,
        transcript=" ".join(record.user_text),
        tool_call={"name": call.name, "args": call.args} if call else None,
        tool_result=record.results[0] if record.results else None,
        reply=" ".join(record.reply_text),
        latency_ms=record.latency_ms,
        out_path=out,
    )
    say(f"heard: {result.transcript}")
    if result.tool_call:
        say(f"tool call: {result.tool_call['name']}({result.tool_call['args']})")
        say(f"tool result: {result.tool_result}")
    say(f"assistant: {result.reply}")
    if result.latency_ms is not None:
        say(f"latency (end of speech to first reply audio): {result.latency_ms:.0f} ms")
    say(f"reply audio written to {out}")
    return result
