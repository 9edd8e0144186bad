"""Checks of a client's ``setup`` the way the service refuses one: a close code and a reason.

Always (unless the profile is ``SCRIPTED``): the thinking setting must be the family's
(``thinkingBudget`` on 2.5, ``thinkingLevel`` on 3.x), and a resumption handle must be one the
emulator issued. With ``strict=True`` also: every field name must be one the service knows, and
the model must name a Live family.
"""

from __future__ import annotations

import re
from typing import Any

from voicelive.testing.profiles import Profile, is_known_model, model_id
from voicelive.testing.script import Close

__all__ = [
    "GENERATION_CONFIG_FIELDS",
    "HANDLE_REFUSED",
    "SETUP_FIELDS",
    "check_setup",
    "close_reason",
]

SETUP_FIELDS = frozenset(
    {
        "model", "generation_config", "system_instruction", "tools", "realtime_input_config",
        "session_resumption", "context_window_compression", "input_audio_transcription",
        "output_audio_transcription", "proactivity", "explicit_vad_signal", "history_config",
        "avatar_config", "safety_settings", "labels",
    }
)
"""Fields of ``BidiGenerateContentSetup`` (snake_case; camelCase is accepted on the wire)."""

GENERATION_CONFIG_FIELDS = frozenset(
    {
        "candidate_count", "max_output_tokens", "temperature", "top_p", "top_k",
        "presence_penalty", "frequency_penalty", "response_modalities", "speech_config",
        "media_resolution", "thinking_config", "enable_affective_dialog", "seed",
        "stop_sequences", "response_mime_type", "audio_timestamp", "translation_config",
    }
)
"""Fields of ``generationConfig`` the Live service accepts."""

HANDLE_REFUSED = "Session resumption handle is invalid or has expired."
"""Close reason (code 1008) for a resumption handle the emulator never issued."""

_MAX_REASON_BYTES = 123
_CAMEL_RE = re.compile(r"_([a-z])")


def close_reason(text: str) -> str:
    """``text`` cut to what fits in a WebSocket close frame (123 bytes of UTF-8)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= _MAX_REASON_BYTES:
        return text
    return encoded[:_MAX_REASON_BYTES].decode("utf-8", errors="ignore")


def _camel(name: str) -> str:
    return _CAMEL_RE.sub(lambda m: m.group(1).upper(), name)


def _unknown(where: str, body: dict[str, Any], known: frozenset[str]) -> Close | None:
    for key in body:
        if key not in known:
            return Close(
                1007,
                close_reason(
                    f"Invalid JSON payload received. Unknown name \"{_camel(key)}\" at "
                    f"'{where}': Cannot find field."
                ),
            )
    return None


def _thinking(body: dict[str, Any], profile: Profile) -> Close | None:
    generation = body.get("generation_config")
    thinking = generation.get("thinking_config") if isinstance(generation, dict) else None
    if not isinstance(thinking, dict) or profile.thinking_field is None:
        return None
    has_budget = thinking.get("thinking_budget") is not None
    has_level = thinking.get("thinking_level") is not None
    if has_budget and has_level:
        return Close(1007, "thinking_budget and thinking_level cannot both be set.")
    if profile.thinking_field == "thinkingLevel" and has_budget:
        return Close(1007, "thinking_budget is not supported by this model; use thinking_level.")
    if profile.thinking_field == "thinkingBudget" and has_level:
        return Close(1007, "Thinking level is not supported for this model.")
    return None


def check_setup(
    body: dict[str, Any],
    profile: Profile,
    handles: Any,
    *,
    strict: bool = False,
    api_version: str = "v1beta",
) -> Close | None:
    """Return the close that refuses ``setup``, or ``None`` when it is accepted.

    Args:
        body: The normalised ``setup`` body (snake_case keys).
        profile: The connection's profile.
        handles: Something with ``knows(handle) -> bool`` (the emulator's handle book).
        strict: Also check field names and the model name.
        api_version: The API version of the request, for the model error text.
    """
    if strict:
        refused = _unknown("setup", body, SETUP_FIELDS)
        generation = body.get("generation_config")
        if refused is None and isinstance(generation, dict):
            refused = _unknown("setup.generation_config", generation, GENERATION_CONFIG_FIELDS)
        if refused is not None:
            return refused
        model = str(body.get("model") or "")
        if not is_known_model(model):
            name = model if model.startswith(("models/", "projects/")) else f"models/{model}"
            return Close(
                1008,
                close_reason(
                    f"{name} is not found for API version {api_version}, or is not supported "
                    "for bidiGenerateContent. Call ListModels to see the list of available "
                    "models and their supported methods."
                ),
            )
        if not model_id(model):
            return Close(1007, "setup.model is required.")
    if not profile.shapes:
        return None
    refused = _thinking(body, profile)
    if refused is not None:
        return refused
    resumption = body.get("session_resumption")
    handle = resumption.get("handle") if isinstance(resumption, dict) else None
    if handle and not handles.knows(str(handle)):
        return Close(1008, HANDLE_REFUSED)
    return None
