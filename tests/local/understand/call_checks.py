"""How the understanding tests compare the calls made with the calls a request must end in."""

from __future__ import annotations

from typing import Any

Call = tuple[str, dict[str, Any]]


def same(got: Any, want: Any, *, rel: float = 0.0) -> bool:
    """A value matches: numbers exactly (or within ``rel`` of ``want``), text loosely."""
    if isinstance(want, int | float) and not isinstance(want, bool):
        if got is None:
            return False
        if rel:
            return abs(float(got) - float(want)) < rel * max(1.0, abs(want))
        return float(got) == float(want)
    g, w = str(got).lower(), str(want).lower()
    return w.rstrip("s") in g or g.rstrip("s") in w


def check(result: Any, want: list[Call], *, rel: float = 0.0) -> None:
    """Assert ``result`` made the calls of ``want``, in order, with at least their arguments."""
    got = [(c.tool, c.args) for c in result.calls]
    assert [t for t, _ in got] == [t for t, _ in want], (result.text, got, result.reply)
    for (_, args), (_, expected) in zip(got, want, strict=True):
        for key, value in expected.items():
            assert same(args.get(key), value, rel=rel), (result.text, key, args)


class Conversation:
    """The calls of every turn of a conversation and the last reply (what :func:`check` reads)."""

    def __init__(self, text: str, calls: list[Any], reply: str) -> None:
        self.text, self.calls, self.reply = text, tuple(calls), reply


def talk(understander: Any, turns: list[str]) -> Conversation:
    """Understand ``turns`` in order, each with the dialogue state the one before left."""
    from voicelive.backends.local.understand import DialogueState

    state = DialogueState()
    calls: list[Any] = []
    reply = ""
    for turn in turns:
        result = understander.understand(turn, state)
        state = result.state
        calls += result.calls
        reply = result.reply
    return Conversation(" | ".join(turns), calls, reply)

