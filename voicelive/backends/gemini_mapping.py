"""Pure translations between voicelive and google-genai types (no I/O, no live API).

* :func:`build_live_config` turns a :class:`~voicelive.config.SessionConfig` and the tools'
  function declarations into a ``LiveConnectConfig``.
* :func:`interpret` turns one ``LiveServerMessage`` into voicelive events plus the signals the
  hand-over planner needs (resumption handles, ``goAway``, tool call ids).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from google.genai import types

from voicelive.backends.base import OUTPUT_RATE
from voicelive.backends.gemini_handover import parse_duration
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


@dataclass
class Interpretation:
    """What one server message means.

    Attributes:
        events: Events for the session, in order.
        resumption: ``(handle, resumable)`` from a ``sessionResumptionUpdate``.
        go_away_s: Seconds left announced by ``goAway``.
        tool_call_ids: Ids of the tool calls in the message.
        cancelled_ids: Ids of tool calls the model withdrew.
    """

    events: list[Event] = field(default_factory=list)
    resumption: tuple[str | None, bool] | None = None
    go_away_s: float | None = None
    tool_call_ids: list[str] = field(default_factory=list)
    cancelled_ids: list[str] = field(default_factory=list)


_RATE_RE = re.compile(r"rate=(\d+)")


def _audio_rate(mime_type: str | None) -> int | None:
    """Return the sample rate of a PCM MIME type, or ``None`` if it is not PCM audio."""
    if not mime_type or not mime_type.startswith("audio/pcm"):
        return None
    match = _RATE_RE.search(mime_type)
    return int(match.group(1)) if match else OUTPUT_RATE


def _content_events(content: types.LiveServerContent) -> list[Event]:
    events: list[Event] = []
    if content.input_transcription and content.input_transcription.text:
        events.append(UserTranscript(text=content.input_transcription.text,
                                     final=bool(content.input_transcription.finished)))
    if content.model_turn and content.model_turn.parts:
        for part in content.model_turn.parts:
            blob = part.inline_data
            rate = _audio_rate(blob.mime_type) if blob else None
            if blob is not None and blob.data and rate is not None:
                events.append(AudioOut(data=blob.data, sample_rate=rate))
    if content.output_transcription and content.output_transcription.text:
        events.append(AssistantTranscript(text=content.output_transcription.text,
                                          final=bool(content.output_transcription.finished)))
    if content.interrupted:
        events.append(Interrupted())
    if content.turn_complete:
        events.append(TurnComplete())
    return events


def _args(raw: dict[str, Any] | None) -> dict[str, Any]:
    return dict(raw) if raw else {}


def interpret(message: types.LiveServerMessage) -> Interpretation:
    """Translate one ``LiveServerMessage``.

    ``setupComplete`` and ``generationComplete`` produce no event; text parts are ignored (the
    session asks for audio).
    """
    out = Interpretation()
    if message.server_content is not None:
        out.events.extend(_content_events(message.server_content))
    if message.tool_call is not None:
        for call in message.tool_call.function_calls or []:
            call_id = call.id or ""
            out.tool_call_ids.append(call_id)
            out.events.append(ToolCall(id=call_id, name=call.name or "", args=_args(call.args)))
    if message.tool_call_cancellation is not None:
        out.cancelled_ids = list(message.tool_call_cancellation.ids or [])
        out.events.append(ToolCallCancellation(ids=tuple(out.cancelled_ids)))
    if message.usage_metadata is not None:
        usage = message.usage_metadata
        out.events.append(Usage(prompt_tokens=usage.prompt_token_count or 0,
                                response_tokens=usage.response_token_count or 0,
                                total_tokens=usage.total_token_count or 0))
    if message.session_resumption_update is not None:
        update = message.session_resumption_update
        out.resumption = (update.new_handle, bool(update.resumable))
    if message.go_away is not None:
        out.go_away_s = parse_duration(message.go_away.time_left)
        out.events.append(GoAway(time_left_s=out.go_away_s))
    return out
