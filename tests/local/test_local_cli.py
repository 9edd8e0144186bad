"""`voicelive ask` and `voicelive demo` with no API key use the offline backend end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from voicelive.audio import PCM16_16K, read_wav, write_wav


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GEMINI_API_KEY", "GOOGLE_API_KEY")}
    return subprocess.run([sys.executable, "-m", "voicelive.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_ask_without_a_key_runs_the_offline_turn(tmp_path: Path, say: Any) -> None:
    write_wav(tmp_path / "question.wav", say("I skipped my lunch today."), PCM16_16K)
    done = cli("ask", "question.wav", "--out", "reply.wav", "--events", "ev.jsonl",
               "--db", "days.sqlite3", "--user", "ada", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in (tmp_path / "ev.jsonl").read_text().splitlines()]
    kinds = [e["type"] for e in events]
    assert kinds[0] == "session_started" and events[0]["backend"] == "local"
    for kind in ("user_transcript", "tool_call", "tool_result", "assistant_transcript",
                 "turn_complete"):
        assert kind in kinds, kinds
    assert kinds[-1] == "session_closed"
    call = next(e for e in events if e["type"] == "tool_call")
    assert call["name"] == "missed_meal" and call["args"] == {"meal": "lunch"}
    done_turn = next(e for e in events if e["type"] == "turn_complete")
    assert isinstance(done_turn["latency_ms"], float) and done_turn["latency_ms"] > 0
    pcm, fmt = read_wav(tmp_path / "reply.wav")
    assert fmt.sample_rate == 24000 and len(pcm) > fmt.bytes_per_second // 2


def test_demo_speaks_a_whole_turn(tmp_path: Path) -> None:
    done = cli("demo", "--out", "demo.wav", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "log_activity" in done.stdout
    pcm, fmt = read_wav(tmp_path / "demo.wav")
    assert fmt.sample_rate == 24000 and len(pcm) > fmt.bytes_per_second // 2


QUICKSTART_TOOL = '''
from voicelive import tool


@tool(templates=["what is {percent} percent of {amount}"])
def percent_of(percent: float, amount: float) -> dict[str, object]:
    """Work out a percentage of an amount.

    Args:
        percent: The percentage, e.g. 12 for 12 %.
        amount: The amount to take the percentage of.
    """
    value = percent * amount / 100
    return {"value": value, "summary": f"{percent:g} percent of {amount:g} is {value:g}."}
'''


def test_a_tool_written_from_the_quickstart_is_called_by_ask(tmp_path: Path, say: Any) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs"
    for page in ("quickstart.md", "tools.md"):  # the test runs what the docs show
        assert QUICKSTART_TOOL.strip() in (docs / page).read_text(), page
    (tmp_path / "mytools.py").write_text(QUICKSTART_TOOL)
    write_wav(tmp_path / "q.wav", say("What is twelve percent of eighty?"), PCM16_16K)
    done = cli("ask", "q.wav", "--tools", "mytools.py", "--events", "ev.jsonl",
               "--db", "days.sqlite3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in (tmp_path / "ev.jsonl").read_text().splitlines()]
    call = next(e for e in events if e["type"] == "tool_call")
    assert call["name"] == "percent_of"
    assert call["args"] == {"percent": 12, "amount": 80}
    said = next(e for e in events if e["type"] == "assistant_transcript")
    assert "9.6" in said["text"]
