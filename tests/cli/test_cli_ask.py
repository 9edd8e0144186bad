"""`voicelive ask`: bad arguments are refused before anything starts; no speech is an error;
one WAV holding a two-turn conversation is followed to its last reply."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voicelive.audio import PCM16_16K, write_wav
from voicelive.cli import _parser, main


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command with no API key and with the data folder inside ``cwd``."""
    env = {k: v for k, v in os.environ.items() if k not in ("GEMINI_API_KEY", "GOOGLE_API_KEY")}
    env["XDG_DATA_HOME"] = str(cwd / "data")  # never the user's ~/.local/share
    return subprocess.run([sys.executable, "-m", "voicelive.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=240)


@pytest.fixture()
def quiet_wav(tmp_path: Path) -> Path:
    path = tmp_path / "quiet.wav"
    write_wav(path, bytes(16000), PCM16_16K)
    return path


@pytest.mark.parametrize("value", ["-1", "0", "nan", "soon"])
def test_a_non_positive_timeout_is_refused(value: str, quiet_wav: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["ask", str(quiet_wav), "--timeout", value])
    assert exc.value.code == 2
    assert "--timeout" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--out", "--events"])
def test_a_file_in_a_missing_folder_is_refused_before_the_turn(
        flag: str, quiet_wav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "folder" / "x.out"
    assert main(["ask", str(quiet_wav), flag, str(target), "--backend", "local"]) == 2
    err = capsys.readouterr().err
    assert f"{flag} {target}" in err and "does not exist" in err
    assert "loading" not in err  # refused before any model loads
    assert not target.parent.exists()


def test_a_folder_given_as_the_reply_file_is_refused(
        quiet_wav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", str(quiet_wav), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_missing_input_and_frames_folder_are_refused(
        quiet_wav: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", str(tmp_path / "nothing.wav")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["ask", str(quiet_wav), "--frames", str(tmp_path / "pics")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_flags_after_the_subcommand_are_read() -> None:
    assert _parser().parse_args(["ask", "in.wav", "-v"]).verbose == 1
    assert _parser().parse_args(["ask", "in.wav", "-vv", "--out", "o.wav"]).verbose == 2
    assert _parser().parse_args(["-v", "ask", "in.wav"]).verbose == 1
    assert _parser().parse_args(["tools", "-v"]).verbose == 1


@pytest.mark.slow
@pytest.mark.parametrize("seconds", [0.0, 2.0], ids=["empty", "silence"])
def test_no_speech_says_so_and_exits_non_zero(seconds: float, tmp_path: Path) -> None:
    write_wav(tmp_path / "in.wav", bytes(int(32000 * seconds)), PCM16_16K)
    done = cli("ask", "in.wav", "--db", "days.sqlite3", "--out", "r.wav", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no speech heard" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_one_wav_holding_two_turns_gets_both_answered(tmp_path: Path) -> None:
    from voicelive.testing.speech import Voice, join_turns, speak

    first = speak("So I had a banana on the way to work.", Voice("piper"))
    second = speak("Okay. How am I doing so far today?", Voice("piper"))
    write_wav(tmp_path / "talk.wav", join_turns([first, second]), PCM16_16K)
    done = cli("ask", "talk.wav", "--events", "ev.jsonl", "--out", "reply.wav", "--user", "bo",
               "--db", "days.sqlite3", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    events = [json.loads(line) for line in (tmp_path / "ev.jsonl").read_text().splitlines()]
    calls = [(e["name"], e["args"]) for e in events if e["type"] == "tool_call"]
    assert [name for name, _ in calls] == ["unplanned_food", "daily_summary"], calls
    assert "banana" in calls[0][1]["food"].lower()
    kinds = [e["type"] for e in events]
    assert kinds.count("turn_complete") == 2 and "interrupted" not in kinds
    assert kinds[-1] == "session_closed"
    results = [e for e in events if e["type"] == "tool_result"]
    assert all(r["ok"] for r in results), results
    eaten = results[1]["result"]["consumed"]["kcal"]  # the second turn sees the first's banana
    assert eaten == pytest.approx(results[0]["result"]["macros"]["kcal"]) and eaten > 50
    assert (tmp_path / "days.sqlite3").is_file() and not (tmp_path / "data").exists()


@pytest.mark.slow
def test_an_elliptical_follow_up_reuses_the_previous_call(tmp_path: Path) -> None:
    from voicelive.testing.speech import Voice, join_turns, speak

    turns = [speak("I didn't get to eat lunch today.", Voice("piper")),
             speak("Oh, and dinner too.", Voice("piper"))]
    write_wav(tmp_path / "talk.wav", join_turns(turns), PCM16_16K)
    done = cli("ask", "talk.wav", "--events", "ev.jsonl", "--user", "cy", "--db", "d.sqlite3",
               cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    events = [json.loads(line) for line in (tmp_path / "ev.jsonl").read_text().splitlines()]
    calls = [(e["name"], e["args"]) for e in events if e["type"] == "tool_call"]
    assert calls == [("missed_meal", {"meal": "lunch"}), ("missed_meal", {"meal": "dinner"})]
