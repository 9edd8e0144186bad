"""Golden declarations of a few realistic tools, and what google-genai's from_callable loses."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import warnings
from typing import Annotated, Any, Literal

import pytest
from google.genai import types as genai_types
from pydantic import BaseModel, Field

from voicelive.backends.gemini.declarations import function_declaration
from voicelive.backends.gemini.families import GEMINI_3
from voicelive.backends.gemini.schema import to_genai_schema
from voicelive.tools import ToolContext, ToolRegistry, tool


class MealKind(enum.Enum):
    BREAKFAST = "breakfast"
    LUNCH = "lunch"
    DINNER = "dinner"


class Portion(BaseModel):
    """One food and its amount."""

    food: str = Field(min_length=1, description="Food name as the user said it.")
    grams: float = Field(gt=0, le=5000)


@dataclasses.dataclass
class Window:
    start: datetime.datetime
    minutes: int = 30


@tool(timeout=5, templates=["what's the weather in {city}"])
def get_weather(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius") -> dict[str, Any]:
    """Get the current weather in a city.

    Args:
        city: City name, for example "Lyon".
        unit: Temperature unit of the answer.
    """
    return {"city": city, "temperature": 21, "unit": unit}


@tool
def log_meal(
    kind: MealKind,
    portions: list[Portion],
    ctx: ToolContext,
    day: datetime.date | None = None,
) -> str:
    """Record what the user ate.

    Parameters
    ----------
    kind : MealKind
        Which meal of the day.
    portions : list of Portion
        Everything eaten in that meal.
    day : date, optional
        The day of the meal; today when omitted.
    """
    return "ok"


@tool(behavior="non_blocking", scheduling="interrupt")
async def set_timer(
    seconds: Annotated[int, Field(ge=1, le=86_400)],
    label: Annotated[str, Field(max_length=40, pattern=r"^[\w ]*$")] = "",
) -> str:
    """Start a countdown timer.

    :param seconds: Duration of the timer.
    :param label: Short name to announce when it rings.
    """
    return "started"


@tool
def find_slot(window: Window, tags: set[str], scores: dict[str, float]) -> None:
    """Find a free slot.

    Args:
        window: When to look.
        tags: Required room features.
        scores: Preference weight per room.
    """


GOLDEN: dict[str, dict[str, Any]] = {
    "get_weather": {
        "name": "get_weather",
        "description": "Get the current weather in a city.",
        "parametersJsonSchema": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": 'City name, for example "Lyon".'},
                "unit": {
                    "enum": ["celsius", "fahrenheit"],
                    "type": "string",
                    "default": "celsius",
                    "description": "Temperature unit of the answer.",
                },
            },
            "required": ["city"],
            "additionalProperties": False,
        },
    },
    "log_meal": {
        "name": "log_meal",
        "description": "Record what the user ate.",
        "parametersJsonSchema": {
            "type": "object",
            "properties": {
                "kind": {
                    "enum": ["breakfast", "lunch", "dinner"],
                    "type": "string",
                    "description": "Which meal of the day.",
                },
                "portions": {
                    "type": "array",
                    "description": "Everything eaten in that meal.",
                    "items": {
                        "type": "object",
                        "description": "One food and its amount.",
                        "properties": {
                            "food": {
                                "type": "string",
                                "minLength": 1,
                                "description": "Food name as the user said it.",
                            },
                            "grams": {"type": "number", "exclusiveMinimum": 0, "maximum": 5000},
                        },
                        "required": ["food", "grams"],
                    },
                },
                "day": {
                    "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
                    "default": None,
                    "description": "The day of the meal; today when omitted.",
                },
            },
            "required": ["kind", "portions"],
            "additionalProperties": False,
        },
    },
    "set_timer": {
        "name": "set_timer",
        "description": "Start a countdown timer.",
        "behavior": "NON_BLOCKING",
        "parametersJsonSchema": {
            "type": "object",
            "properties": {
                "seconds": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 86400,
                    "description": "Duration of the timer.",
                },
                "label": {
                    "type": "string",
                    "maxLength": 40,
                    "pattern": r"^[\w ]*$",
                    "default": "",
                    "description": "Short name to announce when it rings.",
                },
            },
            "required": ["seconds"],
            "additionalProperties": False,
        },
    },
    "find_slot": {
        "name": "find_slot",
        "description": "Find a free slot.",
        "parametersJsonSchema": {
            "type": "object",
            "properties": {
                "window": {
                    "type": "object",
                    "description": "When to look.",
                    "properties": {
                        "start": {"type": "string", "format": "date-time"},
                        "minutes": {"type": "integer", "default": 30},
                    },
                    "required": ["start"],
                    "additionalProperties": False,
                },
                "tags": {
                    "type": "array",
                    "items": {"type": "string"},
                    "uniqueItems": True,
                    "description": "Required room features.",
                },
                "scores": {
                    "type": "object",
                    "additionalProperties": {"type": "number"},
                    "description": "Preference weight per room.",
                },
            },
            "required": ["window", "tags", "scores"],
            "additionalProperties": False,
        },
    },
}

TOOLS = ToolRegistry([get_weather, log_meal, set_timer, find_slot])


@pytest.mark.parametrize("name", list(GOLDEN))
def test_golden_declaration(name: str) -> None:
    (dumped,) = [d for d in TOOLS.to_json() if d["name"] == name]
    assert dumped == GOLDEN[name]


def test_golden_openapi_declaration_of_set_timer() -> None:
    declaration = function_declaration(set_timer.declaration(), GEMINI_3, style="openapi")
    assert declaration.parameters_json_schema is None
    assert declaration.model_dump(mode="json", by_alias=True, exclude_none=True) == {
        "name": "set_timer",
        "description": "Start a countdown timer.",
        "behavior": "NON_BLOCKING",
        "parameters": {
            "type": "OBJECT",
            "properties": {
                "seconds": {
                    "type": "INTEGER", "minimum": 1.0, "maximum": 86400.0,
                    "description": "Duration of the timer.",
                },
                "label": {
                    "type": "STRING", "maxLength": 40, "pattern": r"^[\w ]*$", "default": "",
                    "description": "Short name to announce when it rings.",
                },
            },
            "propertyOrdering": ["seconds", "label"],
            "required": ["seconds"],
        },
    }


def test_openapi_keeps_nullable_enum_and_nested_items() -> None:
    schema = to_genai_schema(log_meal.parameters_json_schema)
    assert schema.properties is not None
    kind = schema.properties["kind"]
    assert kind.type is genai_types.Type.STRING
    assert kind.enum == ["breakfast", "lunch", "dinner"]
    day = schema.properties["day"]
    assert day.nullable is True
    assert day.type is genai_types.Type.STRING
    assert day.description == "The day of the meal; today when omitted. Format: date."
    items = schema.properties["portions"].items
    assert items is not None and items.properties is not None
    assert items.properties["grams"].minimum == 0
    assert items.properties["food"].min_length == 1


def _from_callable(fn: Any) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        declaration = genai_types.FunctionDeclaration.from_callable_with_api_option(
            callable=fn, use_json_schema=True
        )
    dumped: dict[str, Any] = declaration.model_dump(mode="json", exclude_none=True)
    return dumped


def test_what_from_callable_loses() -> None:
    def weather(city: str, unit: Literal["celsius", "fahrenheit"] = "celsius") -> str:
        """Get the current weather in a city.

        Args:
            city: City name, for example "Lyon".
            unit: Temperature unit of the answer.
        """
        return ""

    theirs = _from_callable(weather)
    ours = tool(weather).parameters_json_schema
    # Per-parameter docstring texts: from_callable drops them and dumps the raw docstring,
    # Args section included, into the tool description.
    assert "description" not in theirs["parameters_json_schema"]["properties"]["city"]
    assert "Args:" in theirs["description"]
    assert ours["properties"]["city"]["description"] == 'City name, for example "Lyon".'
    assert tool(weather).description == "Get the current weather in a city."


def test_from_callable_cannot_express_dataclasses_or_context() -> None:
    with pytest.raises(ValueError, match="Failed to parse the parameter window"):
        _from_callable(find_slot.fn)
    with pytest.raises(ValueError):
        _from_callable(log_meal.fn)
    assert "window" in find_slot.parameters_json_schema["properties"]
    assert "ctx" not in log_meal.parameters_json_schema["properties"]


def test_recursive_models_keep_defs() -> None:
    class Node(BaseModel):
        label: str
        children: list[Node] = []

    Node.model_rebuild()

    def tree(root: Node) -> int:
        return 0

    tree.__annotations__ = {"root": Node, "return": int}
    schema = tool(tree).parameters_json_schema
    assert schema["properties"]["root"] == {"$ref": "#/$defs/Node"}
    assert schema["$defs"]["Node"]["properties"]["children"]["items"] == {"$ref": "#/$defs/Node"}
    assert tool(tree).validate({"root": {"label": "a", "children": [{"label": "b"}]}})["root"] == (
        Node(label="a", children=[Node(label="b")])
    )
    openapi = to_genai_schema(tool(tree).parameters_json_schema)
    assert openapi.defs is not None and "Node" in openapi.defs


class Cash(BaseModel):
    kind: Literal["cash"]
    amount: float


class Card(BaseModel):
    kind: Literal["card"]
    last4: Annotated[str, Field(pattern=r"^\d{4}$")]


def test_discriminated_unions_are_inlined_without_dangling_refs() -> None:
    def pay(method: Annotated[Cash | Card, Field(discriminator="kind")]) -> None:
        return None

    pay.__annotations__ = {"method": Annotated[Cash | Card, Field(discriminator="kind")]}
    paid = tool(pay)
    schema = paid.parameters_json_schema
    assert "$ref" not in str(schema)
    assert [v["properties"]["kind"] for v in schema["properties"]["method"]["oneOf"]] == [
        {"enum": ["cash"], "type": "string"},
        {"enum": ["card"], "type": "string"},
    ]
    assert paid.validate({"method": {"kind": "card", "last4": "1234"}})["method"] == Card(
        kind="card", last4="1234"
    )
