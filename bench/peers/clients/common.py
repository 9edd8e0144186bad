"""Shared by the peer client programs: the user's audio, the tool, the report line.

Imported by path from inside a peer venv, so it uses the standard library only.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from typing import Any

USER_RATE = 16000
TOOL_NAME = "lookup_calories"
TOOL_DESCRIPTION = "Look up the energy of one serving of a food, in kilocalories."
KCAL = {"banana": 105, "apple": 95}


def user_speech(seconds: float = 1.0) -> bytes:
    """A tone standing in for the user's question (the emulator counts bytes, not words)."""
    frames = int(USER_RATE * seconds)
    return b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 220 * i / USER_RATE)))
        for i in range(frames)
    )


def lookup_calories(food: str) -> dict[str, Any]:
    """The tool every peer declares; an informative result (status, value, reason)."""
    kcal = KCAL.get(food.lower())
    if kcal is None:
        return {"status": "error", "retryable": False, "reason": f"no entry for {food}"}
    return {"status": "ok", "food": food, "kcal": kcal}


def report(**fields: Any) -> None:
    """Print the one JSON line the driver reads, then flush."""
    print("PEER-RESULT " + json.dumps(fields), flush=True)


def chunks(data: bytes, size: int = 3200) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def fail(message: str) -> None:
    report(ok=False, error=message)
    sys.exit(1)
