"""The ``@tool`` decorator: check the options, read the docstring, derive the schema."""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec, TypeVar, overload

from voicelive.exceptions import ToolDefinitionError
from voicelive.tools.confirmation import template_fields
from voicelive.tools.core import DEFAULT_TIMEOUT, Behavior, Scheduling, Tool, ToolSpec
from voicelive.tools.docstrings import parse_docstring
from voicelive.tools.schema import build_arguments

__all__ = ["tool"]

P = ParamSpec("P")
R = TypeVar("R")

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$")
_BEHAVIORS: dict[str, Behavior] = {"blocking": "blocking", "non_blocking": "non_blocking"}
_SCHEDULINGS: dict[str, Scheduling] = {
    "silent": "silent", "when_idle": "when_idle", "interrupt": "interrupt"
}
_UNSET: Any = object()


@overload
def tool(fn: Callable[P, R], /) -> Tool[P, R]: ...


@overload
def tool(
    fn: None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    timeout: float | None = ...,
    behavior: Behavior | str | None = None,
    scheduling: Scheduling | str | None = None,
    templates: Iterable[str] = (),
    thread: bool = True,
    confirm: bool | str = False,
) -> Callable[[Callable[P, R]], Tool[P, R]]: ...


def tool(
    fn: Callable[P, R] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
    timeout: float | None = _UNSET,
    behavior: Behavior | str | None = None,
    scheduling: Scheduling | str | None = None,
    templates: Iterable[str] = (),
    thread: bool = True,
    confirm: bool | str = False,
) -> Tool[P, R] | Callable[[Callable[P, R]], Tool[P, R]]:
    """Turn a function into a tool the model can call.

    Use it bare (``@tool``) or with options (``@tool(timeout=5)``). The schema is derived from
    the type hints, the descriptions from the docstring (Google, NumPy or Sphinx style) and
    from ``Field(description=...)``. A parameter typed :class:`ToolContext` is injected.

    Args:
        fn: The function, when used bare.
        name: Name for the model; defaults to the function's ``__name__``.
        description: Description for the model; defaults to the docstring's prose.
        timeout: Seconds the tool may run (default :data:`DEFAULT_TIMEOUT`); ``None`` for none.
        behavior: ``blocking`` (default) or ``non_blocking``; giving a ``scheduling`` alone
            implies ``non_blocking``.
        scheduling: For non-blocking tools, ``silent``, ``when_idle`` (default) or
            ``interrupt``.
        templates: Sentence templates (hassil syntax) for the offline intent matcher.
        thread: For sync functions, run in a worker thread (default) so the session keeps
            flowing; ``False`` runs them inline, which is much cheaper for quick functions.
        confirm: ``True`` (or a question template such as ``"Set your daily target to {kcal}
            kcal?"``): the session never runs a call on the model's word alone; it reads the
            details back as a question and runs the call only after the user says yes.

    Returns:
        The :class:`Tool`, or a decorator making one when options are given.

    Raises:
        ToolDefinitionError: A parameter cannot be expressed (no annotation, ``*args``,
            unsupported type) or an option is invalid.
    """
    def decorate(func: Callable[P, R]) -> Tool[P, R]:
        spec = _make_spec(
            func, name=name, description=description, timeout=timeout, behavior=behavior,
            scheduling=scheduling, templates=templates, thread=thread,
        )
        docs = parse_docstring(inspect.getdoc(func))
        arguments = build_arguments(func, spec.name, docs.params)
        spec = _with_confirm(spec, confirm, arguments.json_schema)
        return Tool(func, spec, arguments)

    if fn is not None:
        return decorate(fn)
    return decorate


def _make_spec(
    func: Callable[..., Any],
    *,
    name: str | None,
    description: str | None,
    timeout: float | None,
    behavior: object,
    scheduling: object,
    templates: Iterable[str],
    thread: bool,
) -> ToolSpec:
    """Check and normalise the options given to ``@tool``."""
    if isinstance(func, Tool):
        raise ToolDefinitionError(f"{func.name!r} is already a tool")
    if not callable(func):
        raise ToolDefinitionError(f"@tool needs a function, got {type(func).__name__}")
    tool_name = name if name is not None else getattr(func, "__name__", "")
    if not isinstance(tool_name, str) or not _NAME.match(tool_name):
        raise ToolDefinitionError(
            f"tool name {tool_name!r} is invalid: use 1-64 letters, digits, '_', '.', ':' or "
            "'-', starting with a letter or '_'"
        )
    if description is None:
        description = parse_docstring(inspect.getdoc(func)).description
    if timeout is _UNSET:
        timeout = DEFAULT_TIMEOUT
    if timeout is not None and not (isinstance(timeout, int | float) and timeout > 0):
        raise ToolDefinitionError(f"tool {tool_name!r}: timeout must be > 0 or None")
    resolved_scheduling = _choose(scheduling, _SCHEDULINGS, "scheduling", tool_name)
    resolved_behavior = _choose(behavior, _BEHAVIORS, "behavior", tool_name)
    if resolved_behavior is None:
        resolved_behavior = "non_blocking" if resolved_scheduling else "blocking"
    if resolved_behavior == "blocking" and resolved_scheduling is not None:
        raise ToolDefinitionError(
            f"tool {tool_name!r}: scheduling applies only to non_blocking tools"
        )
    if resolved_behavior == "non_blocking" and resolved_scheduling is None:
        resolved_scheduling = "when_idle"
    if isinstance(templates, str):
        raise ToolDefinitionError(f"tool {tool_name!r}: templates must be a list of strings")
    template_tuple = tuple(templates)
    if not all(isinstance(t, str) and t.strip() for t in template_tuple):
        raise ToolDefinitionError(f"tool {tool_name!r}: templates must be non-empty strings")
    return ToolSpec(
        name=tool_name,
        description=description,
        timeout=None if timeout is None else float(timeout),
        behavior=resolved_behavior,
        scheduling=resolved_scheduling,
        templates=template_tuple,
        thread=bool(thread),
    )


def _with_confirm(spec: ToolSpec, confirm: object, schema: dict[str, Any]) -> ToolSpec:
    """Check ``confirm`` (a bool or a template naming parameters) and add it to the spec."""
    if confirm is False:
        return spec
    if confirm is True:
        return dataclasses.replace(spec, confirm=True)
    if not isinstance(confirm, str) or not confirm.strip():
        raise ToolDefinitionError(
            f"tool {spec.name!r}: confirm must be True, False or a question template"
        )
    try:
        fields = template_fields(confirm)
    except ValueError as exc:
        raise ToolDefinitionError(f"tool {spec.name!r}: confirm template: {exc}") from exc
    known = set(schema.get("properties", {}))
    unknown = [f for f in fields if f not in known]
    if unknown:
        raise ToolDefinitionError(
            f"tool {spec.name!r}: confirm template names unknown parameter(s) "
            f"{', '.join(unknown)}; known: {', '.join(sorted(known)) or 'none'}"
        )
    return dataclasses.replace(spec, confirm=True, confirm_template=confirm.strip())


_K = TypeVar("_K", bound=str)


def _choose(value: object, allowed: dict[str, _K], what: str, tool_name: str) -> _K | None:
    """Normalise a behaviour or scheduling given as a string or a string enum (google.genai's)."""
    if value is None:
        return None
    enum_value = getattr(value, "value", None)  # google.genai enums, without importing them
    text = enum_value if isinstance(enum_value, str) else value
    key = str(text).strip().lower()
    if key not in allowed:
        raise ToolDefinitionError(
            f"tool {tool_name!r}: {what} must be one of {', '.join(allowed)}; got {value!r}"
        )
    return allowed[key]
