"""Tools as Gemini Live sees them: plain declarations to SDK types, results to responses.

* :func:`function_declaration` converts a :class:`~voicelive.tools.ToolDeclaration` for a model
  family. On Gemini 3 function calls are asynchronous unless declared otherwise, so a blocking
  voicelive tool is declared ``BLOCKING`` explicitly and a non-blocking one ``NON_BLOCKING``;
  Gemini 2.5 native audio only runs blocking calls, so no ``behavior`` is sent there.
* :func:`function_response` builds the ``FunctionResponse`` for a result, with the tool's
  ``scheduling`` where the family honours it.
* :func:`informative_response` gives the model a response it can act on: a ``status``, and for
  errors whether a retry can help and why (empty or bare responses make models repeat calls).
* :class:`AnsweredCalls` and :func:`follow_up_text` keep to one function response per call id.
  The Live API considers only the first: ``FunctionResponse.will_continue`` "Signals that
  function call continues, and more responses will be returned ... Is only applicable to
  NON_BLOCKING function calls, is ignored otherwise. If set to false, future responses will
  not be considered ... This field is not supported in Vertex AI" (google-genai 3.6
  ``types.FunctionResponse``; the SDK refuses it on Vertex AI). So a later response for an
  answered call (the result of a call the user confirmed after the session answered
  ``confirmation_required``) reaches the model as a text turn instead, as ADK does for its
  streaming tools' later results.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, Protocol

from google.genai import types

from voicelive.backends.gemini.families import ModelFamily
from voicelive.backends.gemini.schema import to_genai_schema
from voicelive.tools.declaration import ToolDeclaration

__all__ = [
    "MAX_ANSWERED_CALLS",
    "AnsweredCalls",
    "ToolDeclarations",
    "follow_up_text",
    "function_declaration",
    "function_response",
    "genai_tool",
    "informative_response",
]


class ToolDeclarations(Protocol):
    """What the Gemini backend needs from a tool registry."""

    def declarations(self) -> Sequence[ToolDeclaration]:
        """Return the tools' declarations, sent at setup."""
        ...


_SCHEDULING: Final = {
    "silent": types.FunctionResponseScheduling.SILENT,
    "when_idle": types.FunctionResponseScheduling.WHEN_IDLE,
    "interrupt": types.FunctionResponseScheduling.INTERRUPT,
}


def function_declaration(
    declaration: ToolDeclaration,
    family: ModelFamily,
    *,
    style: Literal["json_schema", "openapi"] = "json_schema",
) -> types.FunctionDeclaration:
    """Convert one plain declaration for a model family.

    Args:
        declaration: The tool's declaration.
        family: The model family it is sent to.
        style: ``json_schema`` fills ``parameters_json_schema`` (what Gemini Live takes);
            ``openapi`` fills ``parameters`` with a ``types.Schema`` (OpenAPI subset).

    Returns:
        A new ``FunctionDeclaration``.
    """
    behavior: types.Behavior | None = None
    if family.tool_behavior:
        behavior = (types.Behavior.NON_BLOCKING if declaration.behavior == "non_blocking"
                    else types.Behavior.BLOCKING)
    description = declaration.description or None
    if style == "openapi":
        return types.FunctionDeclaration(
            name=declaration.name, description=description,
            parameters=to_genai_schema(declaration.parameters), behavior=behavior,
        )
    return types.FunctionDeclaration(
        name=declaration.name, description=description,
        parameters_json_schema=dict(declaration.parameters), behavior=behavior,
    )


def genai_tool(
    declarations: Sequence[ToolDeclaration], family: ModelFamily
) -> types.Tool | None:
    """Wrap the converted declarations in one ``types.Tool`` (``None`` when there are none)."""
    if not declarations:
        return None
    return types.Tool(function_declarations=[function_declaration(d, family)
                                             for d in declarations])


