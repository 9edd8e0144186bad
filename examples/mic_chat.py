"""Talk through the microphone and hear the answers (extra ``mic``; use headphones).

Run: ``python examples/mic_chat.py``. Ctrl+C ends the conversation. The same ``chat`` function
takes any source and sink, which is how the test suite runs it without sound hardware.
"""

from __future__ import annotations

import contextlib
from typing import Any

import anyio

from voicelive import LiveSession, SessionConfig
from voicelive.cli import make_backend
from voicelive.events import Event, SessionClosed, TurnComplete
from voicelive.nutrition import toolkit


async def chat(source: Any = None, sink: Any = None, *, turns: int | None = None,
               backend: Any = None, tools: Any = None) -> list[Event]:
    """Run a conversation until ``turns`` turns completed (forever when ``None``)."""
    if source is None or sink is None:
        from voicelive.audio import MicrophoneSource, SpeakerSink

        source, sink = MicrophoneSource(), SpeakerSink()
    events: list[Event] = []
    done = 0
    async with LiveSession(backend or make_backend(None), SessionConfig(),
                           source=source, sink=sink, tools=tools or toolkit()) as session:
        async for event in session:
            events.append(event)
            if isinstance(event, TurnComplete):
                done += 1
                print(f"[turn {done}: {event.latency_ms} ms]")
                if turns is not None and done >= turns:
                    break
            elif isinstance(event, SessionClosed):
                break
            else:
                print(event.to_dict())
    return events


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        anyio.run(chat)
