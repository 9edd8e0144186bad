"""Test helpers that ship with voicelive.

- :class:`LiveEmulator`: a Gemini Live server on 127.0.0.1 over TLS that the unpatched
  google-genai client talks to; it plays Python scripts and records every client message.
- :class:`ScriptedBackend`: the one fake backend, without sockets: it plays events, answers
  through a :class:`Responder`, and records what the session sent (like httpx's
  ``MockTransport``). Tests and benches use it instead of writing their own.
"""

from voicelive.testing import messages
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.fakes import (
    Await,
    Fail,
    Pause,
    Responder,
    ScriptedBackend,
    ScriptedConnection,
)
from voicelive.testing.script import (
    ActivityEnd,
    AudioBytes,
    AudioStreamEnd,
    Close,
    Received,
    Setup,
    Step,
    TextTurn,
    ToolResponse,
    Trigger,
    close,
    on_activity_end,
    on_audio,
    on_audio_end,
    on_setup,
    on_text,
    on_tool_response,
    then,
)

__all__ = [
    "ActivityEnd",
    "AudioBytes",
    "AudioStreamEnd",
    "Await",
    "Close",
    "Fail",
    "LiveEmulator",
    "Pause",
    "Received",
    "Responder",
    "ScriptedBackend",
    "ScriptedConnection",
    "Setup",
    "Step",
    "TextTurn",
    "ToolResponse",
    "Trigger",
    "close",
    "messages",
    "on_activity_end",
    "on_audio",
    "on_audio_end",
    "on_setup",
    "on_text",
    "on_tool_response",
    "then",
]
