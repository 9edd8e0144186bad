"""Property tests: generated signatures over the supported types.

For every generated signature the derived schema must be valid JSON Schema, every value
hypothesis draws for the parameter types (``st.from_type``) must validate against it and be
accepted by ``registry.call`` (both as Python values and in JSON form, which is what the model
sends), and the declaration must be accepted by google-genai in both schema styles.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import inspect
import json
import keyword
import typing
from typing import Annotated, Any, Literal

import annotated_types as at
import anyio
import jsonschema
import pydantic_core
import typing_extensions
from google.genai import types as genai_types
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from voicelive.backends.gemini.declarations import function_declaration
from voicelive.backends.gemini.families import GEMINI_3
from voicelive.backends.gemini.schema import to_genai_schema
from voicelive.tools import Tool, ToolRegistry, tool


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Item(BaseModel):
    name: str
    count: int = 1


@dataclasses.dataclass(frozen=True)
class Point:
    x: float
    y: float


class Address(typing_extensions.TypedDict):
    street: str
    number: int


class Tag(typing.TypedDict, total=False):
    label: typing.Required[str]
    weight: float


SCALARS: list[Any] = [
    str,
    int,
    float,
    bool,
    datetime.date,
    datetime.datetime,
    Color,
    Level,
    Literal["a", "b", "c"],
    Literal[1, 2, 3],
    Annotated[int, at.Ge(0), at.Le(100)],
    Annotated[str, at.MinLen(1), at.MaxLen(8)],
    Annotated[float, at.Gt(0.0), at.Lt(1.0)],
]
STRUCTURES: list[Any] = [Item, Point, Address, Tag]
HASHABLE: list[Any] = [str, int, bool, datetime.date, Color, Literal["a", "b"]]


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        inner.map(lambda t: t | None),
        inner.map(list.__class_getitem__),
        inner.map(lambda t: tuple.__class_getitem__((t, ...))),
        st.tuples(inner, inner).map(tuple.__class_getitem__),
        inner.map(lambda t: dict.__class_getitem__((str, t))),
        st.sampled_from(HASHABLE).map(set.__class_getitem__),
    )


TYPES: st.SearchStrategy[Any] = st.recursive(
    st.sampled_from(SCALARS + STRUCTURES), _containers, max_leaves=3
)
NAMES = st.one_of(
    st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(
        lambda n: not keyword.iskeyword(n)
    ),
    st.sampled_from(["schema", "copy", "json", "model_config", "validate", "dict"]),
)


@dataclasses.dataclass(frozen=True)
class Signature:
    params: tuple[tuple[str, Any, bool], ...]  # (name, type, has_default)
    is_async: bool


SIGNATURES = st.builds(
    Signature,
    params=st.lists(
        st.tuples(NAMES, TYPES, st.booleans()), min_size=0, max_size=4,
        unique_by=lambda p: p[0],
    ).map(tuple),
    is_async=st.booleans(),
)


def _make_tool(sig: Signature, defaults: dict[str, Any]) -> Tool[..., Any]:
    """Build a function with the signature, without exec, and decorate it."""
    parameters = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=tp,
            default=defaults.get(name, inspect.Parameter.empty),
        )
        for name, tp, _ in sig.params
    ]

    def sync_fn(**kwargs: Any) -> dict[str, Any]:
        return kwargs

    async def async_fn(**kwargs: Any) -> dict[str, Any]:
        return kwargs

    fn: Any = async_fn if sig.is_async else sync_fn
    fn.__signature__ = inspect.Signature(parameters)
    fn.__annotations__ = {name: tp for name, tp, _ in sig.params}
    return tool(name="generated", thread=False)(fn)


def _values(sig: Signature) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({name: st.from_type(tp) for name, tp, _ in sig.params})


@st.composite
def cases(draw: st.DrawFn) -> tuple[Signature, dict[str, Any], dict[str, Any]]:
    sig = draw(SIGNATURES)
    defaults = {
        name: draw(st.from_type(tp)) for name, tp, has_default in sig.params if has_default
    }
    return sig, defaults, draw(_values(sig))


PROPERTY_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(cases())
def test_schema_validates_drawn_values_and_call_accepts_them(
    case: tuple[Signature, dict[str, Any], dict[str, Any]],
) -> None:
    sig, defaults, values = case
    generated = _make_tool(sig, defaults)
    schema = generated.parameters_json_schema

    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    as_json = pydantic_core.to_jsonable_python(values)
    validator.validate(as_json)

    registry = ToolRegistry([generated])
    for args in (values, as_json):
        result = anyio.run(registry.call, "generated", args)
        assert "output" in result, result
        assert set(result["output"]) == {name for name, _, _ in sig.params}


@PROPERTY_SETTINGS
@given(cases())
def test_declarations_are_accepted_by_google_genai(
    case: tuple[Signature, dict[str, Any], dict[str, Any]],
) -> None:
    sig, defaults, _ = case
    generated = _make_tool(sig, defaults)
    registry = ToolRegistry([generated])
    (plain,) = registry.to_json()
    json.dumps(plain)
    (declaration,) = registry.declarations()
    openapi_style = function_declaration(declaration, GEMINI_3, style="openapi")
    for dumped in (plain, openapi_style.model_dump(mode="json", by_alias=True, exclude_none=True)):
        again = genai_types.FunctionDeclaration.model_validate(dumped)
        assert again.name == "generated"
    openapi = to_genai_schema(generated.parameters_json_schema)
    assert openapi.type is genai_types.Type.OBJECT
    assert sorted(openapi.properties or {}) == sorted(name for name, _, _ in sig.params)
    assert set(openapi.required or []) == {name for name, _, d in sig.params if not d}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_schema_rejects_what_validation_rejects_for_constrained_ints(data: st.DataObject) -> None:
    lo = data.draw(st.integers(-50, 50))
    hi = data.draw(st.integers(lo, lo + 100))
    sig = Signature(params=(("n", Annotated[int, at.Ge(lo), at.Le(hi)], False),), is_async=False)
    generated = _make_tool(sig, {})
    value = data.draw(st.integers(lo - 20, hi + 20))
    ok_schema = jsonschema.Draft202012Validator(generated.parameters_json_schema).is_valid(
        {"n": value}
    )
    result = anyio.run(ToolRegistry([generated]).call, "generated", {"n": value})
    assert ok_schema == ("output" in result) == (lo <= value <= hi)
