"""Gemini Live model families: what differs between them, in one table.

Live models of one generation behave alike and differently from the other generation, so the
backend asks the table, never the model name. :func:`family_of` picks the row from the name;
an unknown name gets the newest family's behaviour and one warning per name.

========================  ======================  ==========================
                          ``gemini-2.5``          ``gemini-3``
========================  ======================  ==========================
``turnComplete`` after    yes, right after the    no, only once the answer
a ``toolCall``            call                    to the result is complete
typed text mid-turn       ``clientContent``       ``realtimeInput.text``
initial history           ``clientContent``       ``historyConfig`` + one
                          (``turnComplete``       ``clientContent`` before
                          false)                  any realtime input
thinking                  ``thinkingBudget``      ``thinkingLevel``
tool ``behavior`` and     blocking only;          honoured (asynchronous by
``scheduling``            ignored                 default on 3.8)
parts per message         one                     several (audio + text)
voice activity messages   no                      ``voiceActivity``
API version               ``v1beta``              ``v1beta``
on Vertex AI              yes                     yes
========================  ======================  ==========================
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["DEFAULT_MODEL", "FAMILIES", "GEMINI_3", "GEMINI_25", "ModelFamily", "family_of"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL: Final = "gemini-3.8-live"
"""Model used when the session config names none (the stable Live model since Sept 2026)."""

ThinkingControl = Literal["budget", "level"]
TextPath = Literal["client_content", "realtime"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelFamily:
    """How one generation of Live models behaves on the wire.

    Attributes:
        name: Short name (``gemini-2.5``, ``gemini-3``).
        prefixes: Model names starting with one of these belong to the family.
        turn_complete_closes_tool_call: The service sends ``turnComplete`` right after a
            ``toolCall``; that message closes the call, not the user's turn.
        text_input: How typed text travels during the conversation.
        history_config: Initial history needs ``historyConfig`` at setup and one
            ``clientContent`` (``turnComplete: true``) before any realtime input; otherwise it
            is sent as ``clientContent`` with ``turnComplete: false``.
        thinking: ``budget`` (``thinkingBudget`` tokens) or ``level`` (``thinkingLevel``).
        tool_behavior: Tool ``behavior`` and response ``scheduling`` are honoured.
        voice_activity: The service reports ``voiceActivity`` start and end.
        api_version: API version of the WebSocket path.
        vertex: Also served by Vertex AI.
    """

    name: str
    prefixes: tuple[str, ...]
    turn_complete_closes_tool_call: bool
    text_input: TextPath
    history_config: bool
    thinking: ThinkingControl
    tool_behavior: bool
    voice_activity: bool
    api_version: str = "v1beta"
    vertex: bool = True


GEMINI_25: Final = ModelFamily(
    name="gemini-2.5",
    prefixes=("gemini-2.5", "gemini-live-2.5"),
    turn_complete_closes_tool_call=True,
    text_input="client_content",
    history_config=False,
    thinking="budget",
    tool_behavior=False,
    voice_activity=False,
)

GEMINI_3: Final = ModelFamily(
    name="gemini-3",
    prefixes=("gemini-3", "gemini-live-3"),
    turn_complete_closes_tool_call=False,
    text_input="realtime",
    history_config=True,
    thinking="level",
    tool_behavior=True,
    voice_activity=True,
)

FAMILIES: Final = (GEMINI_3, GEMINI_25)
"""Every known family, newest first."""

_warned: set[str] = set()


def _bare(model: str) -> str:
    """``models/x``, ``publishers/google/models/x`` or a full Vertex path -> ``x``."""
    return model.rsplit("/", 1)[-1].strip().lower()


def family_of(model: str) -> ModelFamily:
    """Return the family of a model name.

    Args:
        model: A model name as the config gives it (``gemini-3.8-live``,
            ``models/gemini-2.5-flash-native-audio-preview-09-2025``, a Vertex resource path).

    Returns:
        The matching row of :data:`FAMILIES`; for an unknown name the newest family, with a
        warning logged once per name.
    """
    bare = _bare(model)
    for family in FAMILIES:
        if bare.startswith(family.prefixes):
            return family
    newest = FAMILIES[0]
    if bare not in _warned:
        _warned.add(bare)
        logger.warning("unknown Gemini Live model %r: assuming it behaves like %s models",
                       model, newest.name)
    return newest
