"""Load benchmark of the WebSocket server: N concurrent sessions streaming audio both ways.

Each step of the sweep starts a fresh server process (uvicorn + create_app on 127.0.0.1, one
event loop). Its backend is either

  emulator (default)  the real path: GeminiBackend with the unpatched google-genai client,
       pointed (GOOGLE_GEMINI_BASE_URL, SSL_CERT_FILE, GEMINI_API_KEY) at a LiveEmulator that
       runs in a third process over TLS on 127.0.0.1 with ``echo_audio`` and ``record=False``;
  fake  an in-process model in the server process (no google-genai, no TLS, no second hop):
       the server's own cost.

Either way the model answers every 40 ms chunk of user audio at once with 40 ms of 24 kHz reply
audio and ends a turn every 2 s (so marks and turn_complete messages flow too). N clients in this
process each send 40 ms of 16 kHz PCM16 every 40 ms on a drift-free real-time schedule for
``--seconds`` (their phases spread over the 40 ms period like independent browsers;
``--aligned`` makes them all send at the same instant) and play the reply audio back on a
simulated playout clock.

Measured per forwarded chunk (one clock: CLOCK_MONOTONIC is shared by processes):
  in   client send -> the model receives it (through the server's receive loop, MemorySource,
       the session's chunker and input pump; with the emulator also google-genai, TLS and the
       emulator's receive loop)
  out  the model emits reply audio -> the client receives it (through the session's output
       pump, WebSocketSink, the outbox and the send loop; with the emulator also TLS and
       google-genai's receive path)
  rtt  client send -> the reply to that chunk reaches the client (everything, nothing subtracted)
  underrun  a reply chunk reaching the client after its playout time, with playback starting
       ``--jitter-ms`` after the first reply chunk arrives (a browser's jitter buffer)

All three processes run uvloop when it is installed (as ``voicelive[server]`` installs it; the
server gets it from uvicorn's ``loop="auto"``), else asyncio's own loop; the first line of the
output says which.

CPU is each process's user+system time over the streaming window; memory per session is
(peak RSS with N sessions - RSS before any session) / N, for the server and the emulator.

``--pin`` puts the server process on CPU 0 and the emulator and the clients on CPU 1, so the
server has a core to itself as it would in production (where the model runs elsewhere) instead
of competing with the harness for two cores; report it as a separate row.

Bounded: at most 400 sessions, 60 s per step, loopback only.

    python bench/bench_server.py --sessions 10,25,50,75,100 --seconds 12
    python bench/bench_server.py --backend fake --sessions 25,50,100,150 --seconds 8
    python bench/bench_server.py --workers 2 --sessions 50,100,150,200 --seconds 10

``--workers N`` runs the server as ``voicelive serve --workers N`` does (a supervisor and N
spawned workers, each accepting on its own ``SO_REUSEPORT`` socket of one port); the kernel
spreads the sessions over them, and server CPU and memory are summed over the workers. The
output lists each server process with its CPU (and the kernel's share of it) and the sessions
it took, and names the busiest processes outside the bench ("other") when they used 5 % of a
core or more; a step where they used more than 10 % is marked "disturbed" (read no capacity
from it). Each server process prints its garbage collections per generation (count, longest
pause) when it stops: a full collection stalls every session at once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
CHUNK_MS = 40
IN_BYTES = 16000 * 2 * CHUNK_MS // 1000  # 1280
OUT_BYTES = 24000 * 2 * CHUNK_MS // 1000  # 1920
TURN_CHUNKS = 50
IN_HEAD = struct.Struct("<dI")  # client send time, sequence number
OUT_HEAD = struct.Struct("<dIdd")  # client send time, seq, backend emit time, in-delay
MAX_SESSIONS = 400
DISTURBED_PCT = 10.0  # other processes above this share of a core: the step says so
MAX_SECONDS = 60.0
BENCH_KEY = "bench-key"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` so that a reader polling ``path`` never sees half of it."""
    part = path.with_suffix(".part")
    part.write_text(text)
    part.replace(path)


