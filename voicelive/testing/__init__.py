"""Test helpers that ship with voicelive: a Gemini Live emulator and a scripted backend."""

from voicelive.testing.fakes import Await, Fail, ScriptedBackend, ScriptedConnection

__all__ = ["Await", "Fail", "ScriptedBackend", "ScriptedConnection"]
