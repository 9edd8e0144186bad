"""The pure decision code of the server, driven without sockets or sleeps."""

from __future__ import annotations

import importlib
import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import voicelive.server
from voicelive.exceptions import MissingExtraError
from voicelive.server.outbound import OutboundQueue
from voicelive.server.policy import (
    RateLimiter,
    SessionSlots,
    origin_allowed,
    token_from_request,
    token_ok,
)
from voicelive.server.protocol import (
    AudioIn,
    FrameIn,
    ProtocolViolation,
    StartMessage,
    parse_binary,
    parse_text,
)
from voicelive.server.settings import is_loopback, resolve_backend_name
from voicelive.server.state import (
    ClientState,
    Close,
    ForwardAudio,
    Ignore,
    Phase,
    Refuse,
    Start,
    Stop,
)

# --- admission and rate -------------------------------------------------------------------


def test_session_slots_refuse_over_the_limit_and_reopen() -> None:
    slots = SessionSlots(2)
    assert slots.acquire("a") and slots.acquire("b")
    assert not slots.acquire("c")
    assert slots.acquire("a")  # a holder asking again keeps its slot
    slots.release("a")
    assert slots.acquire("c")
    assert slots.in_use == 2
    slots.release("nobody")
    assert slots.in_use == 2
    with pytest.raises(ValueError):
        SessionSlots(0)


def test_rate_limiter_allows_burst_then_rate() -> None:
    limiter = RateLimiter(rate=10, burst=3, now=0.0)
    assert [limiter.allow(0.0) for _ in range(4)] == [True, True, True, False]
    assert not limiter.allow(0.05)
    assert limiter.allow(0.15)  # one token came back after 100 ms
    assert limiter.rejected == 2
    assert limiter.should_warn(0.2) and not limiter.should_warn(0.5) and limiter.should_warn(1.3)


@given(st.lists(st.floats(min_value=0, max_value=0.5), max_size=200))
def test_rate_limiter_never_exceeds_burst_plus_rate(gaps: list[float]) -> None:
    limiter = RateLimiter(rate=20, burst=5, now=0.0)
    now, allowed = 0.0, 0
    for gap in gaps:
        now += gap
        allowed += limiter.allow(now)
    assert allowed <= 5 + 20 * now + 1e-6


@pytest.mark.parametrize(
    ("origin", "host", "allowed", "ok"),
    [
        (None, "x:1", (), True),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", (), True),
        ("http://127.0.0.1:8001", "127.0.0.1:8000", (), False),
        ("https://example.org", "example.org", (), True),
        ("http://evil.example", "example.org", (), False),
        ("http://localhost:5173", "127.0.0.1:8000", ("http://localhost:5173/",), True),
        ("http://anything", "h", ("*",), True),
        ("null", "h", (), False),
        ("http://[::1", "h", (), False),
    ],
)
def test_origin_allowed(origin: str | None, host: str, allowed: tuple[str, ...], ok: bool) -> None:
    assert origin_allowed(origin, host, allowed) is ok


def test_tokens() -> None:
    assert token_from_request({"authorization": "Bearer abc"}, "token=zzz") == "abc"
    assert token_from_request({}, "a=1&token=zzz") == "zzz"
    assert token_from_request({"authorization": "Basic abc"}, "") is None
    assert token_ok(None, None)
    assert not token_ok("secret-1", None)
    assert not token_ok("secret-1", "secret-2")
    assert token_ok("secret-1", "secret-1")


def test_loopback_and_backend_choice() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("[::1]")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
    assert resolve_backend_name(None, {}) == "local"
    assert resolve_backend_name(None, {"GOOGLE_API_KEY": "k"}) == "gemini"
    assert resolve_backend_name("local", {"GEMINI_API_KEY": "k"}) == "local"


# --- parsing ------------------------------------------------------------------------------


def test_parse_text_messages() -> None:
    start = parse_text('{"type":"start","mode":"screen","voice":null,"user":"ana","x":1}')
    assert isinstance(start, StartMessage)
    assert (start.mode, start.voice, start.user) == ("screen", None, "ana")
    with pytest.raises(ProtocolViolation) as info:
        parse_text('{"type":"start","user":""}')
    assert info.value.code == "invalid_message" and "user" in info.value.message


def test_parse_binary_messages() -> None:
    assert parse_binary(b"\x01\x01\x02") == AudioIn(b"\x01\x02")
    assert parse_binary(b"\x02\xff\xd8\xff") == FrameIn(b"\xff\xd8\xff")


@given(st.text(max_size=200))
def test_parse_text_never_raises_anything_else(text: str) -> None:
    try:
        parse_text(text)
    except ProtocolViolation as violation:
        assert violation.code in {"invalid_json", "invalid_message", "unknown_type"}
        assert violation.close_code is None


@given(st.binary(max_size=64))
def test_parse_binary_never_raises_anything_else(data: bytes) -> None:
    try:
        item = parse_binary(data)
    except ProtocolViolation as violation:
        assert violation.code in {"empty_message", "unknown_tag", "bad_audio", "bad_frame"}
    else:
        if isinstance(item, AudioIn):
            assert len(item.pcm) % 2 == 0 and item.pcm


