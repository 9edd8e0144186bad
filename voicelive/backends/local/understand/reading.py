"""One tool's reading of one clause: the values it took and how well it fits (:mod:`.assign`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .catalog import ParamInfo, ToolInfo
from .values import HIGH, MEDIUM, Hit

__all__ = ["Reading"]


@dataclass(eq=False)
class Reading:
    """One tool's reading of one clause.

    Attributes:
        info: The tool.
        args: Values per parameter (not yet validated).
        confidence: Confidence per parameter that has a value.
        hits: The value each parameter took (free text included).
        missing: Required parameters without a value.
        evidence: Evidence that the clause is about this tool (cues and word pairs).
        score: Total score.
        inherited: Parameters taken from the previous call.
        fresh: Values found in the clause itself.
        follows: The reading leans on the previous call ("and dinner too").
        worded: A word of the clause points to the tool (a cue, a word pair, a template, a
            value of its own list), not only a number in its unit ("ten minutes").
        unclear: Values said but not taken (not plausible), per parameter.
        template: Evidence from a template said nearly word for word (2.0 for most words).
        contradicted: A word heard says the opposite of the tool's words ("not planned" for
            a meal eaten as planned): a tool that writes is then not called.
    """

    info: ToolInfo
    args: dict[str, Any] = field(default_factory=dict)
    confidence: dict[str, int] = field(default_factory=dict)
    hits: dict[str, Hit] = field(default_factory=dict)
    missing: list[ParamInfo] = field(default_factory=list)
    evidence: float = 0.0
    score: float = 0.0
    inherited: tuple[str, ...] = ()
    fresh: int = 0
    follows: bool = False
    worded: bool = False
    unclear: dict[str, Hit] = field(default_factory=dict)
    contradicted: bool = False
    template: float = 0.0

    @property
    def surest(self) -> bool:
        """Every required value was found with confidence (enough for a write)."""
        return not self.missing and all(
            self.confidence.get(p.name, HIGH) >= MEDIUM for p in self.info.required)
