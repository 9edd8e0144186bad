"""Hand a caller to a person: the ``transfer_to_human`` tool and Twilio's REST redirect.

The tool only asks for the transfer: it tells the assistant to say that it is transferring, and
the call (:mod:`~voicelive.server.telephony.call`) waits until the caller has heard that reply
(its end mark came back), then redirects the live call with ``<Dial>`` TwiML through Twilio's
REST API (``Calls(sid).update(twiml=...)``) and ends the session. The ``twilio`` client is
blocking, so the redirect runs in a worker thread.

:func:`rebased_http_client` makes a client that sends its requests to another base URL than
``https://api.twilio.com``: a stand-in of the API in tests, or a proxy.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from voicelive.exceptions import VoiceLiveError
from voicelive.server.telephony.twiml import dial_twiml
from voicelive.tools import Tool, ToolContext, tool

if TYPE_CHECKING:
    from voicelive.server.settings import ServerSettings

__all__ = [
    "CALL_CONTROL_KEY",
    "CallControl",
    "RestTransfer",
    "TransferError",
    "rebased_http_client",
    "transfer_from_settings",
    "transfer_to_human",
]

log = logging.getLogger(__name__)

CALL_CONTROL_KEY = "voicelive.telephony.call"
"""Key of the :class:`CallControl` in a call session's ``ToolContext.state``."""

REST_TIMEOUT_S = 10.0
"""Seconds one REST request to Twilio may take."""


class TransferError(VoiceLiveError):
    """Twilio refused or did not answer the redirect of a call."""


class CallControl(Protocol):
    """What a tool may ask of the phone call it serves."""

    def request_transfer(self) -> bool:
        """Transfer the caller once the current reply has been heard; ``False`` if impossible."""
        ...


@tool(
    thread=False,
    timeout=5,
    templates=[
        "(transfer|put) me (to|through to) (a|an|the) (person|human|agent|operator|someone)",
        "[can i|i want to|i'd like to|let me] (talk|speak) (to|with) (a|an|the|some) "
        "(person|human|agent|operator|representative)",
        "(i want|get me|give me) (a|an|the) (person|human|agent|operator|representative)",
    ],
)
def transfer_to_human(ctx: ToolContext, reason: str = "") -> dict[str, Any]:
    """Transfer the caller to a person on the team (phone calls only).

    Use it when the caller asks for a human, or when you cannot help. Say that you are
    transferring them; the call is handed over once they have heard that.

    Args:
        ctx: Injected call context; carries the phone call.
        reason: Why the caller wants a person, in a few words (optional).
    """
    control: CallControl | None = ctx.state.get(CALL_CONTROL_KEY)
    if control is None or not control.request_transfer():
        return {
            "status": "unavailable",
            "summary": "I'm sorry, I can't transfer you to a person from here.",
        }
    log.info("session %s: transfer to a person requested", ctx.session_id)
    return {
        "status": "transferring",
        "summary": "Of course. I'm transferring you to someone on our team now, please hold.",
    }


class RestTransfer:
    """Redirects live calls to ``number`` with Twilio's REST API.

    Args:
        account_sid: The Twilio account SID.
        auth_token: The account's auth token.
        number: Where to dial (E.164).
        api_url: Base URL of the API; Twilio's own when ``None``.
        http_client: A ``twilio.http.HttpClient``; one built for ``api_url`` when ``None``.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        number: str,
        *,
        api_url: str | None = None,
        http_client: Any = None,
    ) -> None:
        from twilio.rest import Client

        if http_client is None:
            http_client = rebased_http_client(api_url) if api_url else _default_http_client()
        self.number = number
        self.client = Client(account_sid, auth_token, http_client=http_client)

    @property
    def tool(self) -> Tool[..., Any]:
        """The ``transfer_to_human`` tool to offer on calls."""
        return transfer_to_human

    def redirect(self, call_sid: str) -> None:
        """Redirect the call to ``<Dial>number</Dial>``; blocking.

        Raises:
            TransferError: Twilio refused the request or could not be reached.
        """
        from twilio.base.exceptions import TwilioException

        try:
            self.client.calls(call_sid).update(twiml=dial_twiml(self.number))
        except TwilioException as exc:
            raise TransferError(f"Twilio refused the transfer: {type(exc).__name__}") from exc
        except OSError as exc:
            raise TransferError(f"Twilio could not be reached: {type(exc).__name__}") from exc


def _default_http_client() -> Any:
    from twilio.http.http_client import TwilioHttpClient

    return TwilioHttpClient(timeout=REST_TIMEOUT_S)


def _rebased_class() -> type[Any]:
    from twilio.http.http_client import TwilioHttpClient

    class _Rebased(TwilioHttpClient):  # type: ignore[misc]
        def __init__(self, base_url: str) -> None:
            super().__init__(timeout=REST_TIMEOUT_S)
            self.base = urlsplit(base_url.rstrip("/"))

        def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
            parts = urlsplit(url)
            rebased = urlunsplit((self.base.scheme, self.base.netloc,
                                  self.base.path + parts.path, parts.query, ""))
            return super().request(method, rebased, *args, **kwargs)

    return _Rebased


def rebased_http_client(base_url: str) -> Any:
    """A ``TwilioHttpClient`` that sends every request to ``base_url`` instead of Twilio."""
    return _rebased_class()(base_url)


def transfer_from_settings(settings: ServerSettings) -> RestTransfer | None:
    """The transfer the settings allow, or ``None`` when a number, SID or token is missing."""
    if not (settings.transfer_number and settings.twilio_account_sid
            and settings.twilio_auth_token):
        return None
    return RestTransfer(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        settings.transfer_number,
        api_url=settings.twilio_api_url,
    )
