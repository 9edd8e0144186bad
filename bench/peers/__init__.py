"""Third-party Gemini Live clients run against LiveEmulator, each in its own virtual environment.

They pin google-genai versions other than ours, so they never enter the test dependencies:
:func:`bench.peers.venvs.ensure_peer_venv` builds (once) and reuses a venv per peer under
``~/.cache/voicelive-bench/peers/NAME``. See docs/emulator.md.
"""
