from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import threading
from typing import Any

import anyio
import anyio.from_thread
import pytest
from google.genai import types as genai_types
from pydantic import BaseModel

from voicelive.backends.gemini.declarations import function_declaration, genai_tool
from voicelive.backends.gemini.families import GEMINI_3, GEMINI_25
from voicelive.exceptions import DuplicateToolError, UnknownToolError
from voicelive.tools import Tool, ToolContext, ToolDeclaration, ToolRegistry, tool


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Color(enum.Enum):
    RED = "red"


class Out(BaseModel):
    when: datetime.date
    colors: set[Color]


@dataclasses.dataclass
class Pair:
    a: int
    b: tuple[int, int]


@tool
def echo(text: str, times: int = 1) -> str:
    """Repeat text."""
    return text * times


@tool(thread=False)
def inline(x: int) -> int:
    return x + 1


@tool
async def async_double(x: float) -> float:
    return x * 2


@tool
def model_out() -> Out:
    return Out(when=datetime.date(2025, 3, 4), colors={Color.RED})


@tool
def dataclass_out() -> Pair:
    return Pair(a=1, b=(2, 3))


@tool
def nothing() -> None:
    return None


@tool
def odd_values() -> dict[str, Any]:
    return {"nan": float("nan"), "inf": float("inf"), "raw": b"\xff\x00", "pair": (1, 2)}


@tool
def boom(x: int) -> int:
    raise ValueError(f"bad x {x}")


@tool
def not_json() -> object:
    return object()


@tool
def who(ctx: ToolContext) -> dict[str, Any]:
    ctx.state["calls"] = ctx.state.get("calls", 0) + 1
    return {"session": ctx.session_id, "user": ctx.user_id, "calls": ctx.state["calls"]}


REGISTRY = ToolRegistry(
    [echo, inline, async_double, model_out, dataclass_out, nothing, boom, not_json, who, odd_values]
)


@pytest.mark.anyio
async def test_outputs_are_json_safe() -> None:
    assert await REGISTRY.call("echo", {"text": "ab", "times": "2"}) == {"output": "abab"}
    assert await REGISTRY.call("inline", {"x": 1}) == {"output": 2}
    assert await REGISTRY.call("async_double", {"x": 2}) == {"output": 4.0}
    assert await REGISTRY.call("model_out", None) == {
        "output": {"when": "2025-03-04", "colors": ["red"]}
    }
    assert await REGISTRY.call("dataclass_out", {}) == {"output": {"a": 1, "b": [2, 3]}}
    assert await REGISTRY.call("nothing", {}) == {"output": None}
    odd = await REGISTRY.call("odd_values", {})
    assert odd == {"output": {"nan": None, "inf": None, "raw": "_wA=", "pair": [1, 2]}}
    json.dumps(odd, allow_nan=False)


@pytest.mark.anyio
async def test_unknown_tool() -> None:
    result = await REGISTRY.call("missing", {})
    assert result["error"]["type"] == "UnknownToolError"
    assert "'missing'" in result["error"]["message"]
    assert "echo" in result["error"]["message"]


@pytest.mark.anyio
async def test_invalid_arguments_name_the_fields() -> None:
    result = await REGISTRY.call("echo", {"times": "many", "extra": 1})
    error = result["error"]
    assert error["type"] == "ToolArgumentError"
    assert error["fields"] == ["extra", "text", "times"]
    assert "text: Field required" in error["message"]


@pytest.mark.anyio
async def test_arguments_that_are_not_an_object() -> None:
    result = await REGISTRY.call("echo", ["not", "a", "dict"])  # type: ignore[arg-type]
    assert result["error"]["type"] == "ToolArgumentError"


@pytest.mark.anyio
async def test_exception_becomes_structured_error() -> None:
    result = await REGISTRY.call("boom", {"x": 3})
    assert result == {
        "error": {
            "type": "ToolExecutionError",
            "message": "bad x 3",
            "exception": "ValueError",
        }
    }


class PantryError(Exception):
    """A domain error of the kind an application's tools raise."""


