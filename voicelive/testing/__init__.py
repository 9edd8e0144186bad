"""Test helpers that ship with voicelive.

- :class:`LiveEmulator`: a Gemini Live server on 127.0.0.1 over TLS that the unpatched
  google-genai client talks to; it plays Python scripts and records every client message.
- :class:`ScriptedBackend`: the one fake backend, without sockets: it plays events, answers
  through a :class:`Responder`, and records what the session sent (like httpx's
  ``MockTransport``). Tests and benches use it instead of writing their own.
- Profiles (:mod:`voicelive.testing.profiles`): what each Live model family does on the wire;
  the emulator follows the one the client's model names, or ``LiveEmulator(profile=...)``.
"""

from voicelive.testing import messages
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.fakes import (
    Await,
    Fail,
    IgnoringConnection,
    Pause,
    Responder,
    ScriptedBackend,
    ScriptedConnection,
)
from voicelive.testing.profiles import LIVE_3, NATIVE_AUDIO_25, PROFILES, SCRIPTED, Profile
from voicelive.testing.recording import EmulatorClose
from voicelive.testing.script import (
    ActivityEnd,
    AudioBytes,
    AudioStreamEnd,
    Close,
    Elapsed,
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
    wait,
)

__all__ = [
    "LIVE_3",
    "NATIVE_AUDIO_25",
    "PROFILES",
    "SCRIPTED",
    "ActivityEnd",
    "AudioBytes",
    "AudioStreamEnd",
    "Await",
    "Close",
    "Elapsed",
    "EmulatorClose",
    "Fail",
    "IgnoringConnection",
    "LiveEmulator",
    "Pause",
    "Profile",
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
    "wait",
]
