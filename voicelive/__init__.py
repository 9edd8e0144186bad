"""voicelive: real-time voice assistants with tools, barge-in and video.

Importing the package has no side effects and loads no model or network client; the backends
are imported on first use of their names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from voicelive.audio import (
    PCM16_16K,
    PCM16_24K,
    AudioFormat,
    AudioSink,
    AudioSource,
    MemorySink,
    MemorySource,
    WavSink,
    WavSource,
)
from voicelive.config import HistoryTurn, SessionConfig, VadConfig
from voicelive.events import (
    AssistantTranscript,
    Event,
    GoAway,
    Interrupted,
    Resumed,
    SessionClosed,
    SessionError,
    SessionStarted,
    ToolCall,
    ToolCancelled,
    ToolConfirmation,
    ToolResult,
    TurnComplete,
    Usage,
    UserTranscript,
)
from voicelive.exceptions import (
    AudioDeviceError,
    AudioError,
    AudioFileError,
    AudioFormatError,
    BackendError,
    ClosedError,
    ConfigError,
    ConnectError,
    ConnectionClosedError,
    DuplicateToolError,
    FrameError,
    MissingExtraError,
    ModelLoadError,
    NutritionError,
    ProtocolError,
    ToolArgumentError,
    ToolDefinitionError,
    ToolError,
    ToolExecutionError,
    ToolTimeoutError,
    UnknownToolError,
    UsageError,
    VoiceLiveError,
)
from voicelive.session import LiveSession, SessionStats
from voicelive.tools import ToolContext, ToolRegistry, tool
from voicelive.video import FrameSource

if TYPE_CHECKING:
    from voicelive.backends.gemini import GeminiBackend
    from voicelive.backends.local import LocalBackend

__version__ = "0.1.0"

_LAZY = {
    "GeminiBackend": "voicelive.backends.gemini",
    "LocalBackend": "voicelive.backends.local",
}

__all__ = [
    "PCM16_16K",
    "PCM16_24K",
    "AssistantTranscript",
    "AudioDeviceError",
    "AudioError",
    "AudioFileError",
    "AudioFormat",
    "AudioFormatError",
    "AudioSink",
    "AudioSource",
    "BackendError",
    "ClosedError",
    "ConfigError",
    "ConnectError",
    "ConnectionClosedError",
    "DuplicateToolError",
    "Event",
    "FrameError",
    "FrameSource",
    "GeminiBackend",
    "GoAway",
    "HistoryTurn",
    "Interrupted",
    "LiveSession",
    "LocalBackend",
    "MemorySink",
    "MemorySource",
    "MissingExtraError",
    "ModelLoadError",
    "NutritionError",
    "ProtocolError",
    "Resumed",
    "SessionClosed",
    "SessionConfig",
    "SessionError",
    "SessionStarted",
    "SessionStats",
    "ToolArgumentError",
    "ToolCall",
    "ToolCancelled",
    "ToolConfirmation",
    "ToolContext",
    "ToolDefinitionError",
    "ToolError",
    "ToolExecutionError",
    "ToolRegistry",
    "ToolResult",
    "ToolTimeoutError",
    "TurnComplete",
    "UnknownToolError",
    "Usage",
    "UsageError",
    "UserTranscript",
    "VadConfig",
    "VoiceLiveError",
    "WavSink",
    "WavSource",
    "__version__",
    "tool",
]


def __getattr__(name: str) -> Any:
    """Import the backends on first use so ``import voicelive`` stays light."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'voicelive' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