@pytest.mark.anyio
async def test_error_message_is_the_human_text_and_the_class_has_its_own_field() -> None:
    @tool
    def restock(item: str) -> None:
        raise PantryError(f"we are out of {item} until Friday")

    @tool
    def mute() -> None:
        raise RuntimeError

    tools = ToolRegistry([restock, mute])
    error = (await tools.call("restock", {"item": "oat milk"}))["error"]
    assert error == {"type": "ToolExecutionError", "exception": "PantryError",
                     "message": "we are out of oat milk until Friday"}
    silent = (await tools.call("mute", {}))["error"]
    assert silent["exception"] == "RuntimeError"
    assert silent["message"] == "the tool failed without saying why"
    assert "Error" not in silent["message"]


@pytest.mark.anyio
async def test_unserialisable_result_is_an_error() -> None:
    result = await REGISTRY.call("not_json", {})
    assert result["error"]["type"] == "ToolExecutionError"
    assert "cannot be converted to JSON" in result["error"]["message"]


@pytest.mark.anyio
async def test_context_is_injected_and_state_persists() -> None:
    ctx = ToolContext(session_id="s1", user_id="ana")
    await REGISTRY.call("who", {}, context=ctx)
    result = await REGISTRY.call("who", {}, context=ctx)
    assert result == {"output": {"session": "s1", "user": "ana", "calls": 2}}
    default = await REGISTRY.call("who", {})
    assert default == {"output": {"session": "local", "user": "default", "calls": 1}}


@pytest.mark.anyio
async def test_async_timeout() -> None:
    never = anyio.Event()

    @tool(timeout=0.01)
    async def stuck() -> None:
        await never.wait()

    result = await ToolRegistry([stuck]).call("stuck", {})
    assert result["error"]["type"] == "ToolTimeoutError"
    assert "0.01 s" in result["error"]["message"]


@pytest.mark.anyio
async def test_sync_timeout_abandons_the_worker_thread() -> None:
    release = threading.Event()

    @tool(timeout=0.01)
    def stuck() -> str:
        release.wait()
        return "late"

    try:
        result = await ToolRegistry([stuck]).call("stuck", {})
    finally:
        release.set()
    assert result["error"]["type"] == "ToolTimeoutError"


@pytest.mark.anyio
async def test_tool_raising_timeouterror_is_an_execution_error() -> None:
    @tool(timeout=10)
    async def flaky() -> None:
        raise TimeoutError("upstream")

    result = await ToolRegistry([flaky]).call("flaky", {})
    assert result["error"]["type"] == "ToolExecutionError"
    assert result["error"]["exception"] == "TimeoutError"


@pytest.mark.anyio
async def test_cancellation_propagates_without_result() -> None:
    started = anyio.Event()
    cleaned_up = anyio.Event()
    results: list[dict[str, Any]] = []

    @tool
    async def long_job() -> str:
        started.set()
        try:
            await anyio.Event().wait()
        finally:
            cleaned_up.set()
        return "done"

    registry = ToolRegistry([long_job])

    async def run() -> None:
        results.append(await registry.call("long_job", {}))

    async with anyio.create_task_group() as tg:
        tg.start_soon(run)
        await started.wait()
        tg.cancel_scope.cancel()
    assert results == []
    assert cleaned_up.is_set()


@pytest.mark.anyio
async def test_cancelling_a_threaded_sync_call_propagates_and_abandons_the_thread() -> None:
    started = anyio.Event()
    release = threading.Event()
    finished = threading.Event()
    results: list[dict[str, Any]] = []

    @tool(timeout=None)
    def blocking_job() -> str:
        anyio.from_thread.run_sync(started.set)
        release.wait()
        finished.set()
        return "done"

    registry = ToolRegistry([blocking_job])

    async def run() -> None:
        results.append(await registry.call("blocking_job", {}))

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(run)
            await started.wait()
            tg.cancel_scope.cancel()
        assert results == []
        assert not finished.is_set()  # the call returned before the thread did
    finally:
        release.set()


@pytest.mark.anyio
async def test_bound_methods_can_be_tools() -> None:
    class Counter:
        def __init__(self) -> None:
            self.total = 0

        def bump(self, by: int = 1) -> int:
            """Increase the counter."""
            self.total += by
            return self.total

    counter = Counter()
    bump = tool(counter.bump)
    assert list(bump.parameters_json_schema["properties"]) == ["by"]
    assert await ToolRegistry([bump]).call("bump", {"by": 2}) == {"output": 2}
    assert counter.total == 2


