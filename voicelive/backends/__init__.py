"""Backends: the model side of a session (Gemini Live, or the offline local cascade)."""

from voicelive.backends.base import Backend, BackendConnection

__all__ = ["Backend", "BackendConnection"]
