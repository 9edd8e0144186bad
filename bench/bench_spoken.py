"""The spoken test set (``bench/spoken/``) as one of ``python -m bench``'s benchmarks.

Run: ``python -m bench spoken`` (the defaults of ``python -m bench.spoken.run``; that command
takes the flags: ``--legacy``, ``--realtime``, ``--via cli``, ``--all-voices`` ...).
"""

from __future__ import annotations

from typing import Any

from bench.spoken.run import main as run_main


def main() -> dict[str, Any]:
    """Score the set with the runner's defaults and print the figures."""
    return run_main([])


if __name__ == "__main__":
    main()
