"""Import optional dependencies on first use, with an error that names the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from voicelive.exceptions import MissingExtraError

__all__ = ["require"]


def require(module: str, *, extra: str, feature: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming ``voicelive[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(feature, extra, module) from exc
