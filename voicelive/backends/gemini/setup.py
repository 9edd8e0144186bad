"""The ``setup`` of a Gemini Live connection, per model family (pure code, no I/O).

* :func:`check_config` refuses settings the model's family does not support, with an error that
  names the setting and what to use instead.
* :func:`build_live_config` turns a :class:`~voicelive.config.SessionConfig` and the tools'
  declarations into the ``LiveConnectConfig`` of one connection.
* :func:`history_content` turns ``SessionConfig.initial_history`` into ``clientContent`` turns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from google.genai import types

from voicelive.backends.gemini.declarations import genai_tool
from voicelive.backends.gemini.families import ModelFamily
from voicelive.config import SessionConfig
from voicelive.exceptions import ConfigError
from voicelive.tools.declaration import ToolDeclaration

__all__ = ["build_live_config", "check_config", "history_content"]

_START: Final = {"high": types.StartSensitivity.START_SENSITIVITY_HIGH,
                 "low": types.StartSensitivity.START_SENSITIVITY_LOW}
_END: Final = {"high": types.EndSensitivity.END_SENSITIVITY_HIGH,
               "low": types.EndSensitivity.END_SENSITIVITY_LOW}
_RESOLUTION: Final = {"low": types.MediaResolution.MEDIA_RESOLUTION_LOW,
                      "medium": types.MediaResolution.MEDIA_RESOLUTION_MEDIUM,
                      "high": types.MediaResolution.MEDIA_RESOLUTION_HIGH}
_LEVEL: Final = {"minimal": types.ThinkingLevel.MINIMAL, "low": types.ThinkingLevel.LOW,
                 "medium": types.ThinkingLevel.MEDIUM, "high": types.ThinkingLevel.HIGH}


def check_config(config: SessionConfig, model: str, family: ModelFamily) -> None:
    """Refuse settings the family cannot honour.

    Raises:
        ConfigError: ``thinking_level`` on a family that takes a budget, or ``thinking_budget``
            on one that takes a level.
    """
    if config.thinking_level is not None and family.thinking != "level":
        raise ConfigError(
            f"thinking_level is not supported by {model!r} ({family.name} models take a "
            "thinking budget): set thinking_budget instead"
        )
    if config.thinking_budget is not None and family.thinking != "budget":
        raise ConfigError(
            f"thinking_budget is not supported by {model!r} ({family.name} models take a "
            "thinking level): set thinking_level to minimal, low, medium or high instead"
        )


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
            if vad.start_sensitivity else None,
            end_of_speech_sensitivity=_END[vad.end_sensitivity] if vad.end_sensitivity else None,
            prefix_padding_ms=vad.prefix_padding_ms,
            silence_duration_ms=vad.silence_ms,
        )
    return types.RealtimeInputConfig(automatic_activity_detection=detection)


def _thinking(config: SessionConfig) -> types.ThinkingConfig | None:
    if config.thinking_level is not None:
        return types.ThinkingConfig(thinking_level=_LEVEL[config.thinking_level])
    if config.thinking_budget is not None:
        return types.ThinkingConfig(thinking_budget=config.thinking_budget)
    return None


def build_live_config(
    config: SessionConfig,
    declarations: Sequence[ToolDeclaration],
    *,
    family: ModelFamily,
    handle: str | None,
) -> types.LiveConnectConfig:
    """Build the ``LiveConnectConfig`` of one connection.

    Args:
        config: The session configuration (checked with :func:`check_config` first).
        declarations: The session's tools.
        family: The model's family.
        handle: Resumption handle to resume with, or ``None`` for a new conversation.

    Returns:
        Audio responses, transcription both ways as configured, activity detection, session
        resumption and sliding-window compression as configured, tools, voice, language and
        thinking; on families with ``history_config``, ``historyConfig`` when a new
        conversation is seeded with initial history.
    """
    seeds = bool(config.initial_history) and handle is None and family.history_config
    return types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        system_instruction=config.instructions,
        speech_config=_speech_config(config),
        tools=[tool] if (tool := genai_tool(declarations, family)) is not None else None,
        input_audio_transcription=types.AudioTranscriptionConfig()
        if config.transcribe_input else None,
        output_audio_transcription=types.AudioTranscriptionConfig()
        if config.transcribe_output else None,
        realtime_input_config=_activity_detection(config),
        session_resumption=types.SessionResumptionConfig(handle=handle)
        if config.resumption else None,
        context_window_compression=types.ContextWindowCompressionConfig(
            sliding_window=types.SlidingWindow()
        ) if config.context_compression else None,
        enable_affective_dialog=True if config.affective_dialog else None,
        proactivity=types.ProactivityConfig(proactive_audio=True)
        if config.proactive_audio else None,
        media_resolution=_RESOLUTION[config.media_resolution]
        if config.media_resolution else None,
        thinking_config=_thinking(config),
        history_config=types.HistoryConfig(initial_history_in_client_content=True)
        if seeds else None,
    )


def history_content(config: SessionConfig) -> list[types.Content | types.ContentDict]:
    """The initial history as ``clientContent`` turns (empty when there is none)."""
    turns: list[types.Content | types.ContentDict] = [
        types.Content(role=turn.role, parts=[types.Part(text=turn.text)])
        for turn in config.initial_history
    ]
    return turns
