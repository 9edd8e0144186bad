"""The one error tree of voicelive.

Every error the library raises on purpose derives from :class:`VoiceLiveError`. Errors are split
the way h11 splits them: *you* misused the API (``UsageError``), *your data* is wrong
(``AudioFormatError``, ``ToolArgumentError`` ...), or *the other side* broke or closed the
connection (``BackendError`` and its children). Foreign exceptions (google-genai, websockets,
onnxruntime ...) are turned into these at one boundary per integration, never let through.

::

    VoiceLiveError
    ├── UsageError                  API misuse: wrong call order, bad argument
    │   └── ClosedError             an object used after close()
    ├── MissingExtraError           an optional dependency is not installed
    ├── ConfigError                 invalid SessionConfig or settings
    ├── AudioError
    │   ├── AudioFormatError        not PCM16, wrong rate, odd-length chunk, bad WAV header
    │   ├── AudioFileError          unreadable or truncated file
    │   └── AudioDeviceError        microphone/speaker could not be opened or failed
    ├── FrameError                  unreadable image, camera or screen that cannot open
    ├── ToolError
    │   ├── ToolDefinitionError     a function cannot become a tool (raised at decoration)
    │   ├── DuplicateToolError      two tools with one name in a registry
    │   ├── UnknownToolError        a call names no registered tool
    │   ├── ToolArgumentError       arguments fail validation (names the field)
    │   ├── ToolExecutionError      the tool raised
    │   └── ToolTimeoutError        the tool ran past its timeout
    ├── BackendError                the model side failed (carries ``retryable``)
    │   ├── ConnectError            could not connect, or no setupComplete in time
    │   ├── ProtocolError           the peer sent something that breaks the protocol
    │   └── ConnectionClosedError   closed by the peer (carries ``code`` and ``reason``)
    ├── ModelLoadError              a local model could not be found or loaded
    ├── NutritionError              bad nutrition input (unknown food, absurd amount ...)
    └── StoreError                  the shared store failed (database unreachable, pool busy)
"""

from __future__ import annotations

__all__ = [
    "AudioDeviceError",
    "AudioError",
    "AudioFileError",
    "AudioFormatError",
    "BackendError",
    "ClosedError",
    "ConfigError",
    "ConnectError",
    "ConnectionClosedError",
    "DuplicateToolError",
    "FrameError",
    "MissingExtraError",
    "ModelLoadError",
    "NutritionError",
    "ProtocolError",
    "StoreError",
    "ToolArgumentError",
    "ToolDefinitionError",
    "ToolError",
    "ToolExecutionError",
    "ToolTimeoutError",
    "UnknownToolError",
    "UsageError",
    "VoiceLiveError",
]


class VoiceLiveError(Exception):
    """Root of every error voicelive raises on purpose."""


class UsageError(VoiceLiveError):
    """The API was used in a way it does not support."""


class ClosedError(UsageError):
    """An object was used after it was closed."""


class MissingExtraError(VoiceLiveError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.feature = feature
        self.extra = extra
        self.module = module
        super().__init__(
            f"{feature} needs the '{module}' module, which is not installed; "
            f'run: pip install "voicelive[{extra}]"'
        )


class ConfigError(VoiceLiveError, ValueError):
    """A configuration value is invalid."""


class AudioError(VoiceLiveError):
    """Base class of audio errors."""


class AudioFormatError(AudioError, ValueError):
    """Audio data or a file is not in the expected format."""


class AudioFileError(AudioError):
    """An audio file cannot be read or is truncated."""


class AudioDeviceError(AudioError):
    """An audio device could not be opened or failed while running."""


class FrameError(VoiceLiveError):
    """A video frame source failed: unreadable image, camera or screen that cannot open."""


class ToolError(VoiceLiveError):
    """Base class of tool errors."""


class ToolDefinitionError(ToolError, TypeError):
    """A function cannot be turned into a tool; names the function and the parameter."""


class DuplicateToolError(ToolError, ValueError):
    """Two tools with the same name were put in one registry."""


class UnknownToolError(ToolError, LookupError):
    """A tool call named a tool that is not registered."""


class ToolArgumentError(ToolError, ValueError):
    """Arguments of a tool call failed validation."""


class ToolExecutionError(ToolError):
    """A tool raised an exception."""


class ToolTimeoutError(ToolError, TimeoutError):
    """A tool ran past its timeout."""


class BackendError(VoiceLiveError):
    """The model side failed.

    Attributes:
        retryable: Whether reconnecting may succeed.
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class ConnectError(BackendError):
    """Connecting failed, or the server did not complete the setup in time."""


class ProtocolError(BackendError):
    """The peer sent something that breaks the protocol."""


class ConnectionClosedError(BackendError):
    """The peer closed the connection.

    Attributes:
        code: The WebSocket close code (1000, 1007, 1008, 1011 ...).
        reason: The reason text the server sent, possibly empty.
    """

    def __init__(self, code: int, reason: str, *, retryable: bool) -> None:
        super().__init__(f"connection closed with code {code}: {reason or 'no reason'}",
                         retryable=retryable)
        self.code = code
        self.reason = reason


class ModelLoadError(VoiceLiveError):
    """A local model could not be found or loaded."""


class NutritionError(VoiceLiveError, ValueError):
    """Bad nutrition input: unknown food, impossible amount, meal in the wrong state."""


class StoreError(VoiceLiveError):
    """The shared store (SQLite or PostgreSQL) failed: unreachable, busy or a bad URL."""
