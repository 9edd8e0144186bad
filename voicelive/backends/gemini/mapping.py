"""Server messages of the Live API to voicelive events (pure code, no I/O).

* :func:`interpret` turns one server message (its JSON object, or a google-genai
  ``LiveServerMessage``) into voicelive events plus the signals the hand-over planner needs
  (resumption handles, ``goAway``, tool call ids). It is the only such mapping: the direct wire
  and the SDK fallback of :mod:`voicelive.backends.gemini.wire` both feed it a dict.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

from google.genai import types

from voicelive.backends.base import OUTPUT_RATE
from voicelive.backends.gemini.handover import parse_duration
from voicelive.backends.gemini.wire import decode_base64
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

__all__ = ["Interpretation", "interpret"]


@dataclass(slots=True)
class Interpretation:
    """What one server message means.

    Attributes:
        events: Events for the session, in order.
        resumption: ``(handle, resumable)`` from a ``sessionResumptionUpdate``.
        go_away_s: Seconds left announced by ``goAway``.
        tool_call_ids: Ids of the tool calls in the message.
        cancelled_ids: Ids of tool calls the model withdrew.
        speech_ended: The service reported the end of the user's speech (``voiceActivity``).
        turn_complete_reason: ``turnCompleteReason`` of the turn, when given.
        waiting_for_input: The service said it waits for the user (``waitingForInput``).
        ignored: Names of the parts of the message that were unknown or unreadable (logged at
            DEBUG and counted by the backend; never their content).
    """

    events: list[Event] = field(default_factory=list)
    resumption: tuple[str | None, bool] | None = None
    go_away_s: float | None = None
    tool_call_ids: list[str] = field(default_factory=list)
    cancelled_ids: list[str] = field(default_factory=list)
    speech_ended: bool = False
    turn_complete_reason: str | None = None
    waiting_for_input: bool = False
    ignored: list[str] = field(default_factory=list)


_RATE_RE = re.compile(r"rate=(\d{1,9})(?!\d)")

MIN_RATE: Final = 8000
"""Lowest reply sample rate accepted; a part outside ``MIN_RATE..MAX_RATE`` is skipped."""
MAX_RATE: Final = 96000
"""Highest reply sample rate accepted."""


@lru_cache(maxsize=32)
def _audio_rate(mime_type: str) -> int | None:
    """Return the sample rate of a PCM MIME type, ``0`` for a bad rate, ``None`` if not PCM."""
    if not mime_type.startswith("audio/pcm"):
        return None
    match = _RATE_RE.search(mime_type)
    if match is None:
        return 0 if "rate=" in mime_type else OUTPUT_RATE
    rate = int(match.group(1))
    return rate if MIN_RATE <= rate <= MAX_RATE else 0


# Top-level messages that carry nothing a session uses (the SDK knows them too).
_SILENT = frozenset({"setupComplete", "setup_complete", "voiceActivityDetectionSignal",
                     "voice_activity_detection_signal"})
_HANDLED = frozenset({
    "voiceActivity", "voice_activity",
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
    if rate == 0:
        out.ignored.append("inlineData.mimeType")  # rate=0, rate=99999999: unplayable
        return
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
    reason = _get(content, "turnCompleteReason", "turn_complete_reason")
    if isinstance(reason, str):
        out.turn_complete_reason = reason
    if _get(content, "waitingForInput", "waiting_for_input") is True:
        out.waiting_for_input = True
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
        # Usage rides on the turnComplete message: report it before the turn ends.
        at = len(out.events) - 1 if out.events and type(out.events[-1]) is TurnComplete \
            else len(out.events)
        out.events.insert(at, Usage(
            prompt_tokens=_int(_get(usage, "promptTokenCount", "prompt_token_count")),
            response_tokens=_int(_get(usage, "responseTokenCount", "response_token_count")),
            total_tokens=_int(_get(usage, "totalTokenCount", "total_token_count")),
        ))
    update = _section(message, "sessionResumptionUpdate", "session_resumption_update", out)
    if update is not None:
        handle = _get(update, "newHandle", "new_handle")
        out.resumption = (handle if isinstance(handle, str) else None,
                          update.get("resumable") is True)
    activity = _section(message, "voiceActivity", "voice_activity", out)
    if activity is not None:
        # On the wire the field is ``type``; the SDK's dump names it ``voice_activity_type``.
        kind = activity.get("type") or _get(activity, "voiceActivityType", "voice_activity_type")
        out.speech_ended = kind == "ACTIVITY_END"
    bye = _section(message, "goAway", "go_away", out)
    if bye is not None:
        left = _get(bye, "timeLeft", "time_left")
        out.go_away_s = parse_duration(left if isinstance(left, str | int | float) else None)
        out.events.append(GoAway(time_left_s=out.go_away_s))
    for key in message:
        if key not in _HANDLED and key not in _SILENT:
            out.ignored.append(key)
    return out
