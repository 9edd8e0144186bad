"""Pure translations between voicelive and the Live API (no I/O).

* :func:`build_live_config` turns a :class:`~voicelive.config.SessionConfig` and the tools'
  function declarations into a ``LiveConnectConfig``.
* :func:`interpret` turns one server message (its JSON object, or a google-genai
  ``LiveServerMessage``) into voicelive events plus the signals the hand-over planner needs
  (resumption handles, ``goAway``, tool call ids). It is the only such mapping: the direct wire
  and the SDK fallback of :mod:`voicelive.backends.gemini_wire` both feed it a dict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from google.genai import types

from voicelive.backends.base import OUTPUT_RATE
from voicelive.backends.gemini_handover import parse_duration
from voicelive.backends.gemini_wire import decode_base64
from voicelive.config import SessionConfig
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    Event,
    GoAway,
    Interrupted,
    ToolCall,
    ToolCallCancellation,
    TurnComplete,
    Usage,
    UserTranscript,
)

__all__ = ["Interpretation", "ToolDeclarations", "build_live_config", "interpret"]


class ToolDeclarations(Protocol):
    """What the Gemini backend needs from a tool registry."""

    def declarations(self) -> Sequence[types.FunctionDeclaration]:
        """Return the function declarations sent at setup."""
        ...

    def response_scheduling(self, name: str) -> types.FunctionResponseScheduling | None:
        """Return the scheduling of a non-blocking tool's response (``None`` otherwise)."""
        ...


_START = {"high": types.StartSensitivity.START_SENSITIVITY_HIGH,
          "low": types.StartSensitivity.START_SENSITIVITY_LOW}
_END = {"high": types.EndSensitivity.END_SENSITIVITY_HIGH,
        "low": types.EndSensitivity.END_SENSITIVITY_LOW}
_RESOLUTION = {"low": types.MediaResolution.MEDIA_RESOLUTION_LOW,
               "medium": types.MediaResolution.MEDIA_RESOLUTION_MEDIUM,
               "high": types.MediaResolution.MEDIA_RESOLUTION_HIGH}


def _speech_config(config: SessionConfig) -> types.SpeechConfig | None:
    if config.voice is None and config.language is None:
        return None
    voice = None
    if config.voice is not None:
        voice = types.VoiceConfig(
            prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name=config.voice)
        )
    return types.SpeechConfig(voice_config=voice, language_code=config.language)


def _activity_detection(config: SessionConfig) -> types.RealtimeInputConfig:
    vad = config.vad
    if vad.manual:
        detection = types.AutomaticActivityDetection(disabled=True)
    else:
        detection = types.AutomaticActivityDetection(
            disabled=False,
            start_of_speech_sensitivity=_START[vad.start_sensitivity]
            if vad.start_sensitivity
            else None,
            end_of_speech_sensitivity=_END[vad.end_sensitivity] if vad.end_sensitivity else None,
            prefix_padding_ms=vad.prefix_padding_ms,
            silence_duration_ms=vad.silence_ms,
        )
    return types.RealtimeInputConfig(automatic_activity_detection=detection)


def build_live_config(
    config: SessionConfig,
    declarations: Sequence[types.FunctionDeclaration],
    *,
    handle: str | None,
) -> types.LiveConnectConfig:
    """Build the ``LiveConnectConfig`` of one connection.

    Args:
        config: The session configuration.
        declarations: Function declarations of the session's tools.
        handle: Resumption handle to resume with, or ``None`` for a new conversation.

    Returns:
        Audio responses, transcription both ways as configured, activity detection, session
        resumption and sliding-window compression as configured, tools, voice and language.
    """
    return types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        system_instruction=config.instructions,
        speech_config=_speech_config(config),
        tools=[types.Tool(function_declarations=list(declarations))] if declarations else None,
        input_audio_transcription=types.AudioTranscriptionConfig()
        if config.transcribe_input
        else None,
        output_audio_transcription=types.AudioTranscriptionConfig()
        if config.transcribe_output
        else None,
        realtime_input_config=_activity_detection(config),
        session_resumption=types.SessionResumptionConfig(handle=handle)
        if config.resumption
        else None,
        context_window_compression=types.ContextWindowCompressionConfig(
            sliding_window=types.SlidingWindow()
        )
        if config.context_compression
        else None,
        enable_affective_dialog=True if config.affective_dialog else None,
        proactivity=types.ProactivityConfig(proactive_audio=True)
        if config.proactive_audio
        else None,
        media_resolution=_RESOLUTION[config.media_resolution]
        if config.media_resolution
        else None,
    )


