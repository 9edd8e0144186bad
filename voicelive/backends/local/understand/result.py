"""What understanding returns: the calls of a turn, or the reply to speak."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..slotcheck import SlotSpan
from .state import DialogueState

__all__ = ["Call", "Understanding"]


@dataclass(frozen=True, slots=True)
class Call:
    """One tool call understood from the utterance.

    Attributes:
        tool: Tool name.
        args: Validated arguments.
        writes: Whether the tool changes something.
        text: Normalised text of the utterance (``spans`` index it).
        spans: Where text values sit in ``text`` (for checking them against the audio).
    """

    tool: str
    args: dict[str, Any]
    writes: bool = False
    text: str = ""
    spans: tuple[SlotSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class Understanding:
    """What one turn asks for.

    Attributes:
        text: The hypothesis understood, as heard.
        calls: Tool calls to make, in order (empty when :attr:`reply` answers the turn).
        reply: What to say when there is no call: a question, or a short "nothing fits".
        kind: ``calls``, ``question``, ``either``, ``near_miss``, ``nothing``, ``cancelled``
            or ``empty``.
        complete: The text is a complete, confident request: calls whose values were all found
            exactly, nothing left hanging ("... and"), no question asked (a turn may end early
            on it).
        state: The dialogue state after this turn.
        score: How well the text was understood (higher is better; for choosing hypotheses).
        tentative: For a question about a value that was said but not understood ("some
            moments"), the call with the word as heard; :meth:`Understander.recheck` may find
            the known value the audio supports (and then the call is made).
    """

    text: str
    calls: tuple[Call, ...] = ()
    reply: str = ""
    kind: str = "empty"
    complete: bool = False
    state: DialogueState = field(default_factory=DialogueState)
    score: float = 0.0
    tentative: Call | None = None