def run_loop(main: Coroutine[Any, Any, T]) -> T:
    """Run ``main`` on uvloop when it is installed, else on asyncio's own loop.

    The emulator and the clients stand in for Google's servers and for browsers, which in
    production do not share the server's CPU; on uvloop they take less of the two cores the
    three processes share here, so the figures say more about the server.
    """
    if importlib.util.find_spec("uvloop") is None:
        return asyncio.run(main)
    import uvloop

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)


# --- the model: LiveEmulator in its own process --------------------------------------------


def run_emulator(info_file: str) -> None:
    """Serve an echoing LiveEmulator until SIGINT/SIGTERM (runs in the child process)."""
    from voicelive.testing import messages
    from voicelive.testing.emulator import LiveEmulator

    chunks: dict[int, int] = {}

    def respond(connection: int, pcm: bytes, rate: int) -> list[dict[str, Any]]:
        now = time.monotonic()
        sent, seq = IN_HEAD.unpack_from(pcm)
        head = OUT_HEAD.pack(sent, seq, now, now - sent)
        out = [messages.audio(head + bytes(OUT_BYTES - len(head)))]
        chunks[connection] = count = chunks.get(connection, 0) + 1
        if count % TURN_CHUNKS == 0:
            out += [messages.input_transcript("bench", finished=True), messages.turn_complete()]
        return out

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with LiveEmulator(api_key=BENCH_KEY, echo_audio=respond, record=False) as emu:
            await asyncio.to_thread(write_atomically, Path(info_file), json.dumps(emu.env()))
            await stop.wait()

    run_loop(serve())


# --- server side: the fake model ---------------------------------------------------------


def run_server(port_file: str, max_sessions: int, backend_kind: str, workers: int = 1) -> None:
    """Serve /ws with the chosen backend until SIGINT/SIGTERM (runs in the child process).

    With ``workers`` > 1 this process is the supervisor of ``voicelive serve --workers``
    (:class:`~voicelive.server.workers.WorkerPool`, one listening socket per worker on one
    port, as :func:`~voicelive.server.workers.bind_sockets` makes them) and every worker runs
    :func:`bench_worker`; each worker admits up to ``max_sessions``.
    """
    if workers > 1:
        from voicelive.server.settings import ServerSettings
        from voicelive.server.workers import WorkerPool, bind_sockets

        os.environ["VOICELIVE_BENCH_BACKEND"] = backend_kind  # spawned workers inherit it
        settings = ServerSettings(port=0, max_sessions=max_sessions, workers=workers,
                                  log_level="warning")
        sockets = bind_sockets("127.0.0.1", 0, workers)
        pool = WorkerPool(settings, sockets, target=bench_worker)
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, pool.stop)
        Path(port_file).write_text(str(sockets[0].getsockname()[1]))
        pool.run()
        return
    app, settings = make_app(max_sessions, backend_kind)
    from voicelive.server.run import build_server, freeze_startup_heap

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and accepted sockets inherit the listening socket's proto. Without it Nagle's algorithm
    # holds each reply chunk until the client's next packet acknowledges the previous one.
    Path(port_file).write_text(str(sock.getsockname()[1]))
    server = build_server(app, settings, backlog=4096)
    freeze_startup_heap()  # as `voicelive serve` does
    watch_gc_pauses(f"server (pid {os.getpid()})")
    profile_to = os.environ.get("VOICELIVE_BENCH_PROFILE")
    if profile_to:  # cProfile the server process (for finding hot spots; slows it down)
        import cProfile

        with contextlib.suppress(KeyboardInterrupt), cProfile.Profile() as prof:
            server.run(sockets=[sock])
        prof.dump_stats(profile_to)
        return
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])


def watch_gc_pauses(label: str) -> None:
    """Time every garbage collection in this process; print the count and the longest pause
    per generation when the process exits (a full collection stalls every session at once)."""
    import atexit
    import gc

    started: list[float] = [0.0]
    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append((time.perf_counter() - started[0]) * 1000)

    def report() -> None:
        print(f"{label} garbage collections: " + ", ".join(
            f"gen{g} {len(v)} (longest {max(v, default=0.0):.1f} ms)" for g, v in pauses.items()),
            file=sys.stderr, flush=True)

    gc.callbacks.append(on_gc)
    atexit.register(report)


