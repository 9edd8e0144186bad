"""Phone calls through Twilio: the voice webhook, Media Streams, transfer to a person.

Set ``ServerSettings.public_url`` (``voicelive serve --public-url``) and point a Twilio number's
voice webhook at ``<public url>/twilio/voice``; docs/telephony.md walks through it.
"""

from voicelive.server.telephony.routes import Telephony, mount_telephony
from voicelive.server.telephony.transfer import RestTransfer, TransferError, transfer_to_human

__all__ = ["RestTransfer", "Telephony", "TransferError", "mount_telephony", "transfer_to_human"]