@pytest.mark.anyio
async def test_cancelled_scope_around_a_call_is_reported_as_cancelled() -> None:
    started = anyio.Event()

    @tool
    async def long_job() -> None:
        started.set()
        await anyio.Event().wait()

    registry = ToolRegistry([long_job])
    with anyio.CancelScope() as scope:
        async with anyio.create_task_group() as tg:
            tg.start_soon(registry.call, "long_job", {})
            await started.wait()
            scope.cancel()
    assert scope.cancelled_caught


@pytest.mark.anyio
async def test_progress_from_a_worker_thread_runs_on_the_loop_thread() -> None:
    seen: list[tuple[str, int]] = []

    @tool
    def slow_search(query: str, ctx: ToolContext) -> int:
        ctx.progress(f"searching {query}")
        return threading.get_ident()

    ctx = ToolContext(on_progress=lambda m: seen.append((m, threading.get_ident())))
    result = await ToolRegistry([slow_search]).call("slow_search", {"query": "figs"}, ctx)
    assert seen == [("searching figs", threading.get_ident())]
    assert result["output"] != threading.get_ident()  # the tool itself ran in a worker thread


def test_progress_never_raises() -> None:
    def broken(message: str) -> None:
        raise RuntimeError(message)

    ToolContext(on_progress=broken).progress("hi")
    ToolContext().progress("no callback")
    seen: list[str] = []
    ToolContext(on_progress=seen.append).progress("direct")
    assert seen == ["direct"]


def test_registry_collection_api() -> None:
    assert len(REGISTRY) == 10
    assert REGISTRY.names()[:3] == ("echo", "inline", "async_double")
    assert "echo" in REGISTRY
    assert echo in REGISTRY
    assert "nope" not in REGISTRY
    assert REGISTRY.get("echo") is echo
    assert [t.name for t in REGISTRY] == list(REGISTRY.names())
    with pytest.raises(UnknownToolError, match="nope"):
        REGISTRY.get("nope")


def test_duplicates_are_rejected() -> None:
    with pytest.raises(DuplicateToolError, match="echo"):
        ToolRegistry([echo, tool(name="echo")(lambda: None)])
    registry = ToolRegistry([echo])
    with pytest.raises(DuplicateToolError):
        registry.add(echo)
    with pytest.raises(DuplicateToolError):
        registry + ToolRegistry([echo])


def test_add_wraps_plain_functions_and_works_as_decorator() -> None:
    registry = ToolRegistry()

    @registry.add
    def ping(n: int) -> int:
        return n

    assert isinstance(ping, Tool)
    assert ping(3) == 3
    assert registry.names() == ("ping",)


def test_merge() -> None:
    merged = ToolRegistry([echo]) + ToolRegistry([inline])
    assert merged.names() == ("echo", "inline")
    assert ToolRegistry([echo]).merge([boom]).names() == ("echo", "boom")


def test_declarations_and_to_json() -> None:
    @tool(scheduling="silent")
    def remember(fact: str) -> None:
        """Remember a fact.

        Args:
            fact: The fact.
        """

    registry = ToolRegistry([echo, remember])
    declarations = registry.declarations()
    assert all(isinstance(d, ToolDeclaration) for d in declarations)
    assert (declarations[1].behavior, declarations[1].scheduling) == ("non_blocking", "silent")
    dumped = registry.to_json()
    assert json.loads(json.dumps(dumped)) == dumped
    assert dumped[1] == {
        "name": "remember",
        "description": "Remember a fact.",
        "behavior": "NON_BLOCKING",
        "parametersJsonSchema": {
            "type": "object",
            "properties": {"fact": {"type": "string", "description": "The fact."}},
            "required": ["fact"],
            "additionalProperties": False,
        },
    }
    openapi = function_declaration(declarations[1], GEMINI_3, style="openapi").model_dump(
        mode="json", by_alias=True, exclude_none=True)
    assert openapi["parameters"] == {
        "type": "OBJECT",
        "properties": {"fact": {"type": "STRING", "description": "The fact."}},
        "propertyOrdering": ["fact"],
        "required": ["fact"],
    }
    converted = genai_tool(declarations, GEMINI_3)
    assert converted is not None and converted.function_declarations is not None
    assert [d.name for d in converted.function_declarations] == ["echo", "remember"]
    assert converted.function_declarations[0].behavior is genai_types.Behavior.BLOCKING
    assert converted.function_declarations[1].behavior is genai_types.Behavior.NON_BLOCKING
    assert function_declaration(declarations[1], GEMINI_25).behavior is None  # 2.5: blocking
