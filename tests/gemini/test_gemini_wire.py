"""The two wires of the Gemini backend: direct JSON on the SDK's socket, and the SDK fallback.

Both run the real, unpatched google-genai client against LiveEmulator over TLS. The direct wire
must give exactly the events the SDK path gives, choose the fallback when the SDK's socket is
not where it expects it, and skip malformed server messages without ending the conversation.
"""

from __future__ import annotations

import base64
import json
from typing import Any, cast

import pytest
from gemini_helpers import StandInTools, connected, no_leaks, pcm, until_turn_complete
from google.genai import live as genai_live
from websockets.asyncio.client import ClientConnection

from voicelive.backends.gemini import GeminiConnection
from voicelive.backends.gemini.mapping import interpret
from voicelive.backends.gemini.wire import (
    DirectWire,
    SdkWire,
    decode_base64,
    encode_audio,
    open_wire,
    parse_message,
    socket_of,
)
from voicelive.config import SessionConfig
from voicelive.events import (
    AssistantTranscript,
    AudioOut,
    Event,
    GoAway,
    Interrupted,
    Resumed,
    ToolCall,
    ToolCallCancellation,
    TurnComplete,
    Usage,
    UserTranscript,
)
from voicelive.testing import messages as m
from voicelive.testing.emulator import LiveEmulator
from voicelive.testing.script import on_audio, on_setup, on_tool_response, then


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


USER = pcm(4800, seed=1)
REPLY = pcm(4000, seed=2)
REPLY_16K = pcm(1000, seed=3)
AFTER_HANDOVER = pcm(2400, seed=4)

# Every kind of server message the backend maps, a text part it skips, a receive() generator
# that ends at each turn, and a goAway hand-over onto a second socket.
SCRIPT = [
    on_audio(len(USER), m.input_transcript("add two and three", finished=True),
             m.tool_call("c1", "add", {"a": 2, "b": 3})),
    on_tool_response(
        "c1",
        m.tool_call_cancellation("gone"),
        m.resumption_update("h1"),
        m.audio(REPLY[:2000]),
        m.text("a text part is skipped"),
        m.audio(REPLY[2000:]),
        m.audio(REPLY_16K, rate=16000),
        m.output_transcript("five", finished=True),
        m.generation_complete(),
        m.usage(10, 20),
        m.interrupted(),
        m.turn_complete(),
    ),
    then(m.go_away(30)),
    on_setup(m.audio(AFTER_HANDOVER), m.turn_complete()),
]

EXPECTED: list[Event] = [
    UserTranscript(text="add two and three", final=True),
    ToolCall(id="c1", name="add", args={"a": 2, "b": 3}),
    ToolCallCancellation(ids=("gone",)),
    AudioOut(data=REPLY[:2000], sample_rate=24000),
    AudioOut(data=REPLY[2000:], sample_rate=24000),
    AudioOut(data=REPLY_16K, sample_rate=16000),
    AssistantTranscript(text="five", final=True),
    Usage(prompt_tokens=10, response_tokens=20, total_tokens=30),
    Interrupted(),
    TurnComplete(),
    GoAway(time_left_s=30.0),
    Resumed(handle="h1"),
    AudioOut(data=AFTER_HANDOVER, sample_rate=24000),
    TurnComplete(),
]


