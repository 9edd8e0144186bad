from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from google.genai import types

from voicelive.cli import default_backend_name, main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "voicelive.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_tools_json_prints_valid_declarations() -> None:
    out = run("tools", "--json")
    assert out.returncode == 0, out.stderr
    decls = json.loads(out.stdout)
    names = {d["name"] for d in decls}
    assert {"missed_meal", "unplanned_food", "substitute_food", "log_activity",
            "daily_summary", "lookup_food"} <= names
    for d in decls:
        types.FunctionDeclaration.model_validate(d)
        jsonschema.Draft202012Validator.check_schema(d["parametersJsonSchema"])
    meal = next(d for d in decls if d["name"] == "missed_meal")
    assert meal["parametersJsonSchema"]["properties"]["meal"]["description"]


def test_foods_searches_the_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["foods", "banana"]) == 0
    assert "Bananas, raw" in capsys.readouterr().out.splitlines()[1]
    assert main(["foods", "qqqqzzzz"]) == 1


def test_backend_defaults_to_gemini_only_with_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    assert default_backend_name() == "local"
    monkeypatch.setenv("GOOGLE_API_KEY", "k")
    assert default_backend_name() == "gemini"


def test_bad_wav_is_a_clear_error_not_a_traceback(tmp_path: object) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "bad.wav"
    bad.write_bytes(b"not a wav at all")
    out = run("ask", str(bad), "--backend", "local")
    assert out.returncode == 2
    assert "not a WAV file" in out.stderr
    assert "Traceback" not in out.stderr