def function_response(
    call_id: str,
    name: str,
    response: Mapping[str, Any],
    *,
    declaration: ToolDeclaration | None,
    family: ModelFamily,
) -> types.FunctionResponse:
    """Build the ``FunctionResponse`` that returns a tool's result.

    Args:
        call_id: The call's id.
        name: The tool's name.
        response: The tool's response (``{"output": ...}`` or ``{"error": {...}}``), made
            informative with :func:`informative_response`.
        declaration: The tool's declaration (``None`` for a tool the model made up).
        family: The model family; ``scheduling`` is sent only where it is honoured, and only
            for non-blocking tools.
    """
    scheduling = None
    if (family.tool_behavior and declaration is not None
            and declaration.behavior == "non_blocking" and declaration.scheduling is not None):
        scheduling = _SCHEDULING[declaration.scheduling]
    return types.FunctionResponse(id=call_id, name=name,
                                  response=informative_response(response),
                                  scheduling=scheduling)


# What the model can do about each kind of failure: (retry can help, reason).
_ERRORS: Final[dict[str, tuple[bool, str]]] = {
    "ToolArgumentError": (True, "the arguments were not valid; correct the fields named in "
                                "the message and call again"),
    "UnknownToolError": (False, "there is no tool by that name; do not call it again, use one "
                                "of the declared tools"),
    "ToolTimeoutError": (True, "the tool took too long; calling once more may work, otherwise "
                               "tell the user it is not available right now"),
    "ToolExecutionError": (False, "the tool failed with these arguments; tell the user what "
                                  "went wrong instead of calling it again"),
}


def informative_response(response: Mapping[str, Any]) -> dict[str, Any]:
    """Give a tool response the fields the model acts on.

    Args:
        response: ``{"output": value}`` or ``{"error": {"type": ..., "message": ...}}`` as
            :meth:`voicelive.tools.ToolRegistry.call` returns it.

    Returns:
        Success: ``{"status": "ok", "output": value}`` (a ``None`` output says so in
        ``note``). Error: ``{"status": "error", "error": {...}, "retryable": bool,
        "reason": str}``. A response that already has a ``status`` is returned as a copy.
    """
    if "status" in response:
        return dict(response)
    error = response.get("error")
    if error is None:
        out: dict[str, Any] = {"status": "ok", "output": response.get("output")}
        if out["output"] is None:
            out["note"] = "the tool ran and returned nothing; there is nothing more to report"
        return out
    kind = error.get("type") if isinstance(error, Mapping) else None
    retryable, reason = _ERRORS.get(str(kind), _ERRORS["ToolExecutionError"])
    return {"status": "error", "error": error, "retryable": retryable, "reason": reason}


MAX_ANSWERED_CALLS: Final = 1024
"""Call ids an :class:`AnsweredCalls` remembers; the oldest is forgotten first."""


class AnsweredCalls:
    """Which call ids already got their one function response (bounded).

    Args:
        limit: How many ids to remember (a forgotten id would get a second function response,
            which the service ignores; a conversation has far fewer calls open at once).
    """

    def __init__(self, limit: int = MAX_ANSWERED_CALLS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._limit = limit

    def __contains__(self, call_id: object) -> bool:
        return call_id in self._ids

    def answer(self, call_id: str) -> bool:
        """Record a response for ``call_id``; ``True`` when it is the call's first."""
        if call_id in self._ids:
            return False
        self._ids[call_id] = None
        while len(self._ids) > self._limit:
            self._ids.popitem(last=False)
        return True


def follow_up_text(call_id: str, name: str, response: Mapping[str, Any]) -> str:
    """The text turn that carries a later response for a call that was already answered.

    Args:
        call_id: The call's id.
        name: The tool's name.
        response: The later response (made informative as a function response would be).
    """
    body = json.dumps(informative_response(response), ensure_ascii=False, default=str)
    return f"[the later result of your earlier {name} call, id {call_id}] {body}"
