"""The per-call context a tool can ask for by annotating a parameter with :class:`ToolContext`.

A parameter typed ``ToolContext`` is filled in by :meth:`voicelive.tools.ToolRegistry.call` and
never appears in the schema the model sees. Build one directly to call your tools in tests::

    ctx = ToolContext(session_id="test", user_id="ana")
    result = await registry.call("log_meal", {"food": "apple"}, context=ctx)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio.from_thread
import anyio.lowlevel

__all__ = ["ProgressCallback", "ToolContext"]

_log = logging.getLogger(__name__)

ProgressCallback = Callable[[str], object]
"""A function that receives progress messages; its return value is ignored."""


@dataclass(kw_only=True, eq=False)
class ToolContext:
    """What a tool knows about the call it serves.

    The context is shared by every tool call of one session, so ``state`` is the place for
    per-session memory (a cart, a draft, the last search). It is not thread-safe by itself: sync
    tools run in worker threads, so guard shared structures if two calls may run at once.

    Attributes:
        session_id: Identifier of the live session (``"local"`` outside a session).
        user_id: Whose data the tool works on (``SessionConfig.user_id`` in a session).
        state: Mutable per-session state, shared by every call with this context.
        on_progress: Called with each message passed to :meth:`progress`; optional.
    """

    session_id: str = "local"
    user_id: str = "default"
    state: dict[str, Any] = field(default_factory=dict)
    on_progress: ProgressCallback | None = None
    _loop_thread: int | None = field(default=None, init=False, repr=False)
    _loop_token: anyio.lowlevel.EventLoopToken | None = field(
        default=None, init=False, repr=False
    )

    def progress(self, message: str) -> None:
        """Report progress of a long-running call; never raises.

        When the call runs in a worker thread (a sync tool), the callback is still run on the
        event loop thread, so a callback may safely touch async objects (``send_nowait`` on a
        memory stream, for instance).

        Args:
            message: A short human-readable status, e.g. ``"searching 3 databases"``.
        """
        callback = self.on_progress
        if callback is None:
            return
        try:
            token = self._loop_token
            if token is not None and threading.get_ident() != self._loop_thread:
                anyio.from_thread.run_sync(callback, message, token=token)
            else:
                callback(message)
        except Exception:
            _log.debug("progress callback of session %s failed", self.session_id, exc_info=True)

    def bind_event_loop(self) -> None:
        """Remember the running event loop so worker threads can route progress to it.

        :meth:`ToolRegistry.call <voicelive.tools.ToolRegistry.call>` does this for you; call it
        yourself only when you run tools some other way. Must be called from async code.
        """
        self._loop_thread = threading.get_ident()
        self._loop_token = anyio.lowlevel.current_token()
