"""Sessions over a real uvicorn and a real WebSocket client, with the echoing fake backend."""

from __future__ import annotations

import asyncio
import math
import struct

import anyio
import pytest
from test_server_harness import (
    TIMEOUT,
    TURN_BYTES,
    EchoBackend,
    anyio_backend,
    client,
    echo_backend,
    eventually,
    run_server,
)

from voicelive.server.settings import ServerSettings

__all__ = ["anyio_backend", "echo_backend"]

pytestmark = pytest.mark.anyio


def tone(freq: float, seconds: float, amplitude: int = 6000) -> bytes:
    n = int(16000 * seconds)
    return struct.pack(
        f"<{n}h", *(int(amplitude * math.sin(2 * math.pi * freq * i / 16000)) for i in range(n))
    )


def tagged_chunks(pcm: bytes, chunk_bytes: int = 640) -> list[bytes]:
    return [b"\x01" + pcm[i : i + chunk_bytes] for i in range(0, len(pcm), chunk_bytes)]


async def test_full_turn_audio_in_tool_call_audio_out(echo_backend: EchoBackend) -> None:
    async with run_server(backend=echo_backend) as srv, client(srv.url) as c:
        await c.send(type="start", mode="audio", voice=None, user="ana")
        ready = await c.expect("ready")
        assert ready["backend"] == "echo"
        assert ready["model"] == "echo-1"
        assert (ready["input_rate"], ready["output_rate"]) == (16000, 24000)
        speech = tone(300, 0.6)
        for chunk in tagged_chunks(speech):
            await c.send_raw(chunk)
        call = await c.expect("tool_call")
        assert call["name"] == "remember"
        result = await c.expect("tool_result")
        assert result["ok"] is True
        assert result["result"]["user"] == "ana"
        assert result["result"]["session"] == ready["session_id"]
        mark = await c.expect("mark")
        done = await c.expect("turn_complete")
        assert "latency_ms" in done
        # The reply is the last TURN_BYTES the backend heard: our own speech, byte for byte.
        assert len(c.audio) == TURN_BYTES
        assert bytes(c.audio) in speech
        types = c.types()
        assert types.index("session_started") < types.index("user_transcript")
        assert types.index("tool_call") < types.index("tool_result") < types.index("mark")
        assert types.index("mark") < types.index("turn_complete")
        assert mark["name"] == "turn-1"
        await c.send(type="mark", name=mark["name"])
        await c.send(type="ping", id=7)
        assert (await c.expect("pong"))["id"] == 7


async def test_two_parallel_sessions_never_mix_users_or_audio(echo_backend: EchoBackend) -> None:
    speech = {"alice": tone(220, 0.6), "bob": tone(880, 0.6, amplitude=9000)}
    results: dict[str, tuple[dict[str, object], bytes]] = {}

    async def talk(srv_url: str, user: str) -> None:
        async with client(srv_url) as c:
            await c.send(type="start", mode="audio", user=user)
            await c.expect("ready")
            for chunk in tagged_chunks(speech[user]):
                await c.send_raw(chunk)
            result = await c.expect("tool_result")
            await c.expect("turn_complete")
            results[user] = (result["result"], bytes(c.audio))

    async with run_server(backend=echo_backend) as srv, anyio.create_task_group() as tg:
        tg.start_soon(talk, srv.url, "alice")
        tg.start_soon(talk, srv.url, "bob")
    assert set(results) == {"alice", "bob"}
    for user, (tool_result, audio) in results.items():
        assert tool_result["user"] == user
        assert tool_result["notes"] == [user]  # per-session tool state: only its own note
        assert audio in speech[user]
        other = "bob" if user == "alice" else "alice"
        assert audio not in speech[other]
    assert results["alice"][0]["session"] != results["bob"][0]["session"]
    assert {c.user_id for c in echo_backend.connections} == {"alice", "bob"}


async def test_anonymous_users_get_separate_state(echo_backend: EchoBackend) -> None:
    async with (
        run_server(backend=echo_backend) as srv,
        client(srv.url) as a,
        client(srv.url) as b,
    ):
        await a.send(type="start", mode="audio", user=None)
        await b.send(type="start", mode="audio")
        await a.expect("ready")
        await b.expect("ready")
    users = [c.user_id for c in echo_backend.connections]
    assert len(users) == 2 and users[0] != users[1]
    assert all(u.startswith("anon-") for u in users)