@dataclass(slots=True)
class Interpretation:
    """What one server message means.

    Attributes:
        events: Events for the session, in order.
        resumption: ``(handle, resumable)`` from a ``sessionResumptionUpdate``.
        go_away_s: Seconds left announced by ``goAway``.
        tool_call_ids: Ids of the tool calls in the message.
        cancelled_ids: Ids of tool calls the model withdrew.
        ignored: Names of the parts of the message that were unknown or unreadable (logged at
            DEBUG and counted by the backend; never their content).
    """

    events: list[Event] = field(default_factory=list)
    resumption: tuple[str | None, bool] | None = None
    go_away_s: float | None = None
    tool_call_ids: list[str] = field(default_factory=list)
    cancelled_ids: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


_RATE_RE = re.compile(r"rate=(\d+)")


@lru_cache(maxsize=32)
def _audio_rate(mime_type: str) -> int | None:
    """Return the sample rate of a PCM MIME type, or ``None`` if it is not PCM audio."""
    if not mime_type.startswith("audio/pcm"):
        return None
    match = _RATE_RE.search(mime_type)
    return int(match.group(1)) if match else OUTPUT_RATE


# Top-level messages that carry nothing a session uses (the SDK knows them too).
_SILENT = frozenset({"setupComplete", "setup_complete", "voiceActivityDetectionSignal",
                     "voice_activity_detection_signal", "voiceActivity", "voice_activity"})
_HANDLED = frozenset({
    "serverContent", "server_content", "toolCall", "tool_call", "toolCallCancellation",
    "tool_call_cancellation", "usageMetadata", "usage_metadata", "sessionResumptionUpdate",
    "session_resumption_update", "goAway", "go_away",
})


def _get(obj: Mapping[str, Any], camel: str, snake: str) -> Any:
    """A field by its JSON name or its proto name, as the SDK accepts both."""
    value = obj.get(camel)
    return obj.get(snake) if value is None else value


def _section(
    message: Mapping[str, Any], camel: str, snake: str, out: Interpretation
) -> Mapping[str, Any] | None:
    """A sub-object of the message; a value that is not an object is recorded as ignored."""
    value = _get(message, camel, snake)
    if value is None or isinstance(value, Mapping):
        return value
    out.ignored.append(camel)
    return None


def _text(obj: Any) -> tuple[str, bool] | None:
    """``(text, finished)`` of a transcription object when it has non-empty text."""
    if not isinstance(obj, Mapping):
        return None
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return None
    return text, obj.get("finished") is True


def _audio_part(part: Any, out: Interpretation) -> None:
    if not isinstance(part, Mapping):
        out.ignored.append("modelTurn.parts")
        return
    blob = _get(part, "inlineData", "inline_data")
    if blob is None:
        return  # text, code or thought parts: the session asks for audio
    if not isinstance(blob, Mapping):
        out.ignored.append("inlineData")
        return
    mime = _get(blob, "mimeType", "mime_type")
    rate = _audio_rate(mime) if isinstance(mime, str) else None
    data = blob.get("data")
    if rate is None or not data:
        return
    if isinstance(data, str):
        try:
            data = decode_base64(data)
        except ValueError:
            out.ignored.append("inlineData.data")
            return
    elif not isinstance(data, bytes):
        out.ignored.append("inlineData.data")
        return
    out.events.append(AudioOut(data=data, sample_rate=rate))