def bench_worker(settings: Any, index: int, sock: socket.socket) -> None:
    """One worker of ``--workers N``: the bench's app on the shared socket."""
    from voicelive.server.deployment import set_worker_index
    from voicelive.server.run import build_server, freeze_startup_heap

    set_worker_index(index)
    app, own = make_app(settings.max_sessions, os.environ["VOICELIVE_BENCH_BACKEND"])
    server = build_server(app, own, backlog=4096)
    freeze_startup_heap()
    watch_gc_pauses(f"server worker {index} (pid {os.getpid()})")
    server.run(sockets=[sock])


def make_app(max_sessions: int, backend_kind: str) -> tuple[Any, Any]:
    """The server app of the bench (echo model or GeminiBackend) and its settings."""
    from voicelive.events import AudioOut, Event, TurnComplete, UserTranscript
    from voicelive.server.app import create_app
    from voicelive.server.settings import ServerSettings
    from voicelive.testing import Responder, ScriptedBackend, ScriptedConnection
    from voicelive.tools import ToolRegistry

    class Echo(Responder):
        """Each chunk of user audio comes back as one stamped reply chunk; every TURN_CHUNKS
        chunks a transcript and a turn end."""

        def __init__(self) -> None:
            self.chunks = 0

        def on_audio(self, conn: ScriptedConnection, pcm: bytes) -> list[Event]:
            now = time.monotonic()
            sent, seq = IN_HEAD.unpack_from(pcm)
            head = OUT_HEAD.pack(sent, seq, time.monotonic(), now - sent)
            out: list[Event] = [AudioOut(data=head + bytes(OUT_BYTES - len(head)))]
            self.chunks += 1
            if self.chunks % TURN_CHUNKS == 0:
                out += [UserTranscript(text="bench"), TurnComplete()]
            return out

    settings = ServerSettings(
        port=0, max_sessions=max_sessions, rate_limit=1000.0, rate_burst=1000,
        log_level="warning", metrics=True,
    )
    backend: Any = ScriptedBackend(responder=Echo, model="echo", name="bench-echo")
    if backend_kind == "emulator":  # configured from the environment, like `voicelive serve`
        from voicelive.backends.gemini import GeminiBackend

        backend = GeminiBackend()
    app = create_app(settings, backend=backend, tools=ToolRegistry([]))
    return app, settings


# --- client side ---------------------------------------------------------------------------


@dataclass
class SessionResult:
    in_ms: list[float] = field(default_factory=list)
    out_ms: list[float] = field(default_factory=list)
    rtt_ms: list[float] = field(default_factory=list)
    sent: int = 0
    received: int = 0
    underruns: int = 0
    late_sends: int = 0
    worker: int | None = None  # pid of the server process that took the session
    error: str | None = None