async def test_start_stop_restart_in_one_connection(echo_backend: EchoBackend) -> None:
    async with run_server(backend=echo_backend) as srv, client(srv.url) as c:
        await c.send(type="start", mode="audio", user="u1")
        first = await c.expect("ready")
        await c.send(type="text", text="hello")
        assert (await c.expect("assistant_transcript"))["text"] == "echo: hello"
        await c.expect("turn_complete")
        await c.send(type="stop")
        stopped = await c.expect("stopped")
        assert stopped["reason"] == "stopped"
        assert "session_closed" in c.types()
        assert srv.hub.slots.in_use == 0
        await c.send(type="start", mode="audio", user="u2")
        second = await c.expect("ready")
        assert second["session_id"] != first["session_id"]
        await c.send(type="text", text="again")
        assert (await c.expect("assistant_transcript"))["text"] == "echo: again"
    assert [conn.user_id for conn in echo_backend.connections] == ["u1", "u2"]
    assert echo_backend.connections[0].closed


async def test_interrupt_sends_clear_and_interrupted(echo_backend: EchoBackend) -> None:
    async with run_server(backend=echo_backend) as srv, client(srv.url) as c:
        await c.send(type="start", mode="audio")
        await c.expect("ready")
        await c.send(type="text", text="stream")
        while len(c.audio) < 4800:  # reply audio is flowing
            await c.read_one()
        await c.send(type="interrupt")
        await c.expect("clear")
        await c.expect("interrupted")
        assert c.types().index("clear") < c.types().index("interrupted")


async def test_session_limit_one_refuses_second_with_busy(echo_backend: EchoBackend) -> None:
    settings = ServerSettings(port=0, max_sessions=1)
    async with (
        run_server(settings, backend=echo_backend) as srv,
        client(srv.url) as a,
        client(srv.url) as b,
    ):
        await a.send(type="start", mode="audio")
        await a.expect("ready")
        await b.send(type="start", mode="audio")
        busy = await b.expect("error")
        assert busy["code"] == "busy"
        assert busy["retryable"] is True
        # b stays usable, and gets the slot once a stops
        await b.send(type="ping", id="still-here")
        assert (await b.expect("pong"))["id"] == "still-here"
        await a.send(type="stop")
        await a.expect("stopped")
        await b.send(type="start", mode="audio")
        assert (await b.expect("ready"))["backend"] == "echo"
    assert len(echo_backend.connections) == 2


async def test_backend_connect_failure_is_reported(echo_backend: EchoBackend) -> None:
    echo_backend.refuse()
    async with run_server(backend=echo_backend) as srv, client(srv.url) as c:
        await c.send(type="start", mode="audio")
        error = await c.expect("error")
        assert error["code"] == "session_failed"
        assert error["retryable"] is True
        assert (await c.expect("stopped"))["reason"] == "error"
        assert srv.hub.slots.in_use == 0
        echo_backend.refuse(False)
        await c.send(type="start", mode="audio")
        await c.expect("ready")


@pytest.mark.parametrize("how", ["close", "drop"])
async def test_disconnect_mid_turn_leaves_nothing_behind(
    echo_backend: EchoBackend, how: str
) -> None:
    async with run_server(backend=echo_backend) as srv:
        baseline = set(asyncio.all_tasks())
        async with client(srv.url) as c:
            await c.send(type="start", mode="audio")
            await c.expect("ready")
            await c.send(type="text", text="stream")
            while len(c.audio) < 9600:
                await c.read_one()
            assert srv.hub.slots.in_use == 1
            if how == "drop":  # a killed tab: the TCP connection vanishes, no close frame
                c.ws.transport.abort()
        # The client is gone mid-reply: the session and its backend connection end.
        conn = echo_backend.connections[0]
        with anyio.fail_after(TIMEOUT):
            await conn.wait_closed()
        await eventually(lambda: not (srv.hub.connections or srv.server.server_state.connections))
        assert srv.hub.slots.in_use == 0
        leftover = {t for t in asyncio.all_tasks() if t not in baseline and not t.done()}
        leftover.discard(asyncio.current_task())  # type: ignore[arg-type,unused-ignore]
        assert leftover == set()
        body, _ = srv.hub.metrics.render()
        assert b"voicelive_sessions_active 0.0" in body
        assert b"voicelive_connections_active 0.0" in body
