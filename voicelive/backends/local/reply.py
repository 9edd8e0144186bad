"""Reply text of the offline backend: what to say after a tool ran, or when nothing matched.

A tool's response is ``{"output": ...}`` or ``{"error": ...}``. When the output carries a
``summary`` sentence, that is the reply; otherwise the output is rendered as short readable
sentences. Errors become a helpful sentence rather than a stack trace read aloud.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["as_sentence", "help_reply", "render_error", "render_result", "render_value"]

_MAX_ITEMS = 6


def _humanize(key: str) -> str:
    return key.replace("_", " ").strip()


def _number(value: float) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) or (math.isfinite(value) and float(value).is_integer()):
        return str(int(value))
    return f"{value:.1f}"


def render_value(value: Any) -> str:
    """Render one value as words: numbers rounded, lists joined, mappings as ``key value``."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        parts = [f"{_humanize(str(k))} {render_value(v)}"
                 for k, v in list(value.items())[:_MAX_ITEMS]
                 if not isinstance(v, Mapping | list | tuple)]
        return ", ".join(parts) if parts else "some details"
    if isinstance(value, Sequence):
        items = [render_value(v) for v in list(value)[:_MAX_ITEMS]]
        if not items:
            return "none"
        if len(items) == 1:
            return items[0]
        return ", ".join(items[:-1]) + " and " + items[-1]
    return str(value)


def render_result(tool_title: str, response: Mapping[str, Any]) -> str:
    """Turn a tool response into the sentence(s) to speak.

    Args:
        tool_title: Human name of the tool, used when the output says little.
        response: ``{"output": ...}`` or ``{"error": ...}`` as the session sends it.

    Returns:
        Reply text.
    """
    if "error" in response and "output" not in response:
        return render_error(response["error"])
    output = response.get("output", response)
    if isinstance(output, Mapping):
        summary = output.get("summary")
        if isinstance(summary, str) and summary.strip():
            return summary.strip()
        fields = [(k, v) for k, v in output.items()
                  if not isinstance(v, Mapping | list | tuple) and v is not None]
        if not fields:
            return f"Done: {tool_title}."
        sentence = "; ".join(f"{_humanize(str(k))}: {render_value(v)}"
                             for k, v in fields[:_MAX_ITEMS])
        return sentence[0].upper() + sentence[1:] + "."
    if output is None or output == "":
        return f"Done: {tool_title}."
    text = render_value(output)
    return text if text.endswith((".", "!", "?")) else text + "."


_CLASS_PREFIX = re.compile(r"^(?:[A-Z][A-Za-z0-9]*(?:Error|Exception|Warning)\s*:\s*)+")


def render_error(error: Any) -> str:
    """A helpful spoken sentence for a tool error."""
    message = ""
    if isinstance(error, Mapping):
        message = str(error.get("message") or error.get("detail") or "").strip()
        code = str(error.get("code") or error.get("type") or "")
    else:
        message = str(error or "").strip()
        code = ""
    if "timeout" in code.lower():
        return "Sorry, that took too long. Please try again."
    if message:
        first = _CLASS_PREFIX.sub("", message.splitlines()[0]).rstrip(".")  # never say "FooError"
        if len(first) <= 160:
            return f"Sorry, I couldn't do that: {first}."
    return "Sorry, something went wrong with that request. Please try again."


def help_reply(examples: Sequence[str], abilities: Sequence[str]) -> str:
    """What to say when nothing matched: what the assistant can do, with examples.

    Args:
        examples: Example requests (one per tool works well); at most three are used.
        abilities: Short descriptions of what the tools do.

    Returns:
        Reply text.
    """
    if not examples and not abilities:
        return "Sorry, I didn't catch that, and I have no tools to help with right now."
    text = "Sorry, I didn't catch that."
    if abilities:
        text += " I can " + render_value(list(abilities)[:4]) + "."
    if examples:
        quoted = [f"'{e}'" for e in list(examples)[:3]]
        text += " Try saying " + (", ".join(quoted[:-1]) + " or " + quoted[-1]
                                  if len(quoted) > 1 else quoted[0]) + "."
    return text


def as_sentence(text: str) -> str:
    """Write matcher text ("i snacked on some almonds") as a sentence for a transcript."""
    words = " ".join(text.split())
    if not words:
        return ""
    words = words[0].upper() + words[1:]
    words = re.sub(r"\bi\b", "I", words)
    return words if words[-1] in ".?!" else words + "."
