from __future__ import annotations

import dataclasses
import datetime
import sys
from collections.abc import Callable
from typing import Annotated, Any, NotRequired, Required, TypedDict

import pytest
from google.genai import types as genai_types
from pydantic import BaseModel, ConfigDict, Field

from voicelive.exceptions import ToolArgumentError, ToolDefinitionError
from voicelive.tools import DEFAULT_TIMEOUT, Tool, ToolContext, tool


class Opaque:
    """A plain class pydantic cannot describe."""


@tool
def add(a: int, b: int = 2) -> int:
    """Add two numbers.

    Args:
        a: First.
        b: Second.
    """
    return a + b


@tool(name="greet_user", description="Say hello.", timeout=3, templates=["hello {name}"])
async def greet(name: str, ctx: ToolContext) -> str:
    return f"hello {name} from {ctx.user_id}"


def test_bare_decorator_keeps_function_callable_and_typed() -> None:
    result: int = add(1, 5)  # mypy checks the ParamSpec/return type here
    assert result == 6
    assert isinstance(add, Tool)
    assert add.__name__ == "add"
    assert add.__doc__ is not None and "Add two numbers" in add.__doc__
    assert add.name == "add"
    assert add.description == "Add two numbers."
    assert add.timeout == DEFAULT_TIMEOUT
    assert add.behavior == "blocking"
    assert add.scheduling is None
    assert add.templates == ()
    assert add.is_async is False
    assert add.thread is True


async def _run_greet() -> str:
    return await greet("ana", ToolContext(user_id="u1"))


def test_options_and_async_function() -> None:
    import anyio

    assert greet.name == "greet_user"
    assert greet.description == "Say hello."
    assert greet.timeout == 3.0
    assert greet.templates == ("hello {name}",)
    assert greet.is_async is True
    assert greet.context_parameter == "ctx"
    assert anyio.run(_run_greet) == "hello ana from u1"


def test_context_parameter_is_not_in_schema() -> None:
    schema = greet.parameters_json_schema
    assert list(schema["properties"]) == ["name"]
    assert schema["required"] == ["name"]
    assert greet.validate({"name": "x"}) == {"name": "x"}


def test_optional_context_parameter_is_injected_too() -> None:
    @tool
    def f(x: int, context: ToolContext | None = None) -> int:
        return x

    assert f.context_parameter == "context"
    assert list(f.parameters_json_schema["properties"]) == ["x"]


def test_validate_coerces_and_fills_defaults() -> None:
    assert add.validate({"a": "7"}) == {"a": 7, "b": 2}
    assert add.validate({"a": 3.0, "b": 1}) == {"a": 3, "b": 1}


def test_validate_names_bad_and_unknown_fields() -> None:
    with pytest.raises(ToolArgumentError) as info:
        add.validate({"a": "seven", "zzz": 1})
    message = str(info.value)
    assert "a: Input should be a valid integer" in message
    assert "zzz: Extra inputs are not permitted" in message


def test_validate_missing_field() -> None:
    with pytest.raises(ToolArgumentError, match="a: Field required"):
        add.validate(None)


def test_returned_schema_is_a_copy() -> None:
    add.parameters_json_schema["properties"].clear()
    assert "a" in add.parameters_json_schema["properties"]


def test_parameter_names_that_clash_with_basemodel_attributes() -> None:
    @tool
    def f(schema: str, copy: int, json: bool, model_config: float, _hidden: str = "") -> str:
        return schema

    assert list(f.parameters_json_schema["properties"]) == [
        "schema", "copy", "json", "model_config", "_hidden",
    ]
    assert f.validate({"schema": "s", "copy": 1, "json": True, "model_config": 1.5}) == {
        "schema": "s", "copy": 1, "json": True, "model_config": 1.5, "_hidden": "",
    }


def test_positional_only_parameters_are_bound_positionally() -> None:
    import anyio

    def raw(a: int, ctx: ToolContext, /, b: int = 0) -> tuple[int, str, int]:
        return a, ctx.session_id, b

    t = tool(raw)
    assert anyio.run(t.run, {"a": 1, "b": 2}, ToolContext(session_id="s")) == (1, "s", 2)


def test_field_default_and_docstring_description() -> None:
    @tool
    def f(n: int = Field(default=4, ge=1, description="from Field"), m: int = 1) -> int:
        """F.

        Args:
            n: from docstring
            m: docstring only
        """
        return n

    props = f.parameters_json_schema["properties"]
    assert props["n"] == {
        "default": 4, "description": "from Field", "minimum": 1, "type": "integer",
    }
    assert props["m"]["description"] == "docstring only"


def test_annotated_field_description_wins_over_docstring() -> None:
    @tool
    def f(n: Annotated[int, Field(description="from Annotated", lt=5)]) -> int:
        """F.

        Args:
            n: from docstring
        """
        return n

    assert f.parameters_json_schema["properties"]["n"] == {
        "description": "from Annotated", "exclusiveMaximum": 5, "type": "integer",
    }


