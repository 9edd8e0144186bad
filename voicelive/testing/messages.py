"""The BidiGenerateContent wire format, both directions, as plain dicts.

Server messages are built the way the service writes them: camelCase JSON with base64 payloads.
Client messages are read leniently: snake_case and camelCase field names are both accepted (the
SDK sends ``realtime_input`` and ``tool_response``), keys are normalised to snake_case, and
``data`` fields of blobs are decoded from either base64 alphabet, padded or not.

Every builder returns a fresh ``dict`` that can be put in a :class:`~voicelive.testing.Step`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

__all__ = [
    "ServerMessage",
    "audio",
    "decode_base64",
    "generation_complete",
    "go_away",
    "input_transcript",
    "interrupted",
    "normalize",
    "output_transcript",
    "resumption_update",
    "setup_complete",
    "text",
    "tool_call",
    "tool_call_cancellation",
    "tool_calls",
    "turn_complete",
    "usage",
    "voice_activity",
    "waiting_for_input",
]

ServerMessage = dict[str, Any]
"""One JSON object the emulator sends."""

# Keys whose values belong to the application (tool arguments, schemas): never renamed.
_OPAQUE_KEYS = frozenset(
    {"args", "response", "parameters", "parameters_json_schema", "response_json_schema"}
)
_CAMEL_RE = re.compile(r"(?<!^)(?=[A-Z])")


@lru_cache(maxsize=512)
def _snake(key: str) -> str:
    return _CAMEL_RE.sub("_", key).lower()


def decode_base64(value: str) -> bytes:
    """Decode standard or URL-safe base64, with or without ``=`` padding.

    Args:
        value: The encoded text.

    Raises:
        ValueError: The text is not base64 in either alphabet.
    """
    cleaned = value.strip().replace("-", "+").replace("_", "/")
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"invalid base64 payload: {exc}") from exc


def normalize(message: Any) -> Any:
    """Rename keys to snake_case recursively and decode blob ``data`` to bytes.

    Values under application-owned keys (``args``, ``response``, schemas) are left untouched.

    Args:
        message: A decoded JSON value from the client.

    Returns:
        The same structure with snake_case keys; ``data`` strings next to a ``mime_type`` become
        ``bytes``.
    """
    if isinstance(message, list):
        return [normalize(item) for item in message]
    if not isinstance(message, dict):
        return message
    out: dict[str, Any] = {}
    for raw_key, value in message.items():
        key = _snake(raw_key)
        out[key] = value if key in _OPAQUE_KEYS else normalize(value)
    if "mime_type" in out and isinstance(out.get("data"), str):
        out["data"] = decode_base64(out["data"])
    return out


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def setup_complete(session_id: str | None = None) -> ServerMessage:
    """Build the answer to ``setup``."""
    body: dict[str, Any] = {}
    if session_id is not None:
        body["sessionId"] = session_id
    return {"setupComplete": body}


def _content(**fields: Any) -> ServerMessage:
    return {"serverContent": fields}


def audio(pcm: bytes, *, rate: int = 24000) -> ServerMessage:
    """Build a model turn carrying PCM16 audio in ``inlineData``.

    Args:
        pcm: Raw little-endian 16-bit mono samples.
        rate: Sample rate written into the MIME type.
    """
    part = {"inlineData": {"mimeType": f"audio/pcm;rate={rate}", "data": _b64(pcm)}}
    return _content(modelTurn={"role": "model", "parts": [part]})


def text(value: str) -> ServerMessage:
    """Build a model turn carrying a text part."""
    return _content(modelTurn={"role": "model", "parts": [{"text": value}]})


def input_transcript(value: str, *, finished: bool | None = None) -> ServerMessage:
    """Build a transcript of the user's speech."""
    body: dict[str, Any] = {"text": value}
    if finished is not None:
        body["finished"] = finished
    return _content(inputTranscription=body)


def output_transcript(value: str, *, finished: bool | None = None) -> ServerMessage:
    """Build a transcript of the model's speech."""
    body: dict[str, Any] = {"text": value}
    if finished is not None:
        body["finished"] = finished
    return _content(outputTranscription=body)


def interrupted() -> ServerMessage:
    """Build the message that says the user barged in."""
    return _content(interrupted=True)


def generation_complete() -> ServerMessage:
    """Build the message that says the model finished generating."""
    return _content(generationComplete=True)


def turn_complete(
    reason: str | None = None, *, waiting_for_input: bool | None = None
) -> ServerMessage:
    """Build the message that ends the model's turn.

    Args:
        reason: A ``turnCompleteReason`` (``NEED_MORE_INPUT``, ``MALFORMED_FUNCTION_CALL``,
            ``RESPONSE_REJECTED``, ``PROHIBITED_INPUT_CONTENT`` ...).
        waiting_for_input: Also say the model waits for the user to go on.
    """
    body: dict[str, Any] = {"turnComplete": True}
    if reason is not None:
        body["turnCompleteReason"] = reason
    if waiting_for_input is not None:
        body["waitingForInput"] = waiting_for_input
    return _content(**body)


def waiting_for_input() -> ServerMessage:
    """Build the message that says the model holds back because it expects more user input."""
    return _content(waitingForInput=True)


def voice_activity(start: bool, *, audio_offset_s: float | None = None) -> ServerMessage:
    """Build a ``voiceActivity`` signal: the service heard the user start or stop speaking.

    Args:
        start: ``True`` for ``ACTIVITY_START``, ``False`` for ``ACTIVITY_END``.
        audio_offset_s: Where in the input audio stream it was detected.
    """
    body: dict[str, Any] = {"type": "ACTIVITY_START" if start else "ACTIVITY_END"}
    if audio_offset_s is not None:
        body["audioOffset"] = f"{audio_offset_s:g}s"
    return {"voiceActivity": body}


def tool_call(
    call_id: str, name: str, args: Mapping[str, Any] | None = None
) -> ServerMessage:
    """Build a tool call with one function call."""
    return tool_calls([(call_id, name, args or {})])


def tool_calls(calls: Iterable[tuple[str, str, Mapping[str, Any]]]) -> ServerMessage:
    """Build a tool call with several function calls ``(id, name, args)``."""
    return {
        "toolCall": {
            "functionCalls": [
                {"id": call_id, "name": name, "args": dict(args)} for call_id, name, args in calls
            ]
        }
    }


def tool_call_cancellation(*ids: str) -> ServerMessage:
    """Build the message withdrawing tool calls by id."""
    return {"toolCallCancellation": {"ids": list(ids)}}


def usage(prompt: int = 0, response: int = 0, total: int | None = None) -> ServerMessage:
    """Build a ``usageMetadata`` message with token counts."""
    return {
        "usageMetadata": {
            "promptTokenCount": prompt,
            "responseTokenCount": response,
            "totalTokenCount": prompt + response if total is None else total,
        }
    }


def resumption_update(handle: str, *, resumable: bool = True) -> ServerMessage:
    """Build a ``sessionResumptionUpdate`` with a new handle."""
    return {"sessionResumptionUpdate": {"newHandle": handle, "resumable": resumable}}


def go_away(time_left_s: float) -> ServerMessage:
    """Build a ``goAway`` announcing the connection ends in ``time_left_s`` seconds."""
    return {"goAway": {"timeLeft": f"{time_left_s:g}s"}}
