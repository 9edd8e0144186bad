"""Tools: plain Python functions the model can call during a conversation.

::

    from voicelive.tools import ToolContext, ToolRegistry, tool

    @tool(timeout=5)
    def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict[str, float]:
        '''Current temperature in a city (parameter texts come from an Args section).'''
        ...

    registry = ToolRegistry([get_weather])
    await registry.call("get_weather", {"city": "Lyon"})

``Behavior`` and ``Scheduling`` are ``Literal`` string aliases
(``"blocking" | "non_blocking"`` and ``"silent" | "when_idle" | "interrupt"``); ``@tool`` also
accepts the matching ``google.genai.types`` enums. See ``docs/tools.md``.
"""

from voicelive.tools.context import ProgressCallback, ToolContext
from voicelive.tools.core import DEFAULT_TIMEOUT, Behavior, Scheduling, Tool, ToolSpec
from voicelive.tools.declaration import ToolDeclaration
from voicelive.tools.decorator import tool
from voicelive.tools.docstrings import Docstring, parse_docstring
from voicelive.tools.registry import ToolRegistry

__all__ = [
    "DEFAULT_TIMEOUT",
    "Behavior",
    "Docstring",
    "ProgressCallback",
    "Scheduling",
    "Tool",
    "ToolContext",
    "ToolDeclaration",
    "ToolRegistry",
    "ToolSpec",
    "parse_docstring",
    "tool",
]
