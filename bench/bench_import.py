"""How long ``import voicelive`` takes, and whether it pulls in google.genai.

Each run is a fresh interpreter (``python -X importtime -c "import voicelive"``) in ``/`` so the
current directory cannot shadow the checkout; the figure is the cumulative import time of
``voicelive`` that ``-X importtime`` reports. ``--before REV`` also measures a git revision
(exported with ``git archive`` into a temporary folder), alternating runs so both see the same
machine load.

Run: ``python -m bench.bench_import`` or ``python -m bench.bench_import --before 6a84a7c``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def import_ms(path: Path) -> tuple[float, bool]:
    """One fresh import: (cumulative ms of ``voicelive``, whether google.genai was imported)."""
    code = "import sys, voicelive; print('google.genai' in sys.modules)"
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd="/",
                         env={"PYTHONPATH": str(path)}, capture_output=True, text=True,
                         check=True)
    line = next(row for row in out.stderr.splitlines() if row.rstrip().endswith("| voicelive"))
    return int(line.split("|")[1]) / 1000.0, out.stdout.strip() == "True"


def export(rev: str, into: Path) -> Path:
    """Write the ``voicelive`` package of ``rev`` into ``into``."""
    data = subprocess.run(["git", "archive", "--format=tar", rev, "voicelive"], cwd=ROOT,
                          capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before", default=None, help="git revision to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = {"this checkout": ROOT}
        if args.before:
            paths[f"before ({args.before})"] = export(args.before, Path(tmp))
        times: dict[str, list[float]] = {label: [] for label in paths}
        genai: dict[str, bool] = {}
        for _ in range(args.runs):
            for label, path in paths.items():
                ms, loaded = import_ms(path)
                times[label].append(ms)
                genai[label] = loaded
        for label, values in times.items():
            print(f"import voicelive, {label:<22} median {statistics.median(values):6.0f} ms"
                  f"  best {min(values):6.0f} ms  google.genai imported: {genai[label]}")


if __name__ == "__main__":
    main()
