"""Telephony decisions without sockets: Twilio frames, the playback ledger, TwiML."""

from __future__ import annotations

import base64
import json

from hypothesis import given
from hypothesis import strategies as st

from voicelive.server.telephony.frames import (
    BadFrame,
    CallAudio,
    CallStarted,
    CallStopped,
    Ignored,
    MarkEcho,
    StreamState,
    clear_message,
    mark_message,
    media_message,
)
from voicelive.server.telephony.playback import PlaybackLedger
from voicelive.server.telephony.twiml import (
    caller_id,
    connect_twiml,
    dial_twiml,
    public_endpoint,
    stream_url,
)

START = json.dumps({"event": "start", "streamSid": "MZ1", "start": {
    "streamSid": "MZ1", "callSid": "CA1", "customParameters": {"caller": "phone-x"},
    "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1}}})


def media(payload: str) -> str:
    return json.dumps({"event": "media", "streamSid": "MZ1", "media": {"payload": payload}})


def test_a_call_in_order() -> None:
    state = StreamState()
    assert state.receive('{"event": "connected", "protocol": "Call"}') == Ignored("connected")
    assert state.receive(START) == CallStarted("MZ1", "CA1", {"caller": "phone-x"})
    audio = state.receive(media(base64.b64encode(b"\xff\x80").decode()))
    assert audio == CallAudio(b"\x00\x00" + (32124).to_bytes(2, "little", signed=True))
    assert state.receive('{"event": "mark", "mark": {"name": "a-1-1"}}') == MarkEcho("a-1-1")
    assert state.receive('{"event": "dtmf", "dtmf": {"digit": "5"}}') == Ignored("dtmf")
    assert state.receive('{"event": "stop", "stop": {}}') == CallStopped()
    assert not state.bad


def test_bad_frames_are_named_and_counted() -> None:
    state = StreamState()
    assert state.receive(media("AAAA")) == BadFrame("order", "'media' before 'start'")
    state.receive(START)
    cases = {
        "[1, 2]": "json", "nope": "json", '{"event": "jump"}': "event",
        media("**"): "base64", '{"event": "media"}': "media", '{"event": "mark"}': "mark",
        START: "order", "x" * 70_000: "size",
    }
    for text, reason in cases.items():
        result = state.receive(text)
        assert isinstance(result, BadFrame) and result.reason == reason, text[:40]
    assert sum(state.bad.values()) == len(cases) + 1


def test_other_media_formats_are_refused() -> None:
    state = StreamState()
    start = json.loads(START)
    start["start"]["mediaFormat"] = {"encoding": "audio/l16", "sampleRate": 16000}
    result = state.receive(json.dumps(start))
    assert isinstance(result, BadFrame) and result.reason == "format"
    assert state.stream_sid is None


def test_outgoing_messages() -> None:
    assert json.loads(media_message("MZ1", b"\x01\x02")) == {
        "event": "media", "streamSid": "MZ1", "media": {"payload": "AQI="}}
    assert json.loads(mark_message("MZ1", "m")) == {
        "event": "mark", "streamSid": "MZ1", "mark": {"name": "m"}}
    assert json.loads(clear_message("MZ1")) == {"event": "clear", "streamSid": "MZ1"}


def test_ledger_heard_all_of_a_reply() -> None:
    ledger = PlaybackLedger()
    names = [ledger.audio_sent(100) for _ in range(3)]
    end = ledger.reply_ended()
    assert end is not None
    assert [ledger.echo(n) for n in names] == ["heard"] * 3
    assert ledger.heard_ms(1) == 300
    assert ledger.echo(end) == "reply_heard"
    [done] = ledger.finished
    assert (done.reply, done.sent_ms, done.heard_ms, done.interrupted) == (1, 300, 300, False)


def test_ledger_knows_where_a_cut_reply_stopped() -> None:
    ledger = PlaybackLedger()
    names = [ledger.audio_sent(100) for _ in range(5)]
    ledger.echo(names[0])
    ledger.echo(names[1])
    [cut] = ledger.cleared()
    assert (cut.sent_ms, cut.heard_ms, cut.interrupted) == (500, 200, True)
    assert [ledger.echo(n) for n in names[2:]] == ["flushed"] * 3  # Twilio flushes them
    assert ledger.unknown == 0 and ledger.reply == 2
    assert ledger.echo("a-7-77") == "unknown" and ledger.unknown == 1


def test_ledger_an_echo_that_skips_marks_counts_them_played() -> None:
    ledger = PlaybackLedger()
    names = [ledger.audio_sent(50) for _ in range(3)]
    assert ledger.echo(names[2]) == "out_of_order"
    assert ledger.out_of_order == 1 and ledger.heard_ms(1) == 150 and ledger.pending == 0


@given(st.lists(st.sampled_from(["audio", "end", "echo", "clear"]), max_size=60))
def test_ledger_never_hears_more_than_was_sent(steps: list[str]) -> None:
    ledger = PlaybackLedger()
    sent: list[str] = []
    for step in steps:
        if step == "audio":
            sent.append(ledger.audio_sent(20))
        elif step == "end":
            end = ledger.reply_ended()
            if end is not None:
                sent.append(end)
        elif step == "echo" and sent:
            assert ledger.echo(sent.pop(0)) in ("heard", "reply_heard", "flushed")
        elif step == "clear":
            ledger.cleared()
        for reply in range(1, ledger.reply + 1):
            assert 0 <= ledger.heard_ms(reply) <= ledger.sent_ms(reply) or (
                ledger.sent_ms(reply) == 0)
        for done in ledger.finished:
            assert done.heard_ms <= done.sent_ms
    assert ledger.unknown == 0


def test_twiml_and_urls() -> None:
    assert stream_url("https://a.example/x/") == "wss://a.example/x/twilio/stream"
    assert stream_url("http://127.0.0.1:8000") == "ws://127.0.0.1:8000/twilio/stream"
    assert public_endpoint("https://a.example", "/twilio/voice", "k=1") == (
        "https://a.example/twilio/voice?k=1")
    doc = connect_twiml("wss://a.example/twilio/stream", {"caller": 'x"<y'})
    assert doc.startswith('<?xml version="1.0" encoding="UTF-8"?><Response><Connect>')
    assert 'value="x&quot;&lt;y"' in doc  # escaped
    assert dial_twiml("+15550100").endswith("<Response><Dial>+15550100</Dial></Response>")
    assert caller_id("+15550100") == caller_id(" +15550100 ") != caller_id("+15550101")
    assert caller_id(None) == "phone-anonymous"
