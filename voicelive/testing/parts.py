"""Parts per server message, as each model family sends them (plain code, no sockets).

Gemini 2.5 native audio sends one part per ``serverContent`` message; Gemini 3 carries several
(audio and its transcript together). A script writes messages however it likes, and the
emulator's :class:`~voicelive.testing.conversation.Conversation` passes them through
:func:`split_parts` or :func:`merge_parts` per its profile's ``parts_per_message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from voicelive.testing.messages import ServerMessage

__all__ = ["CONTENT_KEYS", "merge_parts", "split_parts"]

CONTENT_KEYS = ("modelTurn", "inputTranscription", "outputTranscription")
"""The ``serverContent`` fields that carry content (the rest are flags)."""


def split_parts(batch: Iterable[ServerMessage]) -> list[ServerMessage]:
    """One part per message, as Gemini 2.5 sends them (flags and extra fields on the last)."""
    out: list[ServerMessage] = []
    for message in batch:
        content = message.get("serverContent") if isinstance(message, dict) else None
        turn = content.get("modelTurn") if isinstance(content, dict) else None
        if not isinstance(content, dict) or not isinstance(
            (turn or {}).get("parts", []), list
        ):
            out.append(message)
            continue
        pieces: list[dict[str, Any]] = []
        if isinstance(turn, dict):
            for part in turn.get("parts") or []:
                pieces.append({"modelTurn": {**turn, "parts": [part]}})
        for key in ("inputTranscription", "outputTranscription"):
            if key in content:
                pieces.append({key: content[key]})
        flags = {k: v for k, v in content.items() if k not in CONTENT_KEYS}
        extra = {k: v for k, v in message.items() if k != "serverContent"}
        if flags or not pieces:
            pieces.append(flags)
        for n, piece in enumerate(pieces):
            last = n == len(pieces) - 1
            out.append({"serverContent": piece, **(extra if last else {})})
    return out

def merge_parts(batch: Iterable[ServerMessage]) -> list[ServerMessage]:
    """Consecutive content messages merged into one, as Gemini 3 sends audio with its text."""
    out: list[ServerMessage] = []
    for message in batch:
        content = message.get("serverContent") if isinstance(message, dict) else None
        last = out[-1] if out else None
        previous = last.get("serverContent") if isinstance(last, dict) else None
        if (
            isinstance(content, dict)
            and isinstance(previous, dict)
            and len(message) == 1
            and len(out[-1]) == 1
            and set(content) <= set(CONTENT_KEYS)
            and set(previous) <= set(CONTENT_KEYS)
            and not (set(content) & set(previous)) - {"modelTurn"}
            and all(isinstance(c.get("modelTurn", {}), dict) for c in (content, previous))
        ):
            merged = dict(previous)
            for key, value in content.items():
                if key == "modelTurn" and "modelTurn" in merged:
                    parts = [*merged["modelTurn"].get("parts", []), *value.get("parts", [])]
                    merged["modelTurn"] = {**merged["modelTurn"], "parts": parts}
                else:
                    merged[key] = value
            out[-1] = {"serverContent": merged}
        else:
            out.append(message)
    return out