def test_behavior_and_scheduling() -> None:
    def f() -> None:
        return None

    assert tool(behavior="non_blocking")(f).scheduling == "when_idle"
    silent = tool(scheduling="silent")(f)
    assert (silent.behavior, silent.scheduling) == ("non_blocking", "silent")
    assert silent.declaration().scheduling == "silent"
    enums = tool(
        behavior=genai_types.Behavior.NON_BLOCKING,
        scheduling=genai_types.FunctionResponseScheduling.INTERRUPT,
    )(f)
    assert (enums.behavior, enums.scheduling) == ("non_blocking", "interrupt")
    assert enums.declaration().behavior == "non_blocking"
    assert (tool(f).declaration().behavior, tool(f).declaration().scheduling) == ("blocking", None)
    assert tool(timeout=None)(f).timeout is None


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"behavior": "blocking", "scheduling": "silent"}, "only to non_blocking"),
        ({"behavior": "sometimes"}, "behavior must be one of"),
        ({"scheduling": "later"}, "scheduling must be one of"),
        ({"timeout": 0}, "timeout must be > 0"),
        ({"timeout": -1.5}, "timeout must be > 0"),
        ({"name": "has space"}, "is invalid"),
        ({"name": "9lives"}, "is invalid"),
        ({"templates": "i ate {food}"}, "list of strings"),
        ({"templates": ["ok", ""]}, "non-empty strings"),
    ],
)
def test_invalid_options(options: dict[str, Any], match: str) -> None:
    def f() -> None:
        return None

    with pytest.raises(ToolDefinitionError, match=match):
        tool(**options)(f)


def _no_annotation(x, y: int) -> None:  # type: ignore[no-untyped-def]
    return None


def _star_args(*items: int) -> None:
    return None


def _star_kwargs(**options: str) -> None:
    return None


def _bare_class(thing: Opaque) -> None:
    return None


def _callable(callback: Callable[[int], int]) -> None:
    return None


def _nested_bare_class(things: list[Opaque] | None = None) -> None:
    return None


def _two_contexts(a: ToolContext, b: ToolContext) -> None:
    return None


@pytest.mark.parametrize(
    ("fn", "param"),
    [
        (_no_annotation, "x"),
        (_star_args, "items"),
        (_star_kwargs, "options"),
        (_bare_class, "thing"),
        (_callable, "callback"),
        (_nested_bare_class, "things"),
        (_two_contexts, "b"),
    ],
)
def test_unsupported_parameters_fail_at_decoration(fn: Callable[..., Any], param: str) -> None:
    with pytest.raises(ToolDefinitionError) as info:
        tool(fn)
    message = str(info.value)
    assert f"parameter {param!r}" in message
    assert f"tool {fn.__name__!r}" in message


def test_unresolvable_forward_reference_fails_at_decoration() -> None:
    def f(x: NotDefinedAnywhere) -> None:  # type: ignore[name-defined]  # noqa: F821
        return None

    with pytest.raises(ToolDefinitionError, match="cannot resolve its type hints"):
        tool(f)


def test_decorating_a_tool_twice_is_refused() -> None:
    with pytest.raises(ToolDefinitionError, match="already a tool"):
        tool(add)


class Meal(BaseModel):
    food: str
    grams: float = Field(gt=0)


@dataclasses.dataclass(frozen=True)
class Slot:
    day: datetime.date
    hour: int


NO_TAGS: set[str] = Field(default_factory=set)


def test_nested_values_are_coerced_to_their_types() -> None:
    @tool
    def plan(meal: Meal, slot: Slot, tags: set[str] = NO_TAGS) -> None:
        return None

    values = plan.validate(
        {"meal": {"food": "pear", "grams": "120"}, "slot": {"day": "2025-01-02", "hour": 8},
         "tags": ["a", "a", "b"]}
    )
    assert values["meal"] == Meal(food="pear", grams=120.0)
    assert values["slot"] == Slot(day=datetime.date(2025, 1, 2), hour=8)
    assert values["tags"] == {"a", "b"}


class LegacyPoint(TypedDict, total=False):
    """A point."""

    x: Required[int]
    y: int


class LegacyShape(TypedDict):
    corners: list[LegacyPoint]
    label: NotRequired[str]


class HoldsLegacy(BaseModel):
    model_config = ConfigDict(defer_build=True)  # pydantic refuses it when it builds

    point: LegacyPoint


def test_typing_typeddict_parameters_are_accepted() -> None:
    @tool
    def draw(shape: LegacyShape, extra: LegacyPoint | None = None) -> None:
        return None

    schema = draw.parameters_json_schema
    shape = schema["properties"]["shape"]
    assert shape["required"] == ["corners"]
    corner = shape["properties"]["corners"]["items"]
    assert corner["required"] == ["x"]
    assert corner["description"] == "A point."
    assert draw.validate({"shape": {"corners": [{"x": "1"}, {"x": 2, "y": 3}]}}) == {
        "shape": {"corners": [{"x": 1}, {"x": 2, "y": 3}]},
        "extra": None,
    }
    with pytest.raises(ToolArgumentError, match=r"shape\.corners\[0\]\.x: Field required"):
        draw.validate({"shape": {"corners": [{"y": 1}]}})


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="pydantic accepts typing.TypedDict")
def test_typing_typeddict_inside_a_model_gets_a_clear_error() -> None:
    def f(holder: HoldsLegacy) -> None:
        return None

    with pytest.raises(ToolDefinitionError, match=r"parameter 'holder'.*typing_extensions"):
        tool(f)
