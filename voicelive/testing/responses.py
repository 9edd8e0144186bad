"""Function responses per call id, as the Live API takes them (plain code, no sockets).

The service takes one function response per call. ``FunctionResponse.will_continue`` is the
only way to send more: it "Signals that function call continues, and more responses will be
returned ... Is only applicable to NON_BLOCKING function calls, is ignored otherwise. If set to
false, future responses will not be considered" (google-genai 3.6 ``types.FunctionResponse``;
not supported on Vertex AI). :class:`ResponseBook` keeps that rule for the emulator: a response
for a call that was answered and not kept open is ignored (no script step fires on it) and its
id is listed, so a test sees what the real service would have dropped without a word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["ResponseBook"]


class ResponseBook:
    """Which calls got their function response, and which responses the service would ignore.

    Args:
        behavior_of: The declared ``behavior`` of a tool by name (``BLOCKING`` or
            ``NON_BLOCKING``); ``will_continue`` keeps only non-blocking calls open.

    Attributes:
        ignored: Ids of function responses ignored because their call was already answered.
    """

    def __init__(self, behavior_of: Callable[[str], str]) -> None:
        self._behavior_of = behavior_of
        self._closed: set[str] = set()
        self.ignored: list[str] = []

    def take(self, responses: Iterable[Mapping[str, Any]]) -> list[str]:
        """Account for the function responses of one ``toolResponse``; return the ids taken."""
        taken: list[str] = []
        for response in responses:
            call_id = str(response.get("id"))
            if call_id in self._closed:
                self.ignored.append(call_id)
                continue
            taken.append(call_id)
            name = str(response.get("name") or "")
            stays_open = (bool(response.get("will_continue"))
                          and self._behavior_of(name) == "NON_BLOCKING")
            if not stays_open:
                self._closed.add(call_id)
        return taken
