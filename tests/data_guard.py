"""Suite-wide guard: tests never read or write the user's real voicelive data folder.

Loaded by ``tests/conftest.py`` (a two-line shim, so that mypy sees one module named
``conftest`` only: ``tests/local/conftest.py``).

``XDG_DATA_HOME`` points at a temporary folder for the whole run (child processes such as
``voicelive serve`` inherit it), so anything that falls back to the default nutrition database
lands there; and the run fails if the real folder changed anyway.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

REAL_DATA_DIR = Path(platformdirs.user_data_dir("voicelive", appauthor=False))
_SANDBOX = tempfile.mkdtemp(prefix="voicelive-test-data-")


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.is_dir():
        return {}
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in folder.rglob("*")
        if p.is_file()
    }


_BEFORE = _snapshot(REAL_DATA_DIR)
os.environ["XDG_DATA_HOME"] = _SANDBOX  # before any test module is imported


@pytest.fixture(scope="session", autouse=True)
def _no_real_user_data() -> Iterator[Path]:
    """The sandbox data folder; fails the run if the real data folder was touched."""
    sandbox = Path(_SANDBOX)
    assert Path(platformdirs.user_data_dir("voicelive", appauthor=False)).is_relative_to(sandbox)
    yield sandbox
    shutil.rmtree(sandbox, ignore_errors=True)
    after = _snapshot(REAL_DATA_DIR)
    assert after == _BEFORE, (
        f"tests changed the real data folder {REAL_DATA_DIR}: "
        f"{sorted(set(after.items()) ^ set(_BEFORE.items()))[:5]}"
    )
