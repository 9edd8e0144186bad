from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import voicelive


def isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: CONSTANTS, then Classes, then functions/variables
    if name.isupper() or (name.upper() == name and "_" in name):
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted_and_complete() -> None:
    names = list(voicelive.__all__)
    assert names == sorted(names, key=isort_key)
    assert len(set(names)) == len(names)
    for name in names:
        assert getattr(voicelive, name) is not None, name
    # every public name imported into the package module is exported
    tree = ast.parse(Path(voicelive.__file__).read_text())
    imported = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("voicelive")
        for alias in node.names
    }
    assert imported - set(names) == set()
    for contract in ["LiveSession", "SessionConfig", "AudioFormat", "AudioSource", "AudioSink",
                     "FrameSource", "tool", "ToolRegistry", "ToolContext", "GeminiBackend",
                     "LocalBackend", "VoiceLiveError"]:
        assert contract in names


def test_import_has_no_heavy_side_effects() -> None:
    code = (
        "import sys, voicelive;"
        "heavy = [m for m in ('faster_whisper', 'piper', 'onnxruntime', 'fastapi', 'pyaudio',"
        " 'ctranslate2', 'cv2') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_import_leaves_google_genai_out() -> None:
    # The tools, the nutrition toolkit and the config are plain data; only the Gemini backend
    # package (voicelive.backends.gemini) and voicelive.testing import google.genai.
    code = (
        "import sys, voicelive, voicelive.tools, voicelive.nutrition, voicelive.config;"
        "voicelive.nutrition.toolkit;"
        "print(sorted(m for m in sys.modules if m.startswith('google.genai')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    lazy = subprocess.run([sys.executable, "-c", "import sys, voicelive; voicelive.GeminiBackend;"
                           "print('google.genai' in sys.modules)"],
                          capture_output=True, text=True, check=True)
    assert lazy.stdout.strip() == "True"  # the lazy name still reaches the backend


def test_every_exception_derives_from_the_root() -> None:
    from voicelive import exceptions

    for name in exceptions.__all__:
        assert issubclass(getattr(exceptions, name), voicelive.VoiceLiveError)


def test_missing_extra_names_the_install_command() -> None:
    from voicelive._extras import require
    from voicelive.exceptions import MissingExtraError

    try:
        require("surely_not_installed_module_xyz", extra="mic", feature="the microphone")
    except MissingExtraError as exc:
        assert 'pip install "voicelive[mic]"' in str(exc)
    else:
        raise AssertionError("expected MissingExtraError")
