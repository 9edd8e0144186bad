"""Turn a function signature into one pydantic model that both describes and validates arguments.

Each parameter becomes a field of a generated model whose JSON schema is what the model receives
(``parametersJsonSchema``) and whose validation checks and coerces what the model sends back, in
the spirit of pydantic's ``validate_call``. Fields are stored under private names (``p0``,
``p1`` ...) with the parameter name as alias, so a parameter may be called ``schema``, ``copy``
or ``_private`` without clashing with ``BaseModel`` attributes.

Anything pydantic cannot validate *and* describe as JSON Schema is refused here, at decoration
time, with a :class:`~voicelive.exceptions.ToolDefinitionError` naming the function and the
parameter.
"""

from __future__ import annotations

import copy
import inspect
import types
import typing
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic.json_schema import PydanticJsonSchemaWarning

from voicelive.exceptions import ToolDefinitionError
from voicelive.tools.compat import modernize
from voicelive.tools.context import ToolContext

__all__ = ["ArgumentSpec", "build_arguments", "clean_json_schema"]

_ARGS_CONFIG = ConfigDict(extra="forbid", populate_by_name=False, arbitrary_types_allowed=False)
_SCHEMA_CHILD_MAPS = ("properties", "$defs", "patternProperties", "dependentSchemas")
_SCHEMA_CHILD_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_CHILD_ONE = ("items", "additionalProperties", "not", "contains")


@dataclass(frozen=True, slots=True)
class ArgumentSpec:
    """The argument side of a tool, derived once from its signature.

    Attributes:
        model: Generated pydantic model; field ``pN`` has alias = parameter name.
        fields: ``(field_name, parameter_name, positional_only)`` in signature order.
        context_param: Name of the ``ToolContext`` parameter, if the function has one.
        plan: ``(parameter_name, is_context, positional_only)`` for every parameter in
            signature order: how to call the function.
        json_schema: Cleaned JSON schema of the argument object.
    """

    model: type[BaseModel]
    fields: tuple[tuple[str, str, bool], ...]
    context_param: str | None
    plan: tuple[tuple[str, bool, bool], ...]
    json_schema: dict[str, Any]


def build_arguments(
    fn: Callable[..., Any], tool_name: str, param_docs: Mapping[str, str]
) -> ArgumentSpec:
    """Derive the argument model and JSON schema of ``fn``.

    Args:
        fn: The function being turned into a tool.
        tool_name: Name of the tool, used in error messages and the model's name.
        param_docs: Parameter descriptions read from the docstring, by parameter name.

    Returns:
        The argument spec of the tool.

    Raises:
        ToolDefinitionError: A parameter has no annotation, is ``*args``/``**kwargs``, or has a
            type that cannot be validated or expressed as JSON Schema.
    """
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        raise ToolDefinitionError(f"tool {tool_name!r}: cannot read its signature: {exc}") from exc
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except Exception as exc:
        raise ToolDefinitionError(
            f"tool {tool_name!r}: cannot resolve its type hints ({type(exc).__name__}: {exc}); "
            "define the types at module level"
        ) from exc

    definitions: dict[str, Any] = {}
    fields: list[tuple[str, str, bool]] = []
    context_param: str | None = None
    plan: list[tuple[str, bool, bool]] = []
    for index, param in enumerate(signature.parameters.values()):
        where = f"parameter {param.name!r} of tool {tool_name!r}"
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            star = "*" if param.kind is param.VAR_POSITIONAL else "**"
            raise ToolDefinitionError(
                f"{where}: {star}{param.name} cannot be declared to a model; name each argument"
            )
        if param.name not in hints:
            raise ToolDefinitionError(f"{where} has no type annotation")
        annotation = hints[param.name]
        positional_only = param.kind is param.POSITIONAL_ONLY
        if _is_context(annotation):
            if context_param is not None:
                raise ToolDefinitionError(f"{where}: only one ToolContext parameter is allowed")
            context_param = param.name
            plan.append((param.name, True, positional_only))
            continue
        plan.append((param.name, False, positional_only))
        field_name = f"p{index}"
        definitions[field_name] = _field_definition(
            param.name, modernize(annotation), param.default, param_docs.get(param.name)
        )
        fields.append((field_name, param.name, positional_only))

    model = _create_model(fn, tool_name, definitions)
    schema = _model_schema(tool_name, model, definitions)
    return ArgumentSpec(
        model=model,
        fields=tuple(fields),
        context_param=context_param,
        plan=tuple(plan),
        json_schema=schema,
    )


def _is_context(annotation: Any) -> bool:
    """Whether a parameter asks for the ToolContext (plain or optional)."""
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    if annotation is ToolContext:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return members == [ToolContext]
    return False


def _field_definition(
    name: str, annotation: Any, default: Any, doc: str | None
) -> tuple[Any, Any]:
    """Build ``(annotation, default)`` for one field.

    Our alias and docstring text go first so the user's own ``Field(...)`` metadata (in
    ``Annotated`` or as the default) wins over them.
    """
    ours = Field(alias=name, description=doc) if doc else Field(alias=name)
    if typing.get_origin(annotation) is Annotated:
        base, *metadata = typing.get_args(annotation)
    else:
        base, metadata = annotation, []
    annotated = Annotated.__class_getitem__((base, ours, *metadata))  # type: ignore[attr-defined]
    if default is inspect.Parameter.empty:
        return annotated, ...
    return annotated, default