class SendSpy:
    """Counts audio sent through the SDK's public ``send_realtime_input``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.audio_calls = 0
        original = genai_live.AsyncSession.send_realtime_input

        async def spy(session: genai_live.AsyncSession, **kwargs: Any) -> None:
            if kwargs.get("audio") is not None:
                self.audio_calls += 1
            await original(session, **kwargs)

        monkeypatch.setattr(genai_live.AsyncSession, "send_realtime_input", spy)


async def play(conn: GeminiConnection) -> list[Event]:
    """Send the user audio, answer the tool call, collect events through two turns."""
    events = conn.events()
    for i in range(0, len(USER), 1600):
        await conn.send_audio(USER[i : i + 1600])
    seen: list[Event] = []
    async for event in events:
        seen.append(event)
        if isinstance(event, ToolCall):
            await conn.send_tool_result(event.id, event.name, {"output": 5})
        if isinstance(event, TurnComplete):
            break
    seen += await until_turn_complete(events)
    return seen


@pytest.mark.anyio
@pytest.mark.parametrize("direct", [True, False], ids=["direct", "sdk"])
async def test_both_wires_give_the_same_events_for_the_same_script(
    direct: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = SendSpy(monkeypatch)
    async with no_leaks(), LiveEmulator(SCRIPT, profile="scripted") as emu:
        backend = emu.backend(direct_wire=direct)
        async with backend.connect(SessionConfig(), StandInTools()) as conn:
            assert conn.wire_path == ("direct" if direct else "sdk")
            seen = await play(conn)
            assert conn.handovers == 1 and conn.ignored_messages == 0
            assert conn.wire_path == ("direct" if direct else "sdk")  # the new socket too
        assert emu.audio() == USER
        assert emu.tool_responses() == [
            {"id": "c1", "name": "add", "response": {"status": "ok", "output": 5}}]
    assert seen == EXPECTED
    assert spy.audio_calls == (0 if direct else len(USER) // 1600)


class WrappedSocket:
    """What a future SDK might keep as ``_ws``: something that is not a websockets connection."""

    def __init__(self, inner: ClientConnection) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.mark.anyio
async def test_the_sdk_path_is_used_when_the_socket_has_another_shape(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    original_init = genai_live.AsyncSession.__init__

    def init(self: genai_live.AsyncSession, api_client: Any, websocket: Any,
             **kwargs: Any) -> None:
        original_init(self, api_client, cast(Any, WrappedSocket(websocket)), **kwargs)

    monkeypatch.setattr(genai_live.AsyncSession, "__init__", init)
    monkeypatch.setattr("voicelive.backends.gemini.wire._announced", set())
    spy = SendSpy(monkeypatch)
    reply = pcm(2400, seed=9)
    script = [on_audio(3200, m.audio(reply), m.turn_complete())]
    caplog.set_level("INFO", logger="voicelive.backends.gemini.wire")
    async with no_leaks(), connected(script) as (emu, conn):
        assert conn.wire_path == "sdk"
        events = conn.events()
        await conn.send_audio(USER[:3200])
        turn = await until_turn_complete(events)
        assert turn == [AudioOut(data=reply, sample_rate=24000), TurnComplete()]
        assert emu.audio() == USER[:3200]
    assert spy.audio_calls == 1
    assert any("AsyncSession._ws" in r.getMessage() for r in caplog.records)


def test_open_wire_falls_back_when_the_private_attribute_is_absent() -> None:
    class NoSocket:
        pass

    session = cast(genai_live.AsyncSession, NoSocket())
    assert socket_of(session) is None
    wire = open_wire(session)
    assert isinstance(wire, SdkWire) and wire.path == "sdk" and wire.session is session


@pytest.mark.anyio
async def test_open_wire_takes_the_direct_path_on_a_real_session() -> None:
    async with connected([]) as (_emu, conn):
        wire = conn._wire
        assert isinstance(wire, DirectWire) and wire.path == "direct"
        assert isinstance(open_wire(wire.session, direct=False), SdkWire)


MALFORMED: list[Any] = [
    ["a", "list"],  # not an object
    {"somethingNew": {"x": 1}},  # unknown top-level field
    {"serverContent": ["not", "an", "object"]},
    {"serverContent": {"modelTurn": {"parts": [
        "not a part",
        {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "***not base64***"}},
        {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": 12}},
    ]}}},
    {"toolCall": {"functionCalls": "not a list"}},
]


@pytest.mark.anyio
@pytest.mark.parametrize("direct", [True, False], ids=["direct", "sdk"])
async def test_malformed_messages_are_skipped_and_counted(direct: bool) -> None:
    reply = pcm(2400, seed=7)
    script = [
        on_audio(3200, *cast(list[m.ServerMessage], MALFORMED)),
        then(m.audio(reply), m.turn_complete()),
    ]
    async with no_leaks(), connected(script, direct_wire=direct) as (emu, conn):
        events = conn.events()
        await conn.send_audio(USER[:3200])
        turn = await until_turn_complete(events)
        assert turn == [AudioOut(data=reply, sample_rate=24000), TurnComplete()]
        assert conn.ignored_messages == len(MALFORMED)
        assert conn.reconnects == 0 and emu.connections == 1


@pytest.mark.anyio
async def test_invalid_json_text_is_skipped_on_the_direct_wire() -> None:
    class FakeSocket:
        def __init__(self, frames: list[bytes]) -> None:
            self.frames = frames

        async def recv(self, decode: bool | None = None) -> bytes:
            return self.frames.pop(0)

    frames = [b"{not json", b"\xff\xfe", b'"a string"', json.dumps(m.turn_complete()).encode()]
    wire = DirectWire(cast(genai_live.AsyncSession, None), cast(Any, FakeSocket(frames)))
    got = [await wire.receive() for _ in range(4)]
    assert got == [None, None, None, m.turn_complete()]


def test_interpret_lists_what_it_ignored_and_keeps_what_it_can_read() -> None:
    meaning = interpret({
        "serverContent": {
            "inputTranscription": {"text": 5},  # wrong type: no event
            "modelTurn": {"parts": [
                {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "AAEC"}},
                {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "@@@"}},
            ]},
            "turnComplete": True,
        },
        "usageMetadata": {"promptTokenCount": "many", "totalTokenCount": 4},
        "goAway": {"timeLeft": {"seconds": 3}},
        "extra": 1,
    })
    assert meaning.events == [
        AudioOut(data=b"\x00\x01\x02", sample_rate=24000),
        Usage(prompt_tokens=0, response_tokens=0, total_tokens=4),  # before the turn ends
        TurnComplete(),
        GoAway(time_left_s=0.0),
    ]
    assert meaning.ignored == ["inlineData.data", "extra"]


def test_interpret_reads_snake_case_and_raw_bytes_like_the_sdk() -> None:
    camel = interpret({"serverContent": {"modelTurn": {"parts": [
        {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "AAEC"}}]},
        "turnComplete": True}, "sessionResumptionUpdate": {"newHandle": "h", "resumable": True}})
    snake = interpret({"server_content": {"model_turn": {"parts": [
        {"inline_data": {"mime_type": "audio/pcm;rate=24000", "data": b"\x00\x01\x02"}}]},
        "turn_complete": True}, "session_resumption_update": {"new_handle": "h",
                                                             "resumable": True}})
    assert camel.events == snake.events == [AudioOut(data=b"\x00\x01\x02"), TurnComplete()]
    assert camel.resumption == snake.resumption == ("h", True)


def test_audio_is_encoded_as_the_live_api_expects() -> None:
    chunk = pcm(1280)
    message = json.loads(encode_audio(chunk))
    assert message == {"realtimeInput": {"audio": {
        "mimeType": "audio/pcm;rate=16000", "data": base64.b64encode(chunk).decode()}}}
    assert m.normalize(message)["realtime_input"]["audio"]["data"] == chunk


@pytest.mark.parametrize("text", [
    base64.b64encode(b"\xfb\xff\xbf\x00").decode(),
    base64.urlsafe_b64encode(b"\xfb\xff\xbf\x00").decode(),
    base64.urlsafe_b64encode(b"\xfb\xff\xbf\x00").decode().rstrip("="),
])
def test_base64_in_either_alphabet_padded_or_not(text: str) -> None:
    assert decode_base64(text) == b"\xfb\xff\xbf\x00"


@pytest.mark.parametrize("text", ["a!b=", "ümlaut", "abc=d"])
def test_bad_base64_raises_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="base64"):
        decode_base64(text)


def test_parse_message_accepts_objects_only() -> None:
    assert parse_message(b'{"a": 1}') == {"a": 1}
    assert parse_message('{"a": 1}') == {"a": 1}
    assert parse_message(b"[1]") is None and parse_message(b"") is None

