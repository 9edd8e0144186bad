"""Camera (or screen) frames beside the voice, through Gemini Live.

This example needs a Gemini API key (``GEMINI_API_KEY`` or ``GOOGLE_API_KEY``), a microphone
and a speaker: the offline backend has no vision model, so there is nothing to run offline.
Without a key it says so and exits with status 2.

Run: ``GEMINI_API_KEY=... python examples/camera_context.py [--camera | --screen]`` to show your
camera (or screen) to Gemini Live while you talk. Without a flag it sends a generated test
pattern, which is also what the test suite does, against LiveEmulator instead of Google.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import anyio

from voicelive import LiveSession, SessionConfig
from voicelive.events import Event, SessionClosed, TurnComplete
from voicelive.video import CameraSource, FrameSettings, ScreenSource, TestPatternSource


def frame_source(kind: str, fps: float = 1.0) -> Any:
    settings = FrameSettings(fps=fps, max_side=768)
    if kind == "camera":
        return CameraSource(settings=settings)
    if kind == "screen":
        return ScreenSource(settings=settings)
    return TestPatternSource(640, 360, settings=settings)


async def converse(backend: Any, source: Any, sink: Any, frames: Any) -> list[Event]:
    seen: list[Event] = []
    config = SessionConfig(media_resolution="low",
                           instructions="Describe what you see when asked.")
    async with LiveSession(backend, config, source=source, sink=sink, frames=frames) as session:
        async for event in session:
            seen.append(event)
            print(event.to_dict())
            if isinstance(event, TurnComplete | SessionClosed):
                break
    return seen


KEY_VARIABLES = ("GEMINI_API_KEY", "GOOGLE_API_KEY")


def main() -> None:
    from voicelive import GeminiBackend
    from voicelive.audio import MicrophoneSource, SpeakerSink

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--camera", action="store_true")
    group.add_argument("--screen", action="store_true")
    args = parser.parse_args()
    if not any(os.environ.get(name) for name in KEY_VARIABLES):
        print("camera_context needs a Gemini API key: set GEMINI_API_KEY (the offline backend "
              "has no vision model)", file=sys.stderr)
        raise SystemExit(2)
    kind = "camera" if args.camera else "screen" if args.screen else "pattern"
    anyio.run(converse, GeminiBackend(), MicrophoneSource(), SpeakerSink(), frame_source(kind))


if __name__ == "__main__":
    main()
