"""The :class:`Tool` object: a function plus its declaration, validation and run options.

A :class:`Tool` wraps a plain function (sync or async) without changing how it is called: it is
generic over a ``ParamSpec``, so type checkers see the same parameters and return type as the
function. On top of that it carries what the model needs (name, description, JSON schema,
Gemini behaviour) and what the session needs (validation, timeout, how to run it). Tools are
made by :func:`voicelive.tools.tool`.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, ParamSpec, TypeVar

import pydantic

from voicelive.exceptions import ToolArgumentError
from voicelive.tools.context import ToolContext
from voicelive.tools.declaration import ToolDeclaration
from voicelive.tools.schema import ArgumentSpec

__all__ = [
    "DEFAULT_TIMEOUT",
    "Behavior",
    "Scheduling",
    "Tool",
    "ToolSpec",
    "format_location",
    "format_validation",
]

P = ParamSpec("P")
R = TypeVar("R")

Behavior = Literal["blocking", "non_blocking"]
"""How the model waits for a tool: ``blocking`` (the conversation waits for the result) or
``non_blocking`` (the model keeps talking; the result arrives later). Gemini Live only."""

Scheduling = Literal["silent", "when_idle", "interrupt"]
"""When the model hears a non-blocking tool's result: ``silent`` (absorbed, no reply),
``when_idle`` (after the current reply) or ``interrupt`` (at once, cutting the reply)."""

DEFAULT_TIMEOUT = 30.0
"""Seconds a tool may run when ``@tool`` gives no ``timeout``."""


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """The options of one tool, as given to ``@tool`` and normalised.

    Attributes:
        name: Name the model calls the tool by.
        description: What the tool does, as the model reads it.
        timeout: Seconds the tool may run, or ``None`` for no limit.
        behavior: ``blocking`` or ``non_blocking``.
        scheduling: When a non-blocking result is delivered; ``None`` for blocking tools.
        templates: Sentence templates (hassil syntax) for the offline intent matcher.
        thread: Run a sync function in a worker thread (``True``) or inline on the event loop.
        confirm: The session asks the user to confirm each call before it runs.
        confirm_template: The question read back (``{parameter}`` placeholders), or ``None``
            for one made from the tool's name and arguments.
    """

    name: str
    description: str
    timeout: float | None
    behavior: Behavior
    scheduling: Scheduling | None
    templates: tuple[str, ...]
    thread: bool
    confirm: bool = False
    confirm_template: str | None = None


class Tool(Generic[P, R]):
    """A function the model can call, with its declaration and argument validation.

    Create tools with :func:`tool`. Calling a ``Tool`` calls the function directly, with no
    validation, exactly as if it were not decorated.
    """

    __name__: str
    __qualname__: str
    __wrapped__: Callable[P, R]

    def __init__(self, fn: Callable[P, R], spec: ToolSpec, arguments: ArgumentSpec) -> None:
        self._fn = fn
        self._spec = spec
        self._arguments = arguments
        self._validate = arguments.model.model_validate
        self._is_async = _is_async_callable(fn)
        functools.update_wrapper(self, fn)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Call the wrapped function directly."""
        return self._fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Tool {self._spec.name!r} {self._spec.behavior}>"

    @property
    def fn(self) -> Callable[P, R]:
        """The wrapped function."""
        return self._fn

    @property
    def spec(self) -> ToolSpec:
        """All options of the tool as one frozen value."""
        return self._spec

    @property
    def name(self) -> str:
        """Name the model calls the tool by."""
        return self._spec.name

    @property
    def description(self) -> str:
        """Description the model reads."""
        return self._spec.description

    @property
    def timeout(self) -> float | None:
        """Seconds the tool may run, or ``None``."""
        return self._spec.timeout

    @property
    def behavior(self) -> Behavior:
        """``blocking`` (default) or ``non_blocking``."""
        return self._spec.behavior

    @property
    def scheduling(self) -> Scheduling | None:
        """When a non-blocking result reaches the model; ``None`` for blocking tools."""
        return self._spec.scheduling

    @property
    def templates(self) -> tuple[str, ...]:
        """Sentence templates for the offline intent matcher."""
        return self._spec.templates

    @property
    def thread(self) -> bool:
        """Whether a sync function runs in a worker thread."""
        return self._spec.thread

    @property
    def confirm(self) -> bool:
        """Whether each call waits for the user's spoken yes before it runs."""
        return self._spec.confirm

    def confirmation_question(self, args: Mapping[str, Any] | None) -> str | None:
        """The question that reads a call back to the user (``None`` without ``confirm``)."""
        if not self._spec.confirm:
            return None
        from voicelive.tools.confirmation import render_question

        return render_question(self._spec.name, args or {}, self._spec.confirm_template)

    @property
    def is_async(self) -> bool:
        """Whether the wrapped function is a coroutine function."""
        return self._is_async

    @property
    def context_parameter(self) -> str | None:
        """Name of the injected :class:`ToolContext` parameter, if any."""
        return self._arguments.context_param

    @property
    def arguments_model(self) -> type[pydantic.BaseModel]:
        """The generated pydantic model that validates arguments (aliases = parameter names)."""
        return self._arguments.model

    @property
    def parameters_json_schema(self) -> dict[str, Any]:
        """JSON schema of the argument object (a fresh copy, safe to modify)."""
        return copy.deepcopy(self._arguments.json_schema)

    def declaration(self) -> ToolDeclaration:
        """What the model is told about this tool, as plain data.

        Returns:
            A new :class:`~voicelive.tools.declaration.ToolDeclaration`; the Gemini backend
            converts it to ``google.genai`` types
            (:func:`voicelive.backends.gemini.declarations.function_declaration`).
        """
        return ToolDeclaration(
            name=self._spec.name,
            description=self._spec.description,
            parameters=self.parameters_json_schema,
            behavior=self._spec.behavior,
            scheduling=self._spec.scheduling,
        )

    def validate(self, args: Mapping[str, Any] | None) -> dict[str, Any]:
        """Validate and coerce arguments as the model sent them.

        Args:
            args: Arguments by parameter name (``None`` means no arguments).

        Returns:
            Validated values by parameter name, defaults filled in, without the context.

        Raises:
            ToolArgumentError: An argument is missing, unknown, or invalid; the message names
                every bad field.
        """
        try:
            model = self._validate({} if args is None else args)
        except pydantic.ValidationError as exc:
            raise ToolArgumentError(
                f"invalid arguments for tool {self._spec.name!r}: {format_validation(exc)}"
            ) from exc
        values = model.__dict__
        return {param: values[field] for field, param, _ in self._arguments.fields}

    def bind(
        self, values: Mapping[str, Any], context: ToolContext
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """Split validated values into positional and keyword arguments, adding the context.

        Args:
            values: Output of :meth:`validate`.
            context: The context to inject, if the function asks for one.

        Returns:
            ``(args, kwargs)`` ready for ``fn(*args, **kwargs)``.
        """
        positional: list[Any] = []
        keywords: dict[str, Any] = {}
        for param, is_context, positional_only in self._arguments.plan:
            value = context if is_context else values[param]
            if positional_only:
                positional.append(value)
            else:
                keywords[param] = value
        return tuple(positional), keywords

    async def run(
        self, args: Mapping[str, Any] | None, context: ToolContext | None = None
    ) -> Any:
        """Validate ``args``, run the function under its timeout and return its raw result.

        Args:
            args: Arguments as the model sent them.
            context: Context to inject; a default ``ToolContext()`` when ``None``.

        Returns:
            Whatever the function returned (awaited for async functions).

        Raises:
            ToolArgumentError: The arguments are invalid.
            ToolExecutionError: The function raised.
            ToolTimeoutError: The function ran past the timeout.
        """
        from voicelive.tools.dispatch import execute

        return await execute(self, args, context)


def format_validation(exc: pydantic.ValidationError) -> str:
    """Render pydantic errors as ``field: message; field: message``."""
    return "; ".join(
        f"{format_location(err['loc']) or '(arguments)'}: {err['msg']}" for err in exc.errors()
    )


def format_location(loc: Iterable[int | str]) -> str:
    """Render a pydantic error location as ``meal.items[0].name``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _is_async_callable(fn: Callable[..., Any]) -> bool:
    """Whether calling ``fn`` returns a coroutine (functions, partials, async ``__call__``)."""
    target: Any = fn
    while isinstance(target, functools.partial):
        target = target.func
    if inspect.iscoroutinefunction(target):
        return True
    call = getattr(target, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(call)
