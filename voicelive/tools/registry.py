"""ToolRegistry: the set of tools one session offers, and the safe way to call them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ParamSpec, TypeVar

from voicelive.exceptions import DuplicateToolError, ToolError, UnknownToolError
from voicelive.tools.context import ToolContext
from voicelive.tools.core import Tool
from voicelive.tools.declaration import ToolDeclaration
from voicelive.tools.decorator import tool
from voicelive.tools.dispatch import error_payload, output_payload

__all__ = ["ToolRegistry"]

P = ParamSpec("P")
R = TypeVar("R")

_log = logging.getLogger("voicelive.tools")


class ToolRegistry:
    """An ordered set of tools with unique names.

    ``call`` never raises for a tool's failure: unknown names, bad arguments, exceptions and
    timeouts all come back as ``{"error": {...}}`` so a failing tool cannot break a session.
    Only cancellation propagates.

    Example::

        registry = ToolRegistry([get_weather, log_meal])
        response = await registry.call("get_weather", {"city": "Lyon"})
        # {"output": {...}} or {"error": {"type": "ToolArgumentError", ...}}
    """

    def __init__(self, tools: Iterable[Tool[..., Any] | Callable[..., Any]] = ()) -> None:
        """Create a registry.

        Args:
            tools: Tools, or plain functions (decorated with a bare ``@tool`` on the way in).

        Raises:
            DuplicateToolError: Two tools share a name.
            ToolDefinitionError: A plain function cannot become a tool.
        """
        self._tools: dict[str, Tool[..., Any]] = {}
        for item in tools:
            self.add(item)

    def add(self, item: Callable[P, R]) -> Tool[P, R]:
        """Register a tool (a plain function is wrapped with ``@tool`` first).

        Usable as a decorator: ``@registry.add``.

        Args:
            item: A :class:`Tool` or a function.

        Returns:
            The registered tool.

        Raises:
            DuplicateToolError: A tool with the same name is already registered.
        """
        new = item if isinstance(item, Tool) else tool(item)
        if new.name in self._tools:
            raise DuplicateToolError(f"a tool named {new.name!r} is already registered")
        self._tools[new.name] = new
        return new

    def get(self, name: str) -> Tool[..., Any]:
        """Return the tool called ``name``.

        Raises:
            UnknownToolError: No tool has that name.
        """
        try:
            return self._tools[name]
        except KeyError:
            raise UnknownToolError(self._unknown_message(name)) from None

    def names(self) -> tuple[str, ...]:
        """Names of the registered tools, in registration order."""
        return tuple(self._tools)

    def __iter__(self) -> Iterator[Tool[..., Any]]:
        return iter(tuple(self._tools.values()))

    def __len__(self) -> int:
        return len(self._tools)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Tool):
            return self._tools.get(item.name) is item
        return isinstance(item, str) and item in self._tools

    def __repr__(self) -> str:
        return f"ToolRegistry({list(self._tools)!r})"

    def merge(self, other: ToolRegistry | Iterable[Tool[..., Any]]) -> ToolRegistry:
        """Return a new registry with this registry's tools followed by ``other``'s.

        Raises:
            DuplicateToolError: Both hold a tool with the same name.
        """
        return ToolRegistry([*self, *other])

    def __add__(self, other: ToolRegistry) -> ToolRegistry:
        if not isinstance(other, ToolRegistry):
            return NotImplemented
        return self.merge(other)

    def declarations(self) -> list[ToolDeclaration]:
        """What the model is told about the tools, as plain data.

        Returns:
            One :class:`~voicelive.tools.declaration.ToolDeclaration` per tool, in registration
            order; each backend converts them to what its model takes.
        """
        return [t.declaration() for t in self._tools.values()]

    def to_json(self) -> list[dict[str, Any]]:
        """Render the declarations as JSON-safe dicts with the API's camelCase keys.

        This is what ``voicelive tools --json`` prints.

        Returns:
            One dict per tool (``name``, ``description``, ``parametersJsonSchema``, and
            ``behavior`` for non-blocking tools).
        """
        return [d.to_json() for d in self.declarations()]

    async def call(
        self,
        name: str,
        args: Mapping[str, Any] | None,
        context: ToolContext | None = None,
    ) -> dict[str, Any]:
        """Run a tool call from the model and return the response to send back.

        Arguments are validated and coerced by the tool's pydantic model; sync functions run in
        a worker thread (unless the tool says ``thread=False``); the tool's timeout applies.

        Args:
            name: The tool the model asked for.
            args: Its arguments (``None`` means none).
            context: Injected into a ``ToolContext`` parameter; a default one when ``None``.

        Returns:
            ``{"output": <JSON-safe result>}`` on success, else
            ``{"error": {"type": ..., "message": ...}}`` with ``type`` one of
            ``UnknownToolError``, ``ToolArgumentError``, ``ToolExecutionError``,
            ``ToolTimeoutError``.

        Raises:
            anyio.get_cancelled_exc_class(): The surrounding scope was cancelled; no result.
        """
        found = self._tools.get(name)
        if found is None:
            return error_payload(UnknownToolError(self._unknown_message(name)))
        try:
            return output_payload(await found.run(args, context))
        except ToolError as exc:
            return error_payload(exc)
        except Exception as exc:  # a bug in validation or serialisation, never the session's
            _log.warning("tool %r failed unexpectedly: %s", name, type(exc).__name__)
            return error_payload(exc)

    def _unknown_message(self, name: str) -> str:
        known = ", ".join(self._tools) or "none"
        return f"no tool named {name!r} (known tools: {known})"