async def one_session(url: str, seconds: float, jitter_s: float, start_at: float) -> SessionResult:
    from websockets.asyncio.client import connect

    result = SessionResult()
    chunk_s = CHUNK_MS / 1000
    total = int(seconds / chunk_s)
    try:
        async with connect(url, compression=None, ping_interval=None, max_size=None,
                           open_timeout=30) as ws:
            await ws.send(json.dumps({"type": "start", "mode": "audio"}))
            while True:
                msg = await ws.recv()
                ready = json.loads(msg) if isinstance(msg, str) else {}
                if ready.get("type") == "ready":
                    result.worker = ready.get("worker")
                    break

            async def sender() -> None:
                pad = bytes(IN_BYTES - IN_HEAD.size)
                for seq in range(total):
                    target = start_at + seq * chunk_s
                    delay = target - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    elif delay < -chunk_s:
                        result.late_sends += 1
                    await ws.send(b"\x01" + IN_HEAD.pack(time.monotonic(), seq) + pad)
                    result.sent += 1

            task = asyncio.create_task(sender())
            playout_start: float | None = None
            deadline = start_at + seconds + 5.0
            while result.received < total:
                msg = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic()))
                if isinstance(msg, str):
                    continue
                now = time.monotonic()
                sent, seq, emitted, in_delay = OUT_HEAD.unpack_from(msg)
                result.received += 1
                result.in_ms.append(in_delay * 1000)
                result.out_ms.append((now - emitted) * 1000)
                result.rtt_ms.append((now - sent) * 1000)
                if playout_start is None:
                    playout_start = now + jitter_s - seq * chunk_s
                elif now > playout_start + seq * chunk_s:
                    result.underruns += 1
            await task
            await ws.send(json.dumps({"type": "stop"}))
    except Exception as exc:  # a benchmark reports failures instead of dying on the first
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def family(pid: int) -> list[int]:
    """``pid`` and all its descendants (the workers of ``--workers N``)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for child in task.read_text().split():
                found += family(int(child))
    return found


def proc_cpu_s_one(pid: int, *, system_only: bool = False) -> float:
    """CPU seconds (user + system, or system alone) of process ``pid`` (0 when it is gone)."""
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[12]) if system_only else int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")
    return 0.0


def proc_cpu_s(pid: int) -> float:
    """CPU seconds of ``pid`` and its descendants."""
    return sum(proc_cpu_s_one(member) for member in family(pid))


def machine_cpu_s() -> float:
    """Busy CPU time of the whole machine (every core, every process), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def process_cpu_table() -> dict[int, tuple[float, str]]:
    """CPU seconds so far and a short command line of every process on the machine."""
    table: dict[int, tuple[float, str]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            head, _, rest = (entry / "stat").read_text().rpartition(")")
            fields = rest.split()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            name = cmd.strip() or head.partition("(")[2]
            table[int(entry.name)] = ((int(fields[11]) + int(fields[12])) / tick, name[:70])
    return table


def other_processes(before: dict[int, tuple[float, str]], after: dict[int, tuple[float, str]],
                    ours: set[int], wall_s: float, top: int = 3) -> list[tuple[str, float]]:
    """The busiest processes outside the bench over a window, as (command, % of a core).

    Processes that started and ended inside the window are not seen; their CPU is in
    ``other_cpu_pct`` but in no entry here.
    """
    used = []
    for pid, (cpu, name) in after.items():
        if pid in ours:
            continue
        spent = cpu - before.get(pid, (0.0, name))[0]
        if spent > 0:
            used.append((name, 100 * spent / wall_s))
    return sorted(used, key=lambda item: -item[1])[:top]


def proc_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants."""
    total = 0.0
    for member in family(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    return total


def start_child(args: list[str], out_file: Path, env: dict[str, str] | None = None
                ) -> tuple[subprocess.Popen[bytes], str]:
    """Start this script with ``args`` in a child process; wait for it to write ``out_file``."""
    out_file.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, __file__, *args, str(out_file)], env=env)
    deadline = time.monotonic() + 30
    while not (out_file.exists() and out_file.read_text()):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError(f"the child process {args[0]} did not start")
        time.sleep(0.1)
    text = out_file.read_text()
    out_file.unlink()
    return proc, text


def start_server(n: int, backend_kind: str, emu_env: dict[str, str] | None, workers: int = 1
                 ) -> tuple[subprocess.Popen[bytes], int]:
    """Start a server process for ``n`` sessions; returns it and its port."""
    env = {**os.environ, **emu_env} if emu_env else None
    proc, text = start_child(
        ["--max-sessions", str(n), "--backend", backend_kind, "--workers", str(workers),
         "--serve"],
        Path(f"/tmp/voicelive-bench-{os.getpid()}-{n}.port"), env,
    )
    port = int(text)
    if workers > 1:
        wait_for_workers(port, workers)
    time.sleep(1.0)  # let startup settle before the memory baseline
    return proc, port


def wait_for_workers(port: int, workers: int, attempts: int = 600) -> None:
    """Poll /health (fresh connections, 50 ms apart) until every worker has answered."""
    import urllib.error
    import urllib.request

    seen: set[int] = set()
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as reply:
                seen.add(int(json.loads(reply.read())["worker"]["pid"]))
        except (urllib.error.URLError, OSError, KeyError, ValueError):
            pass
        if len(seen) >= workers:
            return
        time.sleep(0.05)
    raise RuntimeError(f"only {len(seen)} of {workers} workers answered /health")


def start_emulator(n: int) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    """Start an echoing LiveEmulator process; returns it and the env that points at it."""
    proc, text = start_child(["--emulate"], Path(f"/tmp/voicelive-bench-{os.getpid()}-{n}.emu"))
    env: dict[str, str] = json.loads(text)
    return proc, env


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def offset(i: int, n: int, aligned: bool) -> float:
    """Send phase of session ``i``: browsers are not synchronised, so phases are spread evenly
    over one chunk period, unless ``aligned`` (every session sends at the same instant)."""
    return 0.0 if aligned else (i / n) * CHUNK_MS / 1000


async def drive(
    pid: int, port: int, n: int, seconds: float, jitter_ms: float, aligned: bool,
    emu_pid: int | None = None,
) -> dict[str, Any]:
    """Run ``n`` clients against the server at ``port`` and measure it (and the emulator)."""
    rss_idle = proc_rss_mb(pid)
    emu_idle = proc_rss_mb(emu_pid) if emu_pid else float("nan")
    url = f"ws://127.0.0.1:{port}/ws"
    # every session connects (and, with the emulator, sets up its Live session) before audio
    start_at = time.monotonic() + (2.0 + n * 0.01 if emu_pid is None else 3.0 + n * 0.04)
    peak = [rss_idle, emu_idle]

    async def sample() -> None:
        while True:
            peak[0] = max(peak[0], proc_rss_mb(pid))
            if emu_pid:
                peak[1] = max(peak[1], proc_rss_mb(emu_pid))
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    client_cpu0, client_wall0 = time.process_time(), time.monotonic()
    gather = asyncio.gather(
        *(
            one_session(url, seconds, jitter_ms / 1000, start_at + offset(i, n, aligned))
            for i in range(n)
        )
    )
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    cpu0, wall0 = proc_cpu_s(pid), time.monotonic()
    member_cpu0 = {member: proc_cpu_s_one(member) for member in family(pid)}
    member_sys0 = {member: proc_cpu_s_one(member, system_only=True) for member in member_cpu0}
    emu_cpu0 = proc_cpu_s(emu_pid) if emu_pid else 0.0
    all_cpu0, own_cpu0 = machine_cpu_s(), time.process_time()
    table0 = process_cpu_table()
    await asyncio.sleep(seconds)
    cpu1, wall1 = proc_cpu_s(pid), time.monotonic()
    member_cpu = {member: 100 * (proc_cpu_s_one(member) - before) / (wall1 - wall0)
                  for member, before in member_cpu0.items()}
    member_sys = {member: 100 * (proc_cpu_s_one(member, system_only=True) - before)
                  / (wall1 - wall0) for member, before in member_sys0.items()}
    emu_cpu1 = proc_cpu_s(emu_pid) if emu_pid else float("nan")
    all_cpu1, own_cpu1 = machine_cpu_s(), time.process_time()
    ours = {os.getpid(), *family(pid), *(family(emu_pid) if emu_pid else [])}
    busiest = other_processes(table0, process_cpu_table(), ours, wall1 - wall0)
    # CPU used by everything else on the machine (other jobs on a shared host)
    others = (all_cpu1 - all_cpu0) - (cpu1 - cpu0) - (own_cpu1 - own_cpu0)
    if emu_pid:
        others -= emu_cpu1 - emu_cpu0
    results: list[SessionResult] = await gather
    client_cpu = 100 * (time.process_time() - client_cpu0) / (time.monotonic() - client_wall0)
    sampler.cancel()
    ins = [v for r in results for v in r.in_ms]
    outs = [v for r in results for v in r.out_ms]
    rtts = [v for r in results for v in r.rtt_ms]
    errors = [r.error for r in results if r.error]
    per_worker = {member: sum(1 for r in results if r.worker == member) for member in member_cpu}
    return {
        "sessions": n,
        "chunks_sent": sum(r.sent for r in results),
        "chunks_received": sum(r.received for r in results),
        "in_p50_ms": percentile(ins, 50), "in_p99_ms": percentile(ins, 99),
        "out_p50_ms": percentile(outs, 50), "out_p99_ms": percentile(outs, 99),
        "rtt_p50_ms": percentile(rtts, 50), "rtt_p99_ms": percentile(rtts, 99),
        "underruns": sum(r.underruns for r in results),
        "late_sends": sum(r.late_sends for r in results),
        "server_cpu_pct": 100 * (cpu1 - cpu0) / (wall1 - wall0),
        # each server process (with --workers: the supervisor, then the workers): CPU % of a
        # core (of which in the kernel: socket reads and writes) and the sessions it took
        "server_processes": [{"pid": member, "cpu_pct": member_cpu[member],
                              "system_cpu_pct": member_sys[member],
                              "sessions": per_worker[member]} for member in member_cpu],
        "client_cpu_pct": client_cpu,
        "emulator_cpu_pct": 100 * (emu_cpu1 - emu_cpu0) / (wall1 - wall0),
        "other_cpu_pct": 100 * max(0.0, others) / (wall1 - wall0),
        "other_busiest": [{"command": name, "cpu_pct": pct} for name, pct in busiest],
        "rss_idle_mb": rss_idle,
        "rss_peak_mb": peak[0],
        "mb_per_session": (peak[0] - rss_idle) / n,
        "emulator_mb_per_session": (peak[1] - emu_idle) / n,
        "loadavg_1m": os.getloadavg()[0],
        "aligned": aligned,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


def pin(pid: int, cpu: int) -> None:
    """Keep every thread of process ``pid`` on CPU ``cpu``."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), {cpu})


def run_step(
    n: int, seconds: float, jitter_ms: float, aligned: bool, backend_kind: str,
    pinned: bool = False, workers: int = 1,
) -> dict[str, Any]:
    """One step of the sweep: a fresh server (and emulator), ``n`` clients, the measurements."""
    emu: subprocess.Popen[bytes] | None = None
    emu_env: dict[str, str] | None = None
    everywhere = os.sched_getaffinity(0)
    if backend_kind == "emulator":
        emu, emu_env = start_emulator(n)
    try:
        proc, port = start_server(n, backend_kind, emu_env, workers)
        if pinned:
            pin(proc.pid, 0)
            if emu is not None:
                pin(emu.pid, 1)
            os.sched_setaffinity(0, {1})
        try:
            step = run_loop(drive(proc.pid, port, n, seconds, jitter_ms, aligned,
                                     emu.pid if emu else None))
        finally:
            stop_server(proc)
    finally:
        os.sched_setaffinity(0, everywhere)
        if emu is not None:
            stop_server(emu)
    step["backend"] = backend_kind
    step["pinned"] = pinned
    step["workers"] = workers
    return step


def passes(step: dict[str, Any]) -> bool:
    return bool(
        step["in_p99_ms"] < 20 and step["out_p99_ms"] < 20 and step["underruns"] == 0
        and step["errors"] == 0 and step["chunks_received"] == step["chunks_sent"]
    )


def sweep(
    counts: list[int], seconds: float, jitter_ms: float, aligned: bool, backend_kind: str,
    pinned: bool = False, workers: int = 1,
) -> list[dict[str, Any]]:
    steps = []
    for n in counts:
        step = run_step(n, seconds, jitter_ms, aligned, backend_kind, pinned, workers)
        step["ok"] = passes(step)
        step["disturbed"] = step["other_cpu_pct"] > DISTURBED_PCT
        step["rtt_ok"] = passes(step) and step["rtt_p99_ms"] < 20
        steps.append(step)
        emu = (f"emulator CPU {step['emulator_cpu_pct']:5.1f}% "
               f"{step['emulator_mb_per_session']:.3f} MB/session  "
               if backend_kind == "emulator" else "")
        print(
            f"N={n:4d}  in p50/p99 {step['in_p50_ms']:6.2f}/{step['in_p99_ms']:6.2f} ms  "
            f"out p50/p99 {step['out_p50_ms']:6.2f}/{step['out_p99_ms']:6.2f} ms  "
            f"rtt p50/p99 {step['rtt_p50_ms']:6.2f}/{step['rtt_p99_ms']:6.2f} ms  "
            f"received {step['chunks_received']}/{step['chunks_sent']}  "
            f"underruns {step['underruns']:4d}  late sends {step['late_sends']}  "
            f"server CPU {step['server_cpu_pct']:5.1f}%  "
            f"{step['mb_per_session']:.3f} MB/session  {emu}"
            f"client CPU {step['client_cpu_pct']:5.1f}%  "
            f"other processes {step['other_cpu_pct']:5.1f}%  errors {step['errors']}  "
            f"load {step['loadavg_1m']:.1f}  "
            f"{'OK' if step['ok'] else 'FAIL'}"
            f"{' (disturbed: other processes used the machine)' if step['disturbed'] else ''}",
            flush=True,
        )
        print("        server processes: " + "; ".join(
            f"pid {m['pid']} {m['cpu_pct']:.0f}% CPU ({m['system_cpu_pct']:.0f}% system) "
            f"{m['sessions']} sessions"
            for m in step["server_processes"] if m["sessions"] or m["cpu_pct"] >= 1), flush=True)
        busy = [o for o in step["other_busiest"] if o["cpu_pct"] >= 5]
        if busy:  # say who else used the machine, so a failing step can be read
            print("        other processes: " + "; ".join(
                f"{o['cpu_pct']:.0f}% {o['command']}" for o in busy), flush=True)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["emulator", "fake"], default="emulator",
                        help="emulator: GeminiBackend -> LiveEmulator in its own process (the "
                        "real path); fake: an in-process echo model (the server alone)")
    parser.add_argument("--sessions", default="10,25,50,75,100",
                        help="comma-separated session counts to try (max 400)")
    parser.add_argument("--seconds", type=float, default=10.0, help="streaming time per step")
    parser.add_argument("--jitter-ms", type=float, default=80.0,
                        help="client playout buffer before playback starts")
    parser.add_argument("--aligned", action="store_true",
                        help="every session sends at the same instant (worst case) instead of "
                        "at phases spread over the chunk period")
    parser.add_argument("--pin", action="store_true",
                        help="server on CPU 0, emulator and clients on CPU 1 (a core for the "
                        "server alone)")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes on one port, as `voicelive serve --workers N` "
                        "(CPU and memory are summed over them)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--serve", metavar="PORT_FILE", help=argparse.SUPPRESS)
    parser.add_argument("--emulate", metavar="INFO_FILE", help=argparse.SUPPRESS)
    parser.add_argument("--max-sessions", type=int, default=100, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        run_server(args.serve, args.max_sessions, args.backend, args.workers)
        return
    if args.emulate:
        run_emulator(args.emulate)
        return
    counts = [min(MAX_SESSIONS, int(c)) for c in args.sessions.split(",") if c.strip()]
    seconds = min(MAX_SECONDS, args.seconds)
    pinned = " (pinned: server on CPU 0, the rest on CPU 1)" if args.pin else ""
    # uvicorn's loop="auto" (what `voicelive serve` uses) runs uvloop when it is installed, as
    # it is with voicelive[server] (uvicorn[standard]); the emulator and the clients use it too
    # (run_loop). Say which loop these figures are for.
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    if args.pin and args.workers > 1:
        parser.error("--pin puts one server process on one core; it cannot with --workers")
    print(f"backend: {args.backend}{pinned}, server workers: {args.workers}, "
          f"event loop (server, emulator, clients): {loop}", flush=True)
    steps = sweep(counts, seconds, args.jitter_ms, args.aligned, args.backend, args.pin,
                  args.workers)
    best = max((s["sessions"] for s in steps if s["ok"]), default=0)
    best_rtt = max((s["sessions"] for s in steps if s["rtt_ok"]), default=0)
    print(f"largest N with p99 < 20 ms both ways and no underrun: {best}")
    print(f"largest N with round-trip p99 < 20 ms too: {best_rtt}")
    disturbed = [s["sessions"] for s in steps if s["disturbed"]]
    if disturbed:
        print(f"disturbed steps (other processes above {DISTURBED_PCT:g} % of a core; re-run "
              f"them on a quiet machine before reading capacity from them): N = "
              + ", ".join(map(str, disturbed)))
    if args.json:
        args.json.write_text(json.dumps(
            {"backend": args.backend, "pinned": args.pin, "workers": args.workers,
             "steps": steps, "largest_ok": best,
             "largest_rtt_ok": best_rtt}, indent=2))


if __name__ == "__main__":
    main()