def _content_events(content: Mapping[str, Any], out: Interpretation) -> None:
    events = out.events
    heard = _text(_get(content, "inputTranscription", "input_transcription"))
    if heard is not None:
        events.append(UserTranscript(text=heard[0], final=heard[1]))
    turn = _get(content, "modelTurn", "model_turn")
    if isinstance(turn, Mapping):
        parts = turn.get("parts")
        if isinstance(parts, list):
            for part in parts:
                _audio_part(part, out)
        elif parts is not None:
            out.ignored.append("modelTurn.parts")
    elif turn is not None:
        out.ignored.append("modelTurn")
    said = _text(_get(content, "outputTranscription", "output_transcription"))
    if said is not None:
        events.append(AssistantTranscript(text=said[0], final=said[1]))
    if content.get("interrupted") is True:
        events.append(Interrupted())
    if _get(content, "turnComplete", "turn_complete") is True:
        events.append(TurnComplete())


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _tool_calls(call: Mapping[str, Any], out: Interpretation) -> None:
    calls = _get(call, "functionCalls", "function_calls")
    if calls is None:
        return
    if not isinstance(calls, list):
        out.ignored.append("toolCall.functionCalls")
        return
    for item in calls:
        if not isinstance(item, Mapping):
            out.ignored.append("toolCall.functionCalls")
            continue
        call_id = _str(item.get("id"))
        args = item.get("args")
        out.tool_call_ids.append(call_id)
        out.events.append(ToolCall(id=call_id, name=_str(item.get("name")),
                                   args=dict(args) if isinstance(args, Mapping) else {}))


def interpret(message: Mapping[str, Any] | types.LiveServerMessage) -> Interpretation:
    """Translate one server message: the only mapping from the Live API to voicelive events.

    Args:
        message: The message's JSON object as the service sends it (camelCase field names and
            base64 ``data``), or with proto field names (snake_case) and raw ``bytes``, as a
            google-genai ``LiveServerMessage`` dumps; a ``LiveServerMessage`` is dumped first.
            Both spellings are read at every level, as google-genai reads them.

    Returns:
        Events and hand-over signals. ``setupComplete``, ``generationComplete`` and voice
        activity messages produce no event; text parts are skipped (the session asks for
        audio). Unknown top-level fields and parts of the wrong shape are listed in
        :attr:`Interpretation.ignored` instead of raising.
    """
    if isinstance(message, types.LiveServerMessage):
        message = message.model_dump(exclude_none=True)
    out = Interpretation()
    content = _section(message, "serverContent", "server_content", out)
    if content is not None:
        _content_events(content, out)
    call = _section(message, "toolCall", "tool_call", out)
    if call is not None:
        _tool_calls(call, out)
    cancel = _section(message, "toolCallCancellation", "tool_call_cancellation", out)
    if cancel is not None:
        ids = cancel.get("ids")
        out.cancelled_ids = [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []
        out.events.append(ToolCallCancellation(ids=tuple(out.cancelled_ids)))
    usage = _section(message, "usageMetadata", "usage_metadata", out)
    if usage is not None:
        out.events.append(Usage(
            prompt_tokens=_int(_get(usage, "promptTokenCount", "prompt_token_count")),
            response_tokens=_int(_get(usage, "responseTokenCount", "response_token_count")),
            total_tokens=_int(_get(usage, "totalTokenCount", "total_token_count")),
        ))
    update = _section(message, "sessionResumptionUpdate", "session_resumption_update", out)
    if update is not None:
        handle = _get(update, "newHandle", "new_handle")
        out.resumption = (handle if isinstance(handle, str) else None,
                          update.get("resumable") is True)
    bye = _section(message, "goAway", "go_away", out)
    if bye is not None:
        left = _get(bye, "timeLeft", "time_left")
        out.go_away_s = parse_duration(left if isinstance(left, str | int | float) else None)
        out.events.append(GoAway(time_left_s=out.go_away_s))
    for key in message:
        if key not in _HANDLED and key not in _SILENT:
            out.ignored.append(key)
    return out
