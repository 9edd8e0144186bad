"""Virtual environments for third-party clients, built once and reused.

``ensure_peer_venv("pipecat", ["pipecat-ai[google]==1.14.0"])`` returns the path of that venv's
Python, creating ``~/.cache/voicelive-bench/peers/pipecat`` with ``pip install`` on first use.
A stamp file records the requirements and the Python version the venv was built with; when
either changes, the venv is rebuilt from scratch. A lock file serialises builders, so two
benches that ask for the same peer at once build it once.

The root can be moved with ``VOICELIVE_BENCH_PEERS`` (e.g. to a temporary directory in CI).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PeerVenvError", "ensure_peer_venv", "peer_root"]

INSTALL_TIMEOUT_S = 1800
"""Longest a ``pip install`` of one peer may take before the build is abandoned."""

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_STAMP = "voicelive-peer.json"


class PeerVenvError(RuntimeError):
    """A peer's virtual environment could not be built (the pip output tail is included)."""


def peer_root() -> Path:
    """The directory that holds every peer venv."""
    configured = os.environ.get("VOICELIVE_BENCH_PEERS")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "voicelive-bench" / "peers"


def _stamp(requirements: Sequence[str]) -> dict[str, object]:
    return {
        "python": sys.version.split()[0],
        "executable": str(Path(sys.executable).resolve()),
        "requirements": sorted(requirements),
    }


def _python_of(directory: Path) -> Path:
    return directory / "bin" / "python"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _is_current(directory: Path, requirements: Sequence[str]) -> bool:
    try:
        stamp = json.loads((directory / _STAMP).read_text())
    except (OSError, ValueError):
        return False
    return bool(stamp == _stamp(requirements) and _python_of(directory).exists())


def ensure_peer_venv(name: str, requirements: list[str]) -> Path:
    """Return the Python of the venv ``name``, building it with ``requirements`` when needed.

    Args:
        name: The peer's name, used as the directory name (letters, digits, ``_.-``).
        requirements: pip requirement strings, e.g. ``["livekit-agents==1.8.9"]``.

    Returns:
        The path of the venv's ``python`` executable.

    Raises:
        ValueError: ``name`` is not a plain directory name or ``requirements`` is empty.
        PeerVenvError: pip failed or timed out; the message carries the end of its output.
    """
    if not _NAME_RE.match(name):
        raise ValueError(f"peer venv name {name!r} must be letters, digits, '_', '.', '-'")
    if not requirements:
        raise ValueError(f"peer venv {name!r} needs at least one requirement")
    root = peer_root()
    directory = root / name
    with _locked(root / f".{name}.lock"):
        if _is_current(directory, requirements):
            return _python_of(directory)
        shutil.rmtree(directory, ignore_errors=True)
        venv.EnvBuilder(with_pip=True, clear=True, symlinks=True).create(directory)
        command = [str(_python_of(directory)), "-m", "pip", "install", "--quiet", *requirements]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            shutil.rmtree(directory, ignore_errors=True)
            raise PeerVenvError(
                f"pip install for peer {name!r} took over {INSTALL_TIMEOUT_S} s"
            ) from exc
        if done.returncode != 0:
            shutil.rmtree(directory, ignore_errors=True)
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
            raise PeerVenvError(f"pip install for peer {name!r} failed:\n{tail}")
        (directory / _STAMP).write_text(json.dumps(_stamp(requirements), indent=2))
        return _python_of(directory)
