"""Camera (or screen) frames beside the voice.

Run: ``python examples/camera_context.py [--camera | --screen]`` with ``GEMINI_API_KEY`` set to
show your camera to Gemini Live while you talk through the microphone. Without a flag it sends a
generated test pattern, which is also what the test suite does against LiveEmulator.
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    from voicelive import GeminiBackend
    from voicelive.audio import MicrophoneSource, SpeakerSink

    parser = argparse.ArgumentParser()
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--camera", action="store_true")
    group.add_argument("--screen", action="store_true")
    args = parser.parse_args()
    kind = "camera" if args.camera else "screen" if args.screen else "pattern"
    anyio.run(converse, GeminiBackend(), MicrophoneSource(), SpeakerSink(), frame_source(kind))


if __name__ == "__main__":
    main()
