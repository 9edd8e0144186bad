"""Run every benchmark: ``python -m bench`` (``python -m bench audio tools`` runs a subset).

Each benchmark module has a ``main()`` that prints its figures; docs/benchmarks.md reports them
with the machine and the command.
"""

from __future__ import annotations

import importlib
import platform
import sys
import time

ALL = [
    "audio", "session", "tools", "nutrition", "frames", "emulator_connect", "understand",
    "local", "server", "import", "phone", "latency", "latency_startup",
]
ON_REQUEST = ["latency_chunks"]
"""Run only when named: it builds the peers' virtual environments (a download) on first use."""


def main(names: list[str]) -> int:
    chosen = names or ALL
    unknown = sorted(set(chosen) - set(ALL) - set(ON_REQUEST))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from "
              f"{', '.join(ALL + ON_REQUEST)}")
        return 2
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{platform.system()} {platform.release()}")
    for name in chosen:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"\n== bench_{name}")
        started = time.perf_counter()
        saved = sys.argv
        sys.argv = [f"bench_{name}"]  # benchmarks with their own flags run their defaults
        try:
            module.main()
        finally:
            sys.argv = saved
        print(f"(took {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
