"""The dialogue state of one session: what was last done, and what was last asked.

It is plain data with :meth:`DialogueState.to_dict` / :meth:`DialogueState.from_dict`, so a
server can store it and a conversation can resume on another worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DialogueState", "PendingQuestion", "PreviousCall"]

_VERSION = 1


@dataclass(frozen=True, slots=True)
class PreviousCall:
    """A call made in an earlier turn (what an elliptical follow-up leans on).

    Attributes:
        tool: Tool name.
        args: Its arguments.
    """

    tool: str
    args: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PendingQuestion:
    """A question the assistant asked about a call it could not make yet.

    Attributes:
        tool: The tool the user asked for.
        args: The values already known.
        missing: The parameter asked about.
    """

    tool: str
    args: Mapping[str, Any]
    missing: str


@dataclass(frozen=True, slots=True)
class DialogueState:
    """What understanding remembers between the turns of one session.

    Attributes:
        last: The calls of the last turn that made any (oldest first).
        pending: The question asked in the last turn, if any.
        turns: Turns understood so far.
    """

    last: tuple[PreviousCall, ...] = ()
    pending: PendingQuestion | None = None
    turns: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (see :meth:`from_dict`)."""
        return {
            "version": _VERSION,
            "last": [{"tool": c.tool, "args": dict(c.args)} for c in self.last],
            "pending": None if self.pending is None else {
                "tool": self.pending.tool, "args": dict(self.pending.args),
                "missing": self.pending.missing},
            "turns": self.turns,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DialogueState:
        """Rebuild a state from :meth:`to_dict` output; unknown or broken parts are dropped.

        Raises:
            ValueError: ``data`` is not a mapping, or of a newer version.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a dialogue state is a mapping, got {type(data).__name__}")
        version = data.get("version", _VERSION)
        if not isinstance(version, int) or version > _VERSION:
            raise ValueError(f"dialogue state version {version!r} is newer than {_VERSION}")
        last = tuple(PreviousCall(str(c["tool"]), dict(c.get("args") or {}))
                     for c in data.get("last") or () if isinstance(c, Mapping) and "tool" in c)
        raw = data.get("pending")
        pending = None
        if isinstance(raw, Mapping) and {"tool", "missing"} <= set(raw):
            pending = PendingQuestion(str(raw["tool"]), dict(raw.get("args") or {}),
                                      str(raw["missing"]))
        turns = data.get("turns", 0)
        return cls(last=last, pending=pending, turns=turns if isinstance(turns, int) else 0)
