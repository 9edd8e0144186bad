"""Convert a tool's JSON schema to Gemini's OpenAPI-subset ``types.Schema``.

Gemini Live takes ``parametersJsonSchema`` directly; this conversion serves models and endpoints
that only accept ``FunctionDeclaration.parameters``. The OpenAPI subset is smaller, so a few
things are approximated, never silently dropped from what the model can read:

* ``anyOf [X, null]`` becomes ``X`` with ``nullable``; other unions stay ``anyOf``.
* ``exclusiveMinimum``/``exclusiveMaximum`` become ``minimum``/``maximum`` (shifted by one for
  integers); ``prefixItems`` (fixed tuples) becomes ``items`` with ``anyOf`` of the member types
  and exact ``minItems``/``maxItems``.
* ``enum`` is kept for strings; for numbers the allowed values are written into the description.
* Formats outside the subset (``date``, ``time``, ``uri`` ...) are written into the description.
"""

from __future__ import annotations

from typing import Any

from google.genai import types as genai_types

__all__ = ["to_genai_schema"]

_TYPES = {
    "string": genai_types.Type.STRING,
    "integer": genai_types.Type.INTEGER,
    "number": genai_types.Type.NUMBER,
    "boolean": genai_types.Type.BOOLEAN,
    "array": genai_types.Type.ARRAY,
    "object": genai_types.Type.OBJECT,
    "null": genai_types.Type.NULL,
}
_KEPT_FORMATS = frozenset({"date-time", "int32", "int64", "float", "double"})


def to_genai_schema(schema: dict[str, Any]) -> genai_types.Schema:
    """Convert a (cleaned) JSON schema to ``google.genai.types.Schema``.

    Args:
        schema: JSON schema of a tool's arguments, as in ``Tool.parameters_json_schema``.

    Returns:
        The equivalent OpenAPI-subset schema.
    """
    fields = _convert(schema)
    defs = schema.get("$defs")
    if isinstance(defs, dict):
        fields["defs"] = {name: _convert(body) for name, body in defs.items()}
    return genai_types.Schema.model_validate(fields)


def _convert(node: dict[str, Any]) -> dict[str, Any]:
    """Convert one schema node to ``types.Schema`` fields (snake_case keys)."""
    out: dict[str, Any] = {}
    notes: list[str] = []
    ref = node.get("$ref")
    if isinstance(ref, str):
        out["ref"] = ref
    variants = node.get("anyOf") or node.get("oneOf")
    if isinstance(variants, list):
        non_null = [v for v in variants if v.get("type") != "null"]
        if len(non_null) < len(variants):
            out["nullable"] = True
        if len(non_null) == 1:
            inner = _convert(non_null[0])
            inner_text = inner.pop("description", None)
            out.update(inner)
            if inner_text:
                notes.append(inner_text)
        elif non_null:
            out["any_of"] = [_convert(v) for v in non_null]
    kind = node.get("type")
    if isinstance(kind, list):  # ["string", "null"]
        if "null" in kind:
            out["nullable"] = True
        kind = next((k for k in kind if k != "null"), None)
    if isinstance(kind, str) and kind in _TYPES:
        out["type"] = _TYPES[kind]
    if "description" in node:
        out["description"] = node["description"]
    if "default" in node:
        out["default"] = node["default"]
    _convert_enum(node, out, notes)
    _convert_format(node, out, notes)
    _convert_bounds(node, out, kind)
    for src, dst in (("minLength", "min_length"), ("maxLength", "max_length"),
                     ("pattern", "pattern"), ("minItems", "min_items"),
                     ("maxItems", "max_items"), ("minProperties", "min_properties"),
                     ("maxProperties", "max_properties")):
        if src in node:
            out[dst] = node[src]
    _convert_containers(node, out)
    if notes:
        text = out.get("description", "")
        out["description"] = (text + " " if text else "") + " ".join(notes)
    return out


def _convert_enum(node: dict[str, Any], out: dict[str, Any], notes: list[str]) -> None:
    values = node.get("enum")
    if not isinstance(values, list):
        return
    if all(isinstance(v, str) for v in values):
        out["enum"] = list(values)
        out.setdefault("type", genai_types.Type.STRING)
        out["format"] = "enum"
    else:
        notes.append("Allowed values: " + ", ".join(map(_show, values)) + ".")


def _convert_format(node: dict[str, Any], out: dict[str, Any], notes: list[str]) -> None:
    fmt = node.get("format")
    if not isinstance(fmt, str) or "format" in out:
        return
    if fmt in _KEPT_FORMATS:
        out["format"] = fmt
    else:
        notes.append(f"Format: {fmt}.")


def _convert_bounds(node: dict[str, Any], out: dict[str, Any], kind: object) -> None:
    step = 1 if kind == "integer" else 0
    if "minimum" in node:
        out["minimum"] = node["minimum"]
    if "exclusiveMinimum" in node:
        out["minimum"] = node["exclusiveMinimum"] + step
    if "maximum" in node:
        out["maximum"] = node["maximum"]
    if "exclusiveMaximum" in node:
        out["maximum"] = node["exclusiveMaximum"] - step


def _convert_containers(node: dict[str, Any], out: dict[str, Any]) -> None:
    properties = node.get("properties")
    if isinstance(properties, dict):
        out["properties"] = {name: _convert(child) for name, child in properties.items()}
        out["property_ordering"] = list(properties)
        if node.get("required"):
            out["required"] = list(node["required"])
    items = node.get("items")
    prefix = node.get("prefixItems")
    if isinstance(prefix, list) and prefix:
        members = [_convert(p) for p in prefix]
        unique = [m for i, m in enumerate(members) if m not in members[:i]]
        out["items"] = unique[0] if len(unique) == 1 else {"any_of": unique}
    elif isinstance(items, dict):
        out["items"] = _convert(items)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out["additional_properties"] = genai_types.Schema.model_validate(_convert(extra))


def _show(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)
