"""Numbers spoken as words, as digits (moved to :mod:`.understand.numbers`; kept for imports)."""

from __future__ import annotations

from .understand.numbers import normalize_numbers, parse_number

__all__ = ["normalize_numbers", "parse_number"]
