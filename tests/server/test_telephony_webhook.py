"""``POST /twilio/voice`` and the stream handshake: TwiML, and signatures computed with the
``twilio`` package; the transfer's REST call checked against a stand-in of Twilio's API."""

from __future__ import annotations

import base64

import httpx
import pytest
from telephony_harness import PhoneBackend, StandInApi, tone_pcm, twilio
from test_server_harness import anyio_backend, eventually, run_server
from twilio.request_validator import RequestValidator
from websockets.exceptions import ConnectionClosed, InvalidStatus

from voicelive.exceptions import ConfigError
from voicelive.server.app import create_app
from voicelive.server.settings import ServerSettings
from voicelive.server.telephony.twiml import caller_id, dial_twiml

__all__ = ["anyio_backend"]

pytestmark = pytest.mark.anyio

TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC = "https://voice.example.test/assistant"
FORM = {"CallSid": "CA42", "AccountSid": "AC42", "From": "+15550001111", "To": "+15550002222"}


def signed_settings(**extra: object) -> ServerSettings:
    return ServerSettings(port=0, public_url=PUBLIC, twilio_auth_token=TOKEN,
                          **extra)


async def test_valid_signature_gets_twiml_connecting_the_stream() -> None:
    url = f"{PUBLIC}/twilio/voice"
    signature = RequestValidator(TOKEN).compute_signature(url, FORM)
    async with run_server(signed_settings(), backend=PhoneBackend()) as srv, \
            httpx.AsyncClient(base_url=srv.http) as http:
        response = await http.post("/twilio/voice", data=FORM, headers={
            "X-Twilio-Signature": signature, "Host": "voice.example.test"})  # as Twilio sends
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    body = response.text
    assert '<Connect><Stream url="wss://voice.example.test/assistant/twilio/stream">' in body
    assert f'<Parameter name="caller" value="{caller_id("+15550001111")}" />' in body
    assert "+15550001111" not in body  # the number itself stays in the webhook


async def test_bad_or_missing_signature_gets_403() -> None:
    url = f"{PUBLIC}/twilio/voice"
    wrong = RequestValidator("another-token-0123456789").compute_signature(url, FORM)
    tampered = RequestValidator(TOKEN).compute_signature(url, {**FORM, "From": "+1999"})
    async with run_server(signed_settings(), backend=PhoneBackend()) as srv, \
            httpx.AsyncClient(base_url=srv.http) as http:
        for headers in ({"X-Twilio-Signature": wrong}, {"X-Twilio-Signature": tampered}, {}):
            response = await http.post("/twilio/voice", data=FORM, headers=headers)
            assert response.status_code == 403
            assert "Stream" not in response.text
        metrics = srv.hub.metrics.render()[0].decode()
    assert 'voicelive_sessions_rejected_total{reason="twilio_signature"} 3.0' in metrics


async def test_stream_handshake_signature_is_checked() -> None:
    stream = "wss://voice.example.test/assistant/twilio/stream"
    good = RequestValidator(TOKEN).compute_signature(stream, {})
    async with run_server(signed_settings(), backend=PhoneBackend(hold_first=False)) as srv:
        url = f"ws://127.0.0.1:{srv.port}/twilio/stream"
        with pytest.raises((InvalidStatus, ConnectionClosed)):
            async with twilio(url, additional_headers={"X-Twilio-Signature": "bad"}) as tw:
                await tw.next()
        async with twilio(url, additional_headers={"X-Twilio-Signature": good}) as tw:
            await tw.connected_and_start()
            await tw.say(tone_pcm(800, 8000))
            assert (await tw.until("media"))["streamSid"] == tw.stream_sid


def test_public_telephony_needs_the_auth_token() -> None:
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN"):
        create_app(ServerSettings(public_url=PUBLIC, twilio_auth_token=None),
                   backend=PhoneBackend())


async def test_transfer_says_so_then_redirects_the_call_with_dial() -> None:
    with StandInApi() as api:
        settings = ServerSettings(
            port=0, public_url="http://127.0.0.1:9", twilio_auth_token=TOKEN,
            twilio_account_sid="AC0123", transfer_number="+15550009999", twilio_api_url=api.url,
        )
        backend = PhoneBackend(tool="transfer_to_human")
        stream = "ws://127.0.0.1:9/twilio/stream"
        signature = RequestValidator(TOKEN).compute_signature(stream, {})
        async with run_server(settings, backend=backend) as srv, twilio(
            f"ws://127.0.0.1:{srv.port}/twilio/stream",
            additional_headers={"X-Twilio-Signature": signature},
        ) as tw:
            await tw.connected_and_start()
            await tw.say(tone_pcm(800, 8000))
            end = await tw.until("mark", echo=True)
            while not end["mark"]["name"].startswith("end-"):
                assert not api.requests  # not before the caller heard the announcement
                end = await tw.until("mark", echo=True)
            with pytest.raises(ConnectionClosed):  # the server ends the stream after it
                while True:
                    await tw.next()
            await eventually(lambda: not srv.hub.connections)
            assert srv.hub.slots.in_use == 0
        assert "transfer_to_human" in backend.tool_names[0]
        assert backend.connections[0].results[0]["output"]["status"] == "transferring"
        assert backend.connections[0].closed.is_set()
        assert len(api.requests) == 1
        request = api.requests[0]
        assert request.path == f"/2010-04-01/Accounts/AC0123/Calls/{tw.call_sid}.json"
        expected_auth = base64.b64encode(f"AC0123:{TOKEN}".encode()).decode()
        assert request.headers["Authorization"] == f"Basic {expected_auth}"
        assert request.form["Twiml"] == [dial_twiml("+15550009999")]
        assert "<Dial>+15550009999</Dial>" in request.form["Twiml"][0]


async def test_transfer_refused_by_twilio_keeps_the_call() -> None:
    with StandInApi() as api:
        api.status = 400
        settings = ServerSettings(
            port=0, public_url="http://127.0.0.1:9", twilio_account_sid="AC0123",
            twilio_auth_token=TOKEN, transfer_number="+15550009999", twilio_api_url=api.url,
        )
        stream = "ws://127.0.0.1:9/twilio/stream"
        signature = RequestValidator(TOKEN).compute_signature(stream, {})
        backend = PhoneBackend(tool="transfer_to_human")
        async with run_server(settings, backend=backend) as srv, twilio(
            f"ws://127.0.0.1:{srv.port}/twilio/stream",
            additional_headers={"X-Twilio-Signature": signature},
        ) as tw:
            await tw.connected_and_start()
            await tw.say(tone_pcm(800, 8000))
            end = await tw.until("mark", echo=True)
            while not end["mark"]["name"].startswith("end-"):
                end = await tw.until("mark", echo=True)
            await eventually(lambda: len(api.requests) == 1)
            await tw.say(tone_pcm(800, 8000))  # still connected: the next turn is answered
            await tw.until("media")
            assert srv.hub.slots.in_use == 1


async def test_an_oversized_webhook_gets_413() -> None:
    async with run_server(signed_settings(), backend=PhoneBackend()) as srv, \
            httpx.AsyncClient(base_url=srv.http) as http:
        response = await http.post("/twilio/voice", content=b"x=" + b"y" * 70_000,
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