def _create_model(
    fn: Callable[..., Any], tool_name: str, definitions: dict[str, Any]
) -> type[BaseModel]:
    """Create the argument model, naming the culprit parameter when pydantic refuses."""
    try:
        model: type[BaseModel] = pydantic.create_model(
            f"{_camel(tool_name)}Arguments",
            __config__=_ARGS_CONFIG,
            __doc__=None,
            __module__=getattr(fn, "__module__", None) or __name__,
            **definitions,
        )
    except Exception as exc:
        _raise_for_culprit(tool_name, definitions, exc)
        raise ToolDefinitionError(f"tool {tool_name!r}: {exc}") from exc
    return model


def _model_schema(
    tool_name: str, model: type[BaseModel], definitions: dict[str, Any]
) -> dict[str, Any]:
    """Generate and clean the JSON schema, naming the culprit parameter on failure."""
    try:
        with warnings.catch_warnings():
            # A default that is not JSON-serialisable is left out of the schema, which is fine.
            warnings.simplefilter("ignore", PydanticJsonSchemaWarning)
            raw = model.model_json_schema(by_alias=True)
    except Exception as exc:
        _raise_for_culprit(tool_name, definitions, exc)
        raise ToolDefinitionError(f"tool {tool_name!r}: {exc}") from exc
    return clean_json_schema(raw)


def _raise_for_culprit(tool_name: str, definitions: dict[str, Any], exc: Exception) -> None:
    """Try each field alone and raise a ToolDefinitionError naming the first that fails."""
    for annotation, _default in definitions.values():
        alias = typing.get_args(annotation)[1].alias
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the alias means nothing outside a model
                TypeAdapter(annotation).json_schema()
        except Exception as inner:
            type_name = _type_name(typing.get_args(annotation)[0])
            raise ToolDefinitionError(
                f"parameter {alias!r} of tool {tool_name!r}: type {type_name} cannot be "
                f"expressed as a tool argument ({_first_line(inner)})"
            ) from exc


def clean_json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Make pydantic's JSON schema compact and friendly to the Gemini API.

    Titles and OpenAPI ``discriminator`` hints are dropped, ``const`` becomes a one-value
    ``enum``, and ``$ref`` pointers into ``$defs`` are inlined unless a definition refers to
    itself (recursive types keep ``$defs``).

    Args:
        schema: A JSON schema as produced by pydantic.

    Returns:
        A new, cleaned schema; the input is not modified.
    """
    defs: dict[str, Any] = schema.get("$defs", {})
    if _is_recursive(defs):
        kept: dict[str, Any] = _strip(copy.deepcopy(schema))
        return kept
    inlined: dict[str, Any] = _strip(_inline({k: v for k, v in schema.items() if k != "$defs"},
                                             defs))
    return inlined


def _strip(node: Any) -> Any:
    """Remove titles and turn ``const`` into ``enum``, recursively over schema children."""
    if not isinstance(node, dict):
        return node
    node.pop("title", None)
    node.pop("discriminator", None)  # OpenAPI-only; its mapping points into the dropped $defs
    if "const" in node:
        node["enum"] = [node.pop("const")]
    for key in _SCHEMA_CHILD_MAPS:
        if isinstance(node.get(key), dict):
            node[key] = {name: _strip(child) for name, child in node[key].items()}
    for key in _SCHEMA_CHILD_LISTS:
        if isinstance(node.get(key), list):
            node[key] = [_strip(child) for child in node[key]]
    for key in _SCHEMA_CHILD_ONE:
        if isinstance(node.get(key), dict):
            node[key] = _strip(node[key])
    return node


def _inline(node: Any, defs: Mapping[str, Any]) -> Any:
    """Copy ``node`` with every local ``$ref`` replaced by its definition (siblings win)."""
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = _inline(defs[ref.removeprefix("#/$defs/")], defs)
        siblings = {k: _inline(v, defs) for k, v in node.items() if k != "$ref"}
        return {**target, **siblings}
    return {key: (_inline(value, defs) if key != "default" and key != "enum" else value)
            for key, value in node.items()}


def _is_recursive(defs: Mapping[str, Any]) -> bool:
    """Whether any definition can reach itself through ``$ref`` pointers."""
    edges = {name: _refs(body) for name, body in defs.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in edges.get(start, set()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                if reaches(nxt, goal, seen):
                    return True
        return False

    return any(reaches(name, name, set()) for name in defs)


def _refs(node: Any) -> set[str]:
    """Names of the definitions referenced anywhere under ``node``."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                found.add(ref.removeprefix("#/$defs/"))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("-", "_").split("_"))


def _type_name(tp: Any) -> str:
    if isinstance(tp, type):
        return tp.__qualname__
    return repr(tp).replace("typing.", "")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
