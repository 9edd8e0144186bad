"""The server load bench's CPU accounting: who else used the machine, per process (no load)."""

from __future__ import annotations

import os
import subprocess

from bench.bench_server import family, other_processes, proc_cpu_s_one, process_cpu_table


def test_other_processes_ranks_by_cpu_and_leaves_out_the_bench() -> None:
    before = {1: (10.0, "postgres"), 2: (5.0, "pytest tests/local"), 3: (1.0, "bench itself")}
    after = {1: (10.5, "postgres"), 2: (9.0, "pytest tests/local"), 3: (4.0, "bench itself"),
             4: (0.8, "a process started inside the window")}
    busiest = other_processes(before, after, ours={3}, wall_s=2.0)
    assert busiest == [("pytest tests/local", 200.0),
                       ("a process started inside the window", 40.0),
                       ("postgres", 25.0)]
    assert other_processes(before, after, ours={3}, wall_s=2.0, top=1) == busiest[:1]


def test_the_process_table_sees_a_child_and_its_command() -> None:
    child = subprocess.Popen(
        ["python3", "-c", "import sys; sys.stdin.read()", "marker-arg"],
        stdin=subprocess.PIPE,
    )
    try:
        table = process_cpu_table()
        assert child.pid in table
        assert "marker-arg" in table[child.pid][1]
        assert os.getpid() in table and table[os.getpid()][0] > 0
        assert child.pid in family(os.getpid())
        assert proc_cpu_s_one(os.getpid()) >= proc_cpu_s_one(os.getpid(), system_only=True)
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=10)
    assert proc_cpu_s_one(child.pid) == 0.0  # gone: counts nothing
