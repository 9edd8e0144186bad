"""The Gemini Live backend: the only package that imports google.genai (beside voicelive.testing).

Modules, each with one job:

* :mod:`~voicelive.backends.gemini.backend`: :class:`GeminiBackend` (Gemini API or Vertex AI).
* :mod:`~voicelive.backends.gemini.connection`: :class:`GeminiConnection`, one conversation.
* :mod:`~voicelive.backends.gemini.outbox`: the send side (send now, or hold and replay).
* :mod:`~voicelive.backends.gemini.inbound`: what one server message does (events, state).
* :mod:`~voicelive.backends.gemini.sockets`: opening, hand-over, reconnects, closing.
* :mod:`~voicelive.backends.gemini.families`: what differs per model family, in one table.
* :mod:`~voicelive.backends.gemini.setup`: the ``setup`` message per family.
* :mod:`~voicelive.backends.gemini.declarations`: tool declarations and responses.
* :mod:`~voicelive.backends.gemini.schema`: JSON schema to the OpenAPI-subset ``types.Schema``.
* :mod:`~voicelive.backends.gemini.mapping`: server messages to events.
* :mod:`~voicelive.backends.gemini.turns`: which ``turnComplete`` ends the user's turn.
* :mod:`~voicelive.backends.gemini.wire`: audio and server messages on the socket.
* :mod:`~voicelive.backends.gemini.handover`: hand-over, reconnect and backlog decisions.
* :mod:`~voicelive.backends.gemini.errors`: foreign exceptions to voicelive's.
"""

from voicelive.backends.gemini.backend import GeminiBackend
from voicelive.backends.gemini.connection import GeminiConnection
from voicelive.backends.gemini.errors import map_error
from voicelive.backends.gemini.families import (
    DEFAULT_MODEL,
    FAMILIES,
    GEMINI_3,
    GEMINI_25,
    ModelFamily,
    family_of,
)

__all__ = [
    "DEFAULT_MODEL",
    "FAMILIES",
    "GEMINI_3",
    "GEMINI_25",
    "GeminiBackend",
    "GeminiConnection",
    "ModelFamily",
    "family_of",
    "map_error",
]