# --- the connection state machine ---------------------------------------------------------


def make_state(**kwargs: float) -> ClientState:
    options: dict[str, float] = {"max_message_bytes": 1000, "rate": 1000.0, "burst": 1000}
    options.update(kwargs)
    return ClientState(
        max_message_bytes=int(options["max_message_bytes"]),
        rate=options["rate"],
        burst=int(options["burst"]),
        now=0.0,
    )


def test_state_lifecycle() -> None:
    state = make_state()
    refused = state.receive_bytes(b"\x01\x00\x00", 0.0)
    assert isinstance(refused, Refuse) and refused.violation.code == "not_started"
    assert isinstance(state.receive_text('{"type":"start"}', 0.0), Start)
    assert state.phase is Phase.STARTING
    not_ready = state.receive_text('{"type":"text","text":"hi"}', 0.0)
    assert isinstance(not_ready, Refuse) and not_ready.violation.code == "not_ready"
    assert isinstance(state.receive_bytes(b"\x01\x00\x00", 0.0), ForwardAudio)
    state.session_live()
    again = state.receive_text('{"type":"start"}', 0.0)
    assert isinstance(again, Refuse) and again.violation.code == "already_started"
    assert isinstance(state.receive_text('{"type":"stop"}', 0.0), Stop)
    assert state.phase.value == "stopping"
    state.session_ended()
    assert isinstance(state.receive_text('{"type":"start"}', 0.0), Start)
    state.start_refused()
    assert state.phase.value == "idle"


def test_state_size_and_rate() -> None:
    state = make_state(rate=1.0, burst=2)
    big = state.receive_bytes(b"\x01" + b"\x00" * 2000, 0.0)
    assert isinstance(big, Close) and big.code == 1009
    state = make_state(rate=1.0, burst=2)
    ping = json.dumps({"type": "ping", "id": 1})
    actions = [state.receive_text(ping, 0.0) for _ in range(4)]
    assert [type(a).__name__ for a in actions] == ["Pong", "Pong", "Refuse", "Ignore"]
    assert not isinstance(state.receive_text(ping, 1.5), Refuse)
    assert not isinstance(state.receive_text(ping, 3.0), Ignore)


# --- the outgoing queue -------------------------------------------------------------------


def test_outbound_queue_drops_oldest_audio_and_keeps_controls() -> None:
    queue = OutboundQueue(max_audio_bytes=10)
    queue.push_audio(b"aaaa")
    queue.push_control("c1")
    queue.push_audio(b"bbbb")
    assert queue.push_audio(b"cccc") == 1  # "aaaa" goes
    assert [queue.pop() for _ in range(4)] == ["c1", b"bbbb", b"cccc", None]
    assert queue.stats.dropped_chunks == 1 and queue.stats.dropped_bytes == 4
    queue.push_audio(b"dd")
    queue.push_control("clear")
    assert queue.clear_audio() == 1
    assert queue.pop() == "clear" and queue.audio_bytes == 0


def test_outbound_control_overflow_marks_the_client_stalled() -> None:
    queue = OutboundQueue(max_audio_bytes=10, max_controls=2)
    assert queue.push_control("a") and queue.push_control("b")
    assert not queue.push_control("c")
    assert queue.overflowed


@given(st.lists(st.one_of(st.binary(min_size=1, max_size=40), st.text(max_size=3)), max_size=80))
def test_outbound_queue_is_bounded_and_ordered(items: list[bytes | str]) -> None:
    queue = OutboundQueue(max_audio_bytes=100, max_controls=1000)
    for item in items:
        if isinstance(item, bytes):
            queue.push_audio(item)
        else:
            queue.push_control(item)
        assert queue.audio_bytes <= 100 or len([i for i in items if isinstance(i, bytes)]) == 0
    out: list[bytes | str] = []
    while (popped := queue.pop()) is not None:
        out.append(popped)
    assert [i for i in out if isinstance(i, str)] == [i for i in items if isinstance(i, str)]
    audio_out = [i for i in out if isinstance(i, bytes)]
    audio_in = [i for i in items if isinstance(i, bytes)]
    assert len(audio_out) + queue.stats.dropped_chunks == len(audio_in)
    assert audio_out == audio_in[len(audio_in) - len(audio_out) :]  # the newest survive


# --- the optional extra -------------------------------------------------------------------


def test_missing_fastapi_names_the_server_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)  # "not installed"
    monkeypatch.delitem(sys.modules, "voicelive.server.app", raising=False)
    with pytest.raises(MissingExtraError, match=r"voicelive\[server\]"):
        importlib.import_module("voicelive.server.app")
    with pytest.raises(MissingExtraError, match="fastapi"):
        voicelive.server.create_app  # noqa: B018 - the lazy attribute imports the app module
    assert voicelive.server.ServerSettings(port=0).max_sessions == 8  # settings need no extra
