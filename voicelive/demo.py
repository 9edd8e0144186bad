"""``voicelive demo``: one whole offline turn, spoken by Piper and answered through a LiveSession.

The question is synthesised with the offline backend's voice, streamed at real-time pace (as
from a microphone, so the latency printed is the one a person would notice) into a
:class:`~voicelive.LiveSession` on the :class:`~voicelive.LocalBackend` with the nutrition
tools on a temporary database, and the reply audio is written to a WAV file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio

from voicelive.audio import PCM16_16K, PCM16_24K, MemorySink, WavSource, write_wav
from voicelive.events import (
    AssistantTranscript,
    Event,
    ToolCall,
    ToolResult,
    TurnComplete,
    UserTranscript,
)

__all__ = ["DEMO_QUESTION", "DemoResult", "run_demo"]

DEMO_QUESTION = "I went running for thirty minutes this morning."


@dataclass(frozen=True)
class DemoResult:
    """What ``voicelive demo`` shows.

    Attributes:
        question: The sentence spoken as the user.
        transcript: What the recogniser heard.
        tool_call: Name and arguments of the tool called, if any.
        tool_result: The tool's result (its output, or its error).
        reply: What the assistant said.
        latency_ms: End of user speech to first reply audio.
        out_path: Where the reply audio was written.
    """

    question: str
    transcript: str
    tool_call: dict[str, Any] | None
    tool_result: Any
    reply: str
    latency_ms: float | None
    out_path: Path


def run_demo(
    out_path: str | Path = "reply.wav",
    *,
    question: str | None = None,
    tools: Any = None,
    progress: Callable[[str], None] | None = None,
    echo: Callable[[str], None] | None = print,
) -> DemoResult:
    """Speak ``question`` with Piper, answer it offline in a LiveSession, save the reply.

    Args:
        out_path: WAV file for the reply audio (24 kHz).
        question: What the synthetic user says (a request to log a run when ``None``).
        tools: Tool registry; the nutrition toolkit (in a temporary database) by default.
        progress: Model-loading progress hook.
        echo: Called with each line to print; ``None`` prints nothing.

    Returns:
        The turn's transcript, tool call, result, reply and latency.
    """
    from voicelive.backends.local import LocalBackend
    from voicelive.testing.speech import Voice, join_turns, speak

    question = question or DEMO_QUESTION
    say = echo or (lambda line: None)
    out = Path(out_path)
    backend = LocalBackend(progress=progress)
    models = backend.load()
    speech = join_turns([speak(question, Voice("piper"), models.synthesizer)], lead_s=1.0)
    with tempfile.TemporaryDirectory(prefix="voicelive-demo-") as tmp:
        if tools is None:
            from voicelive.nutrition import toolkit

            tools = toolkit(db_path=Path(tmp) / "demo.sqlite3")
        wav = Path(tmp) / "question.wav"
        write_wav(wav, speech, PCM16_16K)
        say(f"user (spoken by Piper): {question}")
        sink = MemorySink(PCM16_24K)
        events = anyio.run(_converse, backend, wav, sink, tools)
    write_wav(out, sink.data, PCM16_24K)
    result = _result(question, events, out)
    say(f"heard: {result.transcript}")
    if result.tool_call:
        say(f"tool call: {result.tool_call['name']}({result.tool_call['args']})")
        say(f"tool result: {result.tool_result}")
    say(f"assistant: {result.reply}")
    if result.latency_ms is not None:
        say(f"latency (end of speech to first reply audio): {result.latency_ms:.0f} ms")
    say(f"reply audio written to {out}")
    return result


async def _converse(backend: Any, wav: Path, sink: MemorySink, tools: Any) -> list[Event]:
    from voicelive.config import SessionConfig
    from voicelive.conversation import Conversation, converse
    from voicelive.session import LiveSession

    config = SessionConfig(user_id="demo")
    conversation = Conversation(WavSource(wav, realtime=True), sink,
                                hold_after_ms=config.vad.silence_ms + 300,
                                wait_for_playback=False)
    async with LiveSession(backend, config, source=conversation, sink=conversation.sink,
                           tools=tools) as session:
        return await converse(session, conversation)


def _result(question: str, events: list[Event], out: Path) -> DemoResult:
    call = next((e for e in events if isinstance(e, ToolCall)), None)
    result = next((e for e in events if isinstance(e, ToolResult)), None)
    done = [e for e in events if isinstance(e, TurnComplete)]
    return DemoResult(
        question=question,
        transcript=" ".join(e.text for e in events if isinstance(e, UserTranscript) and e.final),
        tool_call={"name": call.name, "args": dict(call.args)} if call else None,
        tool_result=(result.result if result.ok else result.error) if result else None,
        reply=" ".join(e.text for e in events if isinstance(e, AssistantTranscript) and e.final),
        latency_ms=done[-1].latency_ms if done else None,
        out_path=out,
    )
