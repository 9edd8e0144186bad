"""bench/peers/venvs.py: a peer venv is built once, reused, and rebuilt when its pins change."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

VENVS = Path(__file__).resolve().parents[2] / "bench" / "peers" / "venvs.py"


def load_venvs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("peer_venvs", VENVS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_bad_name_or_no_requirement_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICELIVE_BENCH_PEERS", str(tmp_path))
    venvs = load_venvs()
    with pytest.raises(ValueError, match="letters, digits"):
        venvs.ensure_peer_venv("../escape", ["pip"])
    with pytest.raises(ValueError, match="at least one requirement"):
        venvs.ensure_peer_venv("empty", [])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_built_once_reused_then_rebuilt_when_the_pins_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICELIVE_BENCH_PEERS", str(tmp_path))
    venvs = load_venvs()
    python = venvs.ensure_peer_venv("probe", ["pip"])  # already in a fresh venv: no download
    assert python == tmp_path / "probe" / "bin" / "python"
    marker = tmp_path / "probe" / "marker"
    marker.write_text("kept while the pins stay the same")
    assert venvs.ensure_peer_venv("probe", ["pip"]) == python
    assert marker.exists()
    venvs.ensure_peer_venv("probe", ["pip", "setuptools"])
    assert not marker.exists()
    done = subprocess.run([str(python), "-c", "import sys; print(sys.prefix)"],
                          capture_output=True, text=True, check=True)
    assert Path(done.stdout.strip()) == tmp_path / "probe"
