"""The FastAPI WebSocket server: many isolated live sessions behind one ``/ws`` endpoint.

``ServerSettings`` needs only pydantic; ``create_app`` and ``serve`` import FastAPI and uvicorn on
first use and raise :class:`~voicelive.exceptions.MissingExtraError` naming ``voicelive[server]``
when they are missing. The wire protocol is documented in ``docs/protocol.md`` and modelled in
:mod:`voicelive.server.protocol`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from voicelive.server.settings import ServerSettings

if TYPE_CHECKING:
    from voicelive.server.app import create_app
    from voicelive.server.run import serve

__all__ = ["ServerSettings", "create_app", "serve"]

_LAZY = {"create_app": "voicelive.server.app", "serve": "voicelive.server.run"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'voicelive.server' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
