"""Run one tool call safely and turn its outcome into a JSON-safe response.

:func:`execute` validates, injects the context, runs the function (awaited, in a worker thread,
or inline) under the tool's timeout, and raises :class:`~voicelive.exceptions.ToolError`
subclasses on failure. :func:`output_payload` and :func:`error_payload` build what goes back to
the model: ``{"output": ...}`` or ``{"error": {"type": ..., "message": ...}}``.

Cancellation is never swallowed: when the caller's scope is cancelled (the model withdrew the
call, the session closes), the cancellation propagates and no response is produced. A sync
function running in a worker thread cannot be stopped; it is abandoned and finishes on its own.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import anyio
import anyio.to_thread
import pydantic
import pydantic_core

from voicelive.exceptions import (
    ToolArgumentError,
    ToolError,
    ToolExecutionError,
    ToolTimeoutError,
)
from voicelive.tools.context import ToolContext

if TYPE_CHECKING:
    from voicelive.tools.core import Tool

__all__ = ["error_payload", "execute", "human_text", "output_payload"]

_log = logging.getLogger("voicelive.tools")


async def execute(
    tool: Tool[..., Any], args: Mapping[str, Any] | None, context: ToolContext | None
) -> Any:
    """Validate ``args`` and run ``tool`` under its timeout.

    Args:
        tool: The tool to run.
        args: Arguments as the model sent them.
        context: Context to inject; a fresh default one when ``None``.

    Returns:
        The function's raw return value.

    Raises:
        ToolArgumentError: The arguments are invalid.
        ToolExecutionError: The function raised (the original is the ``__cause__``).
        ToolTimeoutError: The function ran past the tool's timeout.
    """
    values = tool.validate(args)
    if context is None:
        context = ToolContext()
    call_args, call_kwargs = tool.bind(values, context)
    timeout = tool.timeout
    if timeout is None:
        return await _invoke(tool, context, call_args, call_kwargs)
    with anyio.move_on_after(timeout) as scope:
        return await _invoke(tool, context, call_args, call_kwargs)
    if scope.cancelled_caught:
        _log.warning("tool %r timed out after %.3g s", tool.name, timeout)
    raise ToolTimeoutError(f"tool {tool.name!r} did not finish within {timeout:g} s")


async def _invoke(
    tool: Tool[..., Any],
    context: ToolContext,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> Any:
    """Call the function the right way and wrap what it raises."""
    fn = tool.fn
    try:
        if tool.is_async:
            return await fn(*args, **kwargs)
        if tool.thread:
            if context.on_progress is not None:
                context.bind_event_loop()
            result = await anyio.to_thread.run_sync(
                functools.partial(fn, *args, **kwargs), abandon_on_cancel=True
            )
        else:
            result = fn(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result
    except Exception as exc:
        _log.warning("tool %r raised %s", tool.name, type(exc).__name__)
        _log.debug("tool %r traceback", tool.name, exc_info=True)
        raise ToolExecutionError(human_text(exc)) from exc


def human_text(exc: BaseException) -> str:
    """The message of an exception for a person or a model, without its class name.

    The class name travels in its own field (``exception``), so the message never repeats it;
    an exception raised without a message gets a plain sentence instead of an empty string.
    """
    text = str(exc).strip()
    return text or "the tool failed without saying why"


def output_payload(result: Any) -> dict[str, Any]:
    """Wrap a tool's return value as ``{"output": <JSON-safe value>}``.

    Pydantic models, dataclasses, enums, dates, sets, tuples and nested containers of these are
    converted to JSON types; ``bytes`` become URL-safe base64 text and NaN or infinite floats
    ``None``, so the response is strict JSON.

    Args:
        result: What the tool returned.

    Returns:
        The response for the model.

    Raises:
        ToolExecutionError: The value cannot be converted to JSON.
    """
    try:
        return {
            "output": pydantic_core.to_jsonable_python(
                result, inf_nan_mode="null", bytes_mode="base64"
            )
        }
    except (pydantic_core.PydanticSerializationError, TypeError, ValueError) as exc:
        raise ToolExecutionError(
            f"the tool returned a {type(result).__name__}, which cannot be converted to JSON"
        ) from exc


def error_payload(exc: Exception) -> dict[str, Any]:
    """Describe a failure as ``{"error": {"type": ..., "message": ...}}``.

    Argument errors add ``fields`` (the bad parameter paths); execution errors add
    ``exception`` (the class name of what the tool raised). ``message`` is the human text
    only, never prefixed with a class name.

    Args:
        exc: A :class:`ToolError`, or any other exception (reported as ``ToolExecutionError``).

    Returns:
        The response for the model.
    """
    ours = isinstance(exc, ToolError)
    kind = type(exc).__name__ if ours else ToolExecutionError.__name__
    error: dict[str, Any] = {"type": kind, "message": human_text(exc)}
    match exc, exc.__cause__:
        case ToolArgumentError(), pydantic.ValidationError() as cause:
            from voicelive.tools.core import format_location

            error["fields"] = sorted({format_location(e["loc"]) for e in cause.errors()})
        case ToolExecutionError(), BaseException() as cause:
            error["exception"] = type(cause).__name__
        case _ if not ours:  # not one of ours: a bug in validation or serialisation
            error["exception"] = type(exc).__name__
    return {"error": error}
