"""The two Twilio endpoints, mounted on the app when ``ServerSettings.public_url`` is set.

``POST /twilio/voice`` is the number's voice webhook: it answers with TwiML connecting the call
to ``wss://<public host>/twilio/stream``, with the caller's id (a hash of the number) as a
stream parameter. ``/twilio/stream`` is the Media Streams WebSocket; each connection is one call
with its own :class:`~voicelive.LiveSession`. With an auth token configured, both check
``X-Twilio-Signature`` over the public URL Twilio requested and refuse a bad one (403 on the
webhook, close 1008 on the stream).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import Response

from voicelive.server.hub import SessionHub
from voicelive.server.settings import ServerSettings
from voicelive.server.telephony.call import TwilioCall
from voicelive.server.telephony.transfer import RestTransfer, transfer_from_settings
from voicelive.server.telephony.twiml import (
    STREAM_PATH,
    VOICE_PATH,
    caller_id,
    connect_twiml,
    public_endpoint,
    signature_ok,
    stream_url,
)

__all__ = ["Telephony", "mount_telephony"]

log = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 64 * 1024
"""Largest webhook body read (Twilio's are about 1-2 kB); a bigger one gets 413."""


@dataclass(frozen=True, slots=True)
class Telephony:
    """The telephony settings of one app.

    Attributes:
        public_url: Base URL Twilio reaches the server at.
        auth_token: Twilio auth token, when signatures are checked.
        transfer: The REST transfer, when a number and credentials are configured.
    """

    public_url: str
    auth_token: str | None
    transfer: RestTransfer | None


def mount_telephony(
    app: FastAPI, hub: SessionHub, settings: ServerSettings, *, transfer: RestTransfer | None = None
) -> Telephony | None:
    """Add ``/twilio/voice`` and ``/twilio/stream`` to ``app`` (nothing when no public URL).

    Args:
        app: The FastAPI app.
        hub: Its session hub.
        settings: Its settings; ``public_url`` switches telephony on.
        transfer: The transfer to use; built from the settings when ``None``.

    Returns:
        The telephony settings in use, or ``None`` when telephony is off.
    """
    if not settings.public_url:
        return None
    telephony = Telephony(
        public_url=settings.public_url,
        auth_token=settings.twilio_auth_token,
        transfer=transfer if transfer is not None else transfer_from_settings(settings),
    )
    if telephony.auth_token is None:
        log.warning("telephony without TWILIO_AUTH_TOKEN: webhook signatures are not checked")

    @app.post(VOICE_PATH)
    async def twilio_voice(request: Request) -> Response:
        body = b""
        async for chunk in request.stream():  # read no more than the bound
            body += chunk
            if len(body) > MAX_WEBHOOK_BYTES:
                hub.metrics.protocol_error("twilio_webhook_size")
                return Response("request too large\n", status_code=413)
        params = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        if telephony.auth_token is not None:
            url = public_endpoint(telephony.public_url, VOICE_PATH, request.url.query)
            if not signature_ok(telephony.auth_token, url, params,
                                request.headers.get("x-twilio-signature")):
                hub.metrics.rejected("twilio_signature")
                log.warning("refused /twilio/voice: missing or bad X-Twilio-Signature")
                return Response("forbidden\n", status_code=403)
        twiml = connect_twiml(stream_url(telephony.public_url),
                              {"caller": caller_id(params.get("From"))})
        return Response(twiml, media_type="application/xml")

    @app.websocket(STREAM_PATH)
    async def twilio_stream(websocket: WebSocket) -> None:
        if telephony.auth_token is not None:
            url = stream_url(telephony.public_url)
            if websocket.url.query:
                url += "?" + websocket.url.query
            if not signature_ok(telephony.auth_token, url, {},
                                websocket.headers.get("x-twilio-signature")):
                hub.metrics.rejected("twilio_signature")
                log.warning("refused /twilio/stream: missing or bad X-Twilio-Signature")
                await websocket.close(code=1008)
                return
        await TwilioCall(websocket, hub, telephony).serve()

    return telephony
