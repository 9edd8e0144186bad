"""What one server process shares with the rest of its deployment.

The store, the resume secret, and who it is (which worker answered a request).

* :func:`open_shared_store` opens the store the settings name (``--db``): PostgreSQL by URL,
  else a SQLite file; a server with its own tools and no ``--db`` keeps conversations in memory
  (and touches no file).
* :func:`build_resumer` makes the :class:`~voicelive.server.resumption.Resumer` (tokens signed
  with the shared secret, or a random per-process one).
* :func:`current_worker` says which worker this process is; ``/health`` and ``ready`` carry it,
  and ``/metrics`` has ``voicelive_worker_info{worker, pid}``.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

from voicelive.server.metrics import ServerMetrics
from voicelive.server.resume import ResumeTokens, new_secret
from voicelive.server.resumption import Resumer
from voicelive.server.settings import ServerSettings
from voicelive.store import MemoryStore, Store, open_store

__all__ = [
    "StoreCheck",
    "WorkerInfo",
    "build_resumer",
    "current_worker",
    "open_shared_store",
    "prepare_store",
    "register_resume_metrics",
    "register_worker_metrics",
    "set_worker_index",
]

log = logging.getLogger(__name__)

_WORKER_INDEX = 0


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """Who this process is.

    Attributes:
        index: 1..N under ``voicelive serve --workers N``; 0 for a single process.
        pid: The process id.
        host: The machine's host name.
    """

    index: int
    pid: int
    host: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON form used by ``/health``."""
        return {"index": self.index, "pid": self.pid, "host": self.host}


def set_worker_index(index: int) -> None:
    """Record this process's worker number (called once by the worker supervisor)."""
    global _WORKER_INDEX
    _WORKER_INDEX = index


def current_worker() -> WorkerInfo:
    """This process's :class:`WorkerInfo`."""
    return WorkerInfo(index=_WORKER_INDEX, pid=os.getpid(), host=socket.gethostname())


def register_worker_metrics(metrics: ServerMetrics) -> None:
    """Add ``voicelive_worker_info{worker="N",pid="P"} 1`` to this server's metrics."""
    if not metrics.enabled:
        return
    import prometheus_client as prom

    info = prom.Gauge("voicelive_worker_info", "Which worker process serves these metrics",
                      ["worker", "pid"], registry=metrics.registry)
    me = current_worker()
    info.labels(worker=str(me.index), pid=str(me.pid)).set(1)


def register_resume_metrics(metrics: ServerMetrics, resumer: Resumer | None) -> None:
    """Add ``voicelive_resume_total{outcome=resumed|refused|store_failed}`` to the metrics."""
    if not metrics.enabled or resumer is None:
        return
    from prometheus_client.core import CounterMetricFamily
    from prometheus_client.registry import Collector

    counted: Resumer = resumer

    class ResumeCollector(Collector):
        def collect(self) -> Any:
            family = CounterMetricFamily(
                "voicelive_resume", "Session starts with a resume token, and store failures of "
                "resumption (lookups and checkpoints)", labels=["outcome"])
            family.add_metric(["resumed"], counted.resumed)
            family.add_metric(["refused"], counted.refused)
            family.add_metric(["store_failed"], counted.store_failures)
            yield family

    metrics.registry.register(ResumeCollector())


def open_shared_store(settings: ServerSettings, *, default_tools: bool) -> Store:
    """The store of day states and conversations for these settings.

    Args:
        settings: ``db_url`` wins over ``db_path``.
        default_tools: Whether the bundled nutrition tools run; without them and without a
            configured database, conversations are kept in memory (nothing is written to the
            user's data directory).
    """
    location = settings.db_url or settings.db_path
    if location is not None:
        store = open_store(location)
    elif default_tools:
        from voicelive.nutrition import default_db_path

        store = open_store(default_db_path())
    else:
        store = MemoryStore()
    log.info("store: %s", store.url)
    return store


@dataclass
class StoreCheck:
    """What start-up found of the store (``/health`` shows it under ``checks.store``).

    Attributes:
        url: Where the store is (no password).
        schema: The schema version after migration, or ``None`` before or on failure.
        error: Why the store could not be opened or migrated.
    """

    url: str
    schema: int | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form used by ``/health``."""
        return {"url": self.url, "schema": self.schema, "error": self.error}


async def prepare_store(store: Store, check: StoreCheck) -> None:
    """Create or migrate the schema at start-up (in a thread), recording the outcome in ``check``.

    A failure is logged and shown by ``/health``; sessions still start (their tools and
    checkpoints report their own store errors), so a database that comes back is used again.
    """
    import anyio.to_thread

    from voicelive.exceptions import VoiceLiveError

    try:
        check.schema = await anyio.to_thread.run_sync(store.schema_version)
        log.info("store %s ready (schema %d)", check.url, check.schema)
    except (VoiceLiveError, OSError) as exc:
        check.error = f"{type(exc).__name__}: {exc}"
        log.error("store %s unavailable at start-up: %s", check.url, check.error)


def build_resumer(settings: ServerSettings, store: Store) -> Resumer | None:
    """The resumer of a server, or ``None`` when ``settings.resume`` is off."""
    if not settings.resume:
        return None
    secret = settings.resume_secret
    if secret is None:
        secret = new_secret()
        log.info("no resume secret given: a random one, so tokens resume in this process only")
    tokens = ResumeTokens(secret, ttl_s=settings.resume_ttl_s)
    return Resumer(store, tokens, checkpoint_s=settings.resume_checkpoint_s)
