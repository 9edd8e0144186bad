"""Rough edges of the command line a newcomer hit: help text on every flag, the demo saying
where it writes, ``serve --tools``, ``chat`` without a sound card, and the camera example
without an API key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from voicelive.cli import _parser

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=240,
                          env=env, cwd=ROOT)


def subcommand(name: str) -> object:
    parser = _parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices[name]  # type: ignore[index]


@pytest.mark.parametrize(
    ("command", "flags"),
    [
        ("chat", ["--user", "--voice", "--model"]),
        ("serve", ["--host", "--port", "--max-sessions", "--tools", "--allowed-host",
                   "--max-connections"]),
        ("foods", ["--limit"]),
        ("tools", ["--json", "--db"]),
    ],
)
def test_every_flag_has_help(command: str, flags: list[str]) -> None:
    sub = subcommand(command)
    helps = {opt: a.help for a in sub._actions for opt in a.option_strings}  # type: ignore[attr-defined]
    for flag in flags:
        assert helps.get(flag), f"{command} {flag} has no help text"


def test_serve_takes_user_tools_into_its_settings(tmp_path: Path) -> None:
    from voicelive.server.app import default_tools
    from voicelive.server.settings import ServerSettings

    extra = tmp_path / "kitchen.py"
    extra.write_text(
        "from voicelive import tool\n\n"
        "@tool\n"
        "def timer(minutes: int) -> str:\n"
        '    """Start a kitchen timer.\n\n    Args:\n        minutes: How long.\n    """\n'
        '    return f"timer set for {minutes} minutes"\n'
    )
    args = _parser().parse_args(["serve", "--tools", str(extra), "--allowed-host", "voice.lan"])
    assert args.tools == [str(extra)] and args.allowed_host == ["voice.lan"]
    settings = ServerSettings(tools=tuple(args.tools), db_path=tmp_path / "n.sqlite3")
    names = [t.name for t in default_tools(settings)]
    assert "timer" in names and "missed_meal" in names


def test_serve_with_a_missing_tools_file_is_one_clear_error(tmp_path: Path) -> None:
    done = run("-m", "voicelive.cli", "serve", "--port", "0", "--tools", "nowhere.py",
               "--db", str(tmp_path / "n.sqlite3"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["error: --tools nowhere.py: no such file"]


def test_chat_without_a_sound_card_prints_one_line() -> None:
    pyaudio = pytest.importorskip("pyaudio")
    from voicelive.audio.quiet import quiet_native_stderr

    with quiet_native_stderr():
        pa = pyaudio.PyAudio()
        try:
            has_input = pa.get_device_count() > 0 and bool(pa.get_default_input_device_info())
        except OSError:
            has_input = False
        finally:
            pa.terminate()
    if has_input:
        pytest.skip("this machine has a sound card")
    done = run("-m", "voicelive.cli", "chat", "--backend", "local")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines[:10]
    assert lines[0].startswith("error: cannot open the microphone")


@pytest.mark.slow
def test_demo_says_where_it_writes_before_it_starts(tmp_path: Path) -> None:
    out = tmp_path / "reply.wav"
    done = run("-m", "voicelive.cli", "demo", "--out", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    first = done.stdout.splitlines()[0]
    assert first == f"the reply audio will be written to {out} (change it with --out)"
    assert out.is_file()


def test_camera_example_without_a_key_says_so() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GEMINI_API_KEY", "GOOGLE_API_KEY")}
    done = run(str(ROOT / "examples" / "camera_context.py"), env=env)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        "camera_context needs a Gemini API key: set GEMINI_API_KEY (the offline backend has no "
        "vision model)"
    )
