"""File-to-file conversation: a WAV question in, a WAV answer out, events printed.

Run: ``python examples/file_conversation.py question.wav reply.wav`` (offline by default; with
``GEMINI_API_KEY`` set it uses Gemini Live). Any PCM16 WAV works: the session resamples to
16 kHz mono on the way in and to the sink's rate on the way out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import anyio

from voicelive import PCM16_24K, LiveSession, SessionConfig, WavSink, WavSource
from voicelive.cli import make_backend
from voicelive.events import Event, TurnComplete
from voicelive.nutrition import toolkit


async def converse(question: Path, reply: Path, *, db_path: Path | None = None) -> list[Event]:
    """Play ``question`` as the user's speech; write the reply; return the events."""
    events: list[Event] = []
    backend = make_backend(None)
    async with LiveSession(
        backend, SessionConfig(user_id="example"), source=WavSource(question),
        sink=WavSink(reply, PCM16_24K), tools=toolkit(db_path=db_path),
    ) as session:
        async for event in session:
            events.append(event)
            print(event.to_dict())
            if isinstance(event, TurnComplete):
                break
    return events


if __name__ == "__main__":
    anyio.run(converse, Path(sys.argv[1]), Path(sys.argv[2]))
