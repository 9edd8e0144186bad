"""The offline backend's part of spoken confirmation (see :mod:`voicelive.confirming`).

When the session answers a call with ``status: confirmation_required``, the backend speaks the
question (the response's ``summary``) and routes the next utterance to the session's decision
instead of the intent matcher: it sends the transcript and waits, on the same call id, for the
session's follow-up. A yes brings the tool's real response, spoken as usual; a no brings
``declined`` (spoken: "Okay, I won't do that."); a different request brings ``cancelled`` and
the utterance is then matched as a new request. These helpers read those responses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["FOLLOW_UP_TIMEOUT_S", "asks_confirmation", "moved_on"]

FOLLOW_UP_TIMEOUT_S = 10.0
"""Longest wait for the session's decision on an answer; then the utterance is a new request."""


def _status(response: Mapping[str, Any] | None) -> object:
    output = response.get("output") if isinstance(response, Mapping) else None
    return output.get("status") if isinstance(output, Mapping) else None


def asks_confirmation(response: Mapping[str, Any]) -> bool:
    """Whether a tool response asks the user to confirm the call first."""
    return _status(response) == "confirmation_required"


def moved_on(response: Mapping[str, Any] | None) -> bool:
    """Whether the session's follow-up says the answer was a different request (or none came)."""
    return response is None or _status(response) == "cancelled"
