"""Keep bearer tokens out of the logs: ``?token=...`` in uvicorn's access lines is redacted.

Browsers cannot set an ``Authorization`` header on a WebSocket, so the page may carry its token
in the URL (``/ws?token=T``), and uvicorn writes every request line at INFO. The filter installed
here rewrites the arguments of those records (``token=[redacted]``) before any handler sees
them; wrong tokens are redacted too.
"""

from __future__ import annotations

import logging

from voicelive.server.policy import redact_tokens

__all__ = ["TOKEN_LOGGERS", "RedactTokens", "install_token_redaction"]

TOKEN_LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn")
"""The loggers that print request paths."""


class RedactTokens(logging.Filter):
    """A logging filter that replaces ``token=...`` in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never drops it."""
        if isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_tokens(a) if isinstance(a, str) else a for a in record.args
            )
        elif isinstance(record.args, dict):
            record.args = {
                k: redact_tokens(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


def install_token_redaction(names: tuple[str, ...] = TOKEN_LOGGERS) -> None:
    """Put one :class:`RedactTokens` filter on each named logger (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
