"""Run third-party Gemini Live clients against LiveEmulator through one scripted tool turn.

Each peer runs in its own venv (built on first use by :func:`bench.peers.venvs.ensure_peer_venv`)
because it pins its own google-genai. The emulator runs here, in this process, with the profile
of the peer's model; the peer connects over TLS through ``GOOGLE_GEMINI_BASE_URL`` and
``SSL_CERT_FILE``, hears a question, calls ``lookup_calories``, sends the result and receives
the spoken answer. A peer passes when the emulator got the tool result (with the value) and the
peer reports all of the reply audio.

    python -m bench.peers.run            # every peer
    python -m bench.peers.run adk-2.5    # one
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.peers.venvs import ensure_peer_venv
from voicelive.testing import LiveEmulator
from voicelive.testing import messages as m
from voicelive.testing.script import Step, on_audio, on_tool_response

CLIENTS = Path(__file__).parent / "clients"
RUN_TIMEOUT_S = 240
"""Longest one peer run may take (its own start-up included) before it counts as failed."""

REPLY = bytes(range(256)) * 96  # 24,576 bytes: about half a second at 24 kHz
ANSWER = "A banana has about a hundred and five calories."


@dataclass(frozen=True, slots=True)
class Peer:
    """One third-party client run.

    Attributes:
        name: The run's name (``adk-2.5`` ...).
        venv: The peer venv's name (runs of one package share it).
        requirements: What that venv installs.
        client: The program in ``bench/peers/clients/`` run with the venv's Python.
        model: The model the client asks for (it picks the emulator's profile).
        known_issue: A defect of the peer this run reproduces; when set, the run is expected
            to fail and is reported as "known issue" rather than counted as a failure.
    """

    name: str
    venv: str
    requirements: tuple[str, ...]
    client: str
    model: str
    known_issue: str = ""


ADK = ("google-adk==2.13.0",)
PIPECAT = ("pipecat-ai[google]==1.14.0",)
LIVEKIT = ("livekit-agents==1.8.9", "livekit-plugins-google==1.8.9")

PEERS = [
    Peer("adk-2.5", "adk", ADK, "adk_client.py", "gemini-2.5-flash-native-audio-preview-12-2025"),
    Peer("adk-3", "adk", ADK, "adk_client.py", "gemini-3.8-live"),
    Peer("pipecat-2.5", "pipecat", PIPECAT, "pipecat_client.py",
         "gemini-2.5-flash-native-audio-preview-12-2025"),
    Peer("pipecat-3", "pipecat", PIPECAT, "pipecat_client.py", "gemini-3.8-live",
         known_issue="Pipecat 1.14 plays only parts[0] of a server message (gemini_live/llm.py "
         "_handle_msg_model_turn); 3.x sends several parts in one message, so later audio "
         "parts are lost"),
    Peer("livekit", "livekit", LIVEKIT, "livekit_client.py",
         "gemini-2.5-flash-native-audio-preview-12-2025"),
    Peer("livekit-3", "livekit", LIVEKIT, "livekit_client.py", "gemini-3.1-flash-live-preview"),
]


def tool_script() -> list[Step]:
    """The conversation every peer goes through (the profile adds each family's habits)."""
    half = len(REPLY) // 2
    return [
        on_audio(
            16000,
            m.input_transcript("so how many calories would a banana have", finished=True),
            m.tool_call("call-1", "lookup_calories", {"food": "banana"}),
        ),
        on_tool_response(
            "call-1",
            m.audio(REPLY[:half]),
            m.output_transcript(ANSWER),
            m.audio(REPLY[half:]),
            m.generation_complete(),
            m.turn_complete(),
        ),
    ]


def _result_line(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith("PEER-RESULT "):
            parsed = json.loads(line.removeprefix("PEER-RESULT "))
            return parsed if isinstance(parsed, dict) else None
    return None


def run_peer(peer: Peer) -> dict[str, Any]:
    """Build (or reuse) the peer's venv, run it against a fresh emulator, check both sides."""
    python = ensure_peer_venv(peer.venv, list(peer.requirements))
    started = time.perf_counter()
    with LiveEmulator(tool_script()) as emu:
        env = {
            **os.environ,
            **emu.env(),
            "GOOGLE_API_KEY": emu.api_key or "test-key",
            "GOOGLE_GENAI_USE_VERTEXAI": "false",
        }
        env.pop("PYTHONPATH", None)
        try:
            done = subprocess.run(
                [str(python), str(CLIENTS / peer.client), peer.model],
                env=env,
                capture_output=True,
                text=True,
                timeout=RUN_TIMEOUT_S,
                check=False,
            )
            stdout, stderr, code = done.stdout, done.stderr, done.returncode
        except subprocess.TimeoutExpired as exc:
            stdout = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else ""
            stderr, code = f"timed out after {RUN_TIMEOUT_S} s", -1
        responses = emu.tool_responses()
        profiles = emu.profile_names()
        audio_in = len(emu.audio())
        kinds = sorted({r.kind for r in emu.received})
        input_fields = sorted({k for body in emu.realtime_inputs() for k in body})
    peer_report = _result_line(stdout) or {}
    got_value = any(
        r.get("id") == "call-1" and "105" in json.dumps(r.get("response")) for r in responses
    )
    ok = bool(
        code == 0
        and peer_report.get("ok")
        and got_value
        and peer_report.get("reply_audio_bytes") == len(REPLY)
    )
    return {
        "peer": peer.name,
        "ok": ok,
        "model": peer.model,
        "profile": ",".join(profiles),
        "user_audio_bytes_at_emulator": audio_in,
        "client_message_kinds": kinds,
        "realtime_input_fields": input_fields,
        "tool_result_at_emulator": got_value,
        "peer_report": peer_report,
        "seconds": round(time.perf_counter() - started, 1),
        "exit_code": code,
        "stderr_tail": "" if ok or peer.known_issue else "\n".join(stderr.splitlines()[-25:]),
    }


def main(names: list[str] | None = None) -> int:
    chosen = names if names is not None else sys.argv[1:]
    peers = [p for p in PEERS if not chosen or p.name in chosen]
    unknown = sorted(set(chosen) - {p.name for p in PEERS})
    if unknown:
        print(f"unknown peer(s) {', '.join(unknown)}; choose from {[p.name for p in PEERS]}")
        return 2
    failed = known = 0
    for peer in peers:
        result = run_peer(peer)
        if peer.known_issue:
            result["known_issue"] = peer.known_issue
            result["status"] = "known issue reproduced" if not result["ok"] else "known issue gone"
            known += 1
        else:
            result["status"] = "passed" if result["ok"] else "FAILED"
            failed += not result["ok"]
        print(json.dumps(result, indent=2))
    passed = len(peers) - failed - known
    print(f"{passed} passed, {failed} failed, {known} known issue(s) run")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
