"""Twilio's side of Media Streams, played over a real WebSocket against the real server."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from telephony_harness import PhoneBackend, the_call, tone_pcm, twilio
from test_server_harness import anyio_backend, eventually, run_server
from websockets.exceptions import ConnectionClosed

from voicelive.server.settings import ServerSettings

__all__ = ["anyio_backend"]

pytestmark = pytest.mark.anyio

PUBLIC = "http://127.0.0.1:9"  # what Twilio would be told; never dialled in these tests


def settings(**extra: object) -> ServerSettings:
    return ServerSettings(port=0, public_url=PUBLIC, **extra)


def caller_speech(ms: int = 800) -> bytes:
    return tone_pcm(ms, 8000)


async def test_caller_audio_in_reply_audio_out_as_mulaw() -> None:
    backend = PhoneBackend(hold_first=False)
    async with run_server(settings(), backend=backend) as srv, twilio(
        f"ws://127.0.0.1:{srv.port}/twilio/stream"
    ) as tw:
        await tw.connected_and_start(caller="phone-abc")
        await tw.say(caller_speech())
        end = await tw.until("mark", echo=True)
        while not end["mark"]["name"].startswith("end-"):
            end = await tw.until("mark", echo=True)
        call = the_call(srv.hub)
        await eventually(lambda: call.ledger.finished)
        assert backend.configs[0].user_id == "phone-abc"
        assert call.state.bad == {}
    reply = np.frombuffer(tw.audio(), dtype="<i2")
    assert 0.9 * 16000 <= reply.size <= 1.1 * 16000  # the 2 s reply, resampled to 8 kHz
    assert float(np.abs(reply).max()) > 4000  # the tone survived mu-law, not silence
    assert all(m["streamSid"] == tw.stream_sid for m in tw.received)
    heard = call.ledger.finished[0]
    assert not heard.interrupted
    assert heard.heard_ms == pytest.approx(heard.sent_ms) == pytest.approx(2000, rel=0.05)


async def test_marks_follow_their_media_and_come_back_in_order() -> None:
    backend = PhoneBackend(hold_first=False)
    async with run_server(settings(), backend=backend) as srv, twilio(
        f"ws://127.0.0.1:{srv.port}/twilio/stream"
    ) as tw:
        await tw.connected_and_start()
        await tw.say(caller_speech())
        names: list[str] = []
        positions: list[float] = []
        call = None
        while not names or not names[-1].startswith("end-"):
            message = await tw.next()
            if message["event"] == "mark":
                name = message["mark"]["name"]
                assert tw.received[-2]["event"] in ("media", "mark")
                names.append(name)
                await tw.echo_mark(name)
                call = call or the_call(srv.hub)
                await eventually(lambda: not call.ledger.is_pending(name))  # noqa: B023
                positions.append(call.ledger.heard_ms(1) if not name.startswith("end-")
                                 else call.ledger.finished[-1].heard_ms)
        assert call is not None
        # every media frame is followed by its mark; numbering is increasing
        kinds = [m["event"] for m in tw.received]
        assert kinds[: 2 * (len(names) - 1)] == ["media", "mark"] * (len(names) - 1)
        numbers = [int(n.rsplit("-", 1)[1]) for n in names]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
        assert positions == sorted(positions) and positions[0] > 0
        assert call.ledger.out_of_order == 0 and call.ledger.unknown == 0
        # an echo of a mark never sent is counted, and the call goes on
        await tw.echo_mark("a-99-999")
        await eventually(lambda: call.state.bad.get("mark") == 1)


async def test_barge_in_sends_clear_before_any_further_media() -> None:
    backend = PhoneBackend(hold_first=True)
    async with run_server(settings(), backend=backend) as srv, twilio(
        f"ws://127.0.0.1:{srv.port}/twilio/stream"
    ) as tw:
        await tw.connected_and_start()
        await tw.say(caller_speech())
        # the long reply arrives; the caller hears its first 5 chunks only
        marks: list[str] = []
        while len(marks) < 20:  # 2 s of reply in 100 ms chunks, each with a mark
            message = await tw.next()
            if message["event"] == "mark":
                marks.append(message["mark"]["name"])
        for name in marks[:5]:
            await tw.echo_mark(name)
        call = the_call(srv.hub)
        await eventually(lambda: call.ledger.heard_ms(1) > 0 and call.ledger.pending == 15)
        medias = [m for m in tw.received if m["event"] == "media"]
        heard_ms = len(tw.audio(medias[:5])) / 2 / 8  # 8 samples per ms at 8 kHz
        before = len(tw.received)
        await tw.say(caller_speech())  # the caller talks over the reply
        first = await tw.next()
        while first["event"] == "mark":
            first = await tw.next()
        assert first == {"event": "clear", "streamSid": tw.stream_sid}
        for name in marks[5:]:  # Twilio echoes the marks it flushed
            await tw.echo_mark(name)
        end = await tw.until("mark", echo=True)
        while not end["mark"]["name"].startswith("end-"):
            end = await tw.until("mark", echo=True)
        after = tw.received[before:]
        kinds = [m["event"] for m in after]
        assert "media" in kinds and kinds.index("clear") < kinds.index("media")
        await eventually(lambda: len(call.ledger.finished) == 2)
        cut, second = call.ledger.finished
        assert cut.interrupted and cut.reply == 1
        assert cut.sent_ms == pytest.approx(2000, rel=0.05)
        assert cut.heard_ms == pytest.approx(heard_ms)  # cut where the caller stopped hearing
        assert not second.interrupted and second.heard_ms == pytest.approx(400, rel=0.1)
        assert call.ledger.unknown == 0  # the flushed echoes were expected


async def test_stop_ends_the_session_with_nothing_left_running() -> None:
    backend = PhoneBackend(hold_first=True)
    async with run_server(settings(), backend=backend) as srv, twilio(
        f"ws://127.0.0.1:{srv.port}/twilio/stream"
    ) as tw:
        await tw.connected_and_start()
        await tw.say(caller_speech())
        await tw.until("media")
        assert srv.hub.slots.in_use == 1
        await tw.stop()
        with pytest.raises(ConnectionClosed):
            while True:
                await tw.next()
        await eventually(lambda: not srv.hub.connections)
        assert srv.hub.slots.in_use == 0
        assert backend.connections[0].closed.is_set()
        metrics = srv.hub.metrics.render()[0].decode()
        assert "voicelive_sessions_active 0.0" in metrics
        assert "voicelive_connections_active 0.0" in metrics


async def test_bad_frames_are_counted_and_the_call_goes_on() -> None:
    backend = PhoneBackend(hold_first=False)
    async with run_server(settings(), backend=backend) as srv, twilio(
        f"ws://127.0.0.1:{srv.port}/twilio/stream"
    ) as tw:
        payload = base64.b64encode(b"\xff" * 160).decode()
        await tw.send(event="media", streamSid=tw.stream_sid, media={"payload": payload})
        await tw.connected_and_start()
        await tw.send(event="media", streamSid=tw.stream_sid, media={"payload": "%%not b64%%"})
        await tw.send(event="dance", streamSid=tw.stream_sid)
        await tw.ws.send("{not json")
        await tw.ws.send(b"\x00\x01")
        await tw.send(event="mark", streamSid=tw.stream_sid, mark={})
        call = the_call(srv.hub)
        await eventually(lambda: sum(call.state.bad.values()) == 6)
        assert dict(call.state.bad) == {
            "order": 1, "base64": 1, "event": 1, "json": 1, "binary": 1, "mark": 1,
        }
        await tw.say(caller_speech())  # the call goes on: a turn still gets its reply
        await tw.until("media")
        metrics = srv.hub.metrics.render()[0].decode()
        for code in ("order", "base64", "event", "json", "binary", "mark"):
            assert f'voicelive_protocol_errors_total{{code="twilio_{code}"}} 1.0' in metrics


async def test_calls_share_the_session_limit() -> None:
    backend = PhoneBackend(hold_first=True)
    async with run_server(settings(max_sessions=1), backend=backend) as srv:
        async with twilio(f"ws://127.0.0.1:{srv.port}/twilio/stream") as first:
            await first.connected_and_start()
            await eventually(lambda: srv.hub.slots.in_use == 1)
            async with twilio(f"ws://127.0.0.1:{srv.port}/twilio/stream") as second:
                await second.connected_and_start()
                with pytest.raises(ConnectionClosed):
                    while True:
                        await second.next()
            assert srv.hub.slots.in_use == 1  # the first call still runs
            await first.say(caller_speech())
            await first.until("media")
        metrics = srv.hub.metrics.render()[0].decode()
        assert 'voicelive_sessions_rejected_total{reason="busy"} 1.0' in metrics
