"""What the model is told about a tool, as plain data (no SDK types).

A :class:`ToolDeclaration` is the same for every backend: the offline backend reads it to
understand requests, the Gemini backend converts it to ``google.genai`` types in
:mod:`voicelive.backends.gemini.declarations`. Nothing in :mod:`voicelive.tools` imports
google-genai, so ``import voicelive`` does not either.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from voicelive.tools.core import Behavior, Scheduling

__all__ = ["ToolDeclaration"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolDeclaration:
    """One tool as the model sees it.

    Attributes:
        name: Name the model calls the tool by.
        description: What the tool does (may be empty).
        parameters: JSON schema of the argument object (a private copy).
        behavior: ``blocking`` (the conversation waits) or ``non_blocking``.
        scheduling: When the model hears a non-blocking result (``silent``, ``when_idle``,
            ``interrupt``); ``None`` for blocking tools.
    """

    name: str
    description: str
    parameters: dict[str, Any] = field(hash=False)
    behavior: Behavior = "blocking"
    scheduling: Scheduling | None = None

    def to_json(self) -> dict[str, Any]:
        """Render the declaration with the Live API's camelCase keys.

        Returns:
            ``name``, ``description`` (when not empty), ``parametersJsonSchema``, and
            ``behavior: "NON_BLOCKING"`` for non-blocking tools; what ``voicelive tools
            --json`` prints.
        """
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        out["parametersJsonSchema"] = copy.deepcopy(self.parameters)
        if self.behavior == "non_blocking":
            out["behavior"] = "NON_BLOCKING"
        return out
