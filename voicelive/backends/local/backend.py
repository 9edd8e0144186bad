"""The offline backend: VAD -> speech-to-text -> understanding -> tools -> speech, no network.

:class:`LocalBackend` fulfils the same :class:`~voicelive.backends.base.Backend` contract as the
Gemini backend: it loads the models (once per process), builds the understanding of the tools
(once per tool set) and opens a :class:`~voicelive.backends.local.connection.LocalConnection`
per session. The connection's parts each live in their own module:

* :mod:`~voicelive.backends.local.connection` - the contract, moving bytes and events;
* :mod:`~voicelive.backends.local.listening` - speculative transcripts at pauses,
  transcription, rechecks against the audio, early ends of turn;
* :mod:`~voicelive.backends.local.answering` - one utterance's calls, confirmations and
  carry-over of superseded audio;
* :mod:`~voicelive.backends.local.speaking` - the spoken reply.

What the user asks for is worked out by
:class:`~voicelive.backends.local.understand.Understander` from the tools' declarations, off
the event loop, with a :class:`~voicelive.backends.local.understand.DialogueState` per
connection.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio

from .answering import MAX_CARRIED_S
from .connection import LocalConnection
from .early import DEFAULT_EARLY_COMMIT_MS, CompletenessJudge, judge_by_match
from .models import LocalModels, ProgressHook, load_models, load_second_opinion, start_loading
from .stt import Transcriber
from .understand import Understander

if TYPE_CHECKING:
    from voicelive.config import SessionConfig
    from voicelive.tools import ToolRegistry

__all__ = ["MAX_CARRIED_S", "LocalBackend", "LocalConnection"]

_log = logging.getLogger(__name__)


class LocalBackend:
    """The embedded, offline backend.

    Models are loaded once per process and shared by every connection (see
    :func:`~voicelive.backends.local.models.load_models`); :meth:`load` loads them ahead of the
    first session, with an optional progress hook.

    Args:
        whisper_model: Directory of a CTranslate2 Whisper model (``tiny.en`` by default).
        voice_path: Piper ``.onnx`` voice (the ``joe`` US English voice by default).
        stt_context_s: A fixed encoder context of the recogniser in seconds (30 is Whisper's
            full window); ``None`` sizes it to each utterance (about three times faster than
            30 s for a short request, as accurate on the spoken set).
        progress: Called with a message before each model-loading step (first load only).
        speculative: Start recognising at the first pause instead of at the end of speech.
        speculate_after_ms: Silence after which speculative recognition starts.
        hypotheses: Transcripts the recogniser proposes per utterance (beam search); the
            understanding takes the one it understands best, likelier ones first. 1 is
            greedy decoding (a little faster, clearly less accurate on unclear speech).
        check_slots: Check the text values of an understood request against the audio (see
            :mod:`~voicelive.backends.local.slotcheck`); costs a few tens of milliseconds and
            corrects a known value heard as another ("quinoa" as "tilapia").
        early_commit_ms: Silence after which a complete, confident request ends the turn
            (before the full ``VadConfig.silence_ms``); 0 switches early ends off.
        judge: Says whether a transcript is a complete, confident request (see
            :class:`~voicelive.backends.local.early.CompletenessJudge`);
            :func:`~voicelive.backends.local.early.judge_by_match` by default.
        check_writes: Before a tool that writes runs, weigh the reading its values came from
            against rival readings of the audio (other hypotheses, "14" for "40"); on doubt
            ask one short question instead (see :mod:`~voicelive.backends.local.doubt`).
        second_opinion: When the recogniser is unsure of a turn (a transcript of low
            confidence), hear it again with Whisper base (the ``whisper-base`` extra, loaded
            once at start) and act on the better reading (see
            :mod:`~voicelive.backends.local.second`). Without the extra, or when
            ``whisper_model`` is base itself, the backend works without it. On by default:
            turns base does not hear are as fast as without it (measured in pairs, base
            loaded or not), a turn it hears pays base's decoding (about 0.3-0.6 s), and on
            the unfamiliar voices of the development sets it adds right answers and removes
            wrong writes (docs/benchmarks.md, "The second opinion, on by default").

    Vocabularies (foods, activities ...) and their plausibility checks come with the tools'
    declarations (:class:`voicelive.tools.Vocabulary`), not from the backend.
    """

    name = "local"

    def __init__(
        self,
        *,
        whisper_model: str | os.PathLike[str] | None = None,
        voice_path: str | os.PathLike[str] | None = None,
        stt_context_s: float | None = None,
        progress: ProgressHook | None = None,
        speculative: bool = True,
        speculate_after_ms: float = 96.0,
        hypotheses: int = 4,
        check_slots: bool = True,
        early_commit_ms: float = DEFAULT_EARLY_COMMIT_MS,
        judge: CompletenessJudge | None = None,
        check_writes: bool = True,
        second_opinion: bool = True,
    ) -> None:
        self.second_opinion = second_opinion
        self.early_commit_ms = early_commit_ms
        self.judge: CompletenessJudge = judge or judge_by_match
        self._whisper = whisper_model
        self._voice = voice_path
        self._warned: set[tuple[str, ...]] = set()
        self._understanders: dict[tuple[tuple[str, int], ...], Understander] = {}
        self._understanders_lock = threading.Lock()
        self._building: dict[tuple[tuple[str, int], ...], threading.Lock] = {}
        self._context = stt_context_s
        self._progress = progress
        self.speculative = speculative
        self.speculate_after_ms = speculate_after_ms
        self.hypotheses = max(1, hypotheses)
        self.check_slots = check_slots
        self.check_writes = check_writes

    def default_model(self) -> str:
        """Return the recogniser and voice names, e.g. ``whisper:model+piper:en_US-joe-medium``."""
        whisper = os.path.basename(os.path.normpath(str(self._whisper))) if self._whisper else (
            "tiny.en")
        voice = os.path.basename(str(self._voice)) if self._voice else "en_US-joe-medium.onnx"
        return f"whisper:{whisper}+piper:{voice.removesuffix('.onnx')}"

    def load(self, progress: ProgressHook | None = None) -> LocalModels:
        """Load (or fetch from the process cache) and warm up the models; blocking."""
        return load_models(self._whisper, self._voice, stt_context_s=self._context,
                           progress=progress or self._progress)

    def load_second_opinion(self) -> Transcriber | None:
        """The recogniser of second opinions, loaded once per process; blocking.

        ``None`` when :attr:`second_opinion` is off, the ``whisper-base`` extra is missing
        (said once in the log) or the main recogniser is base already.
        """
        if not self.second_opinion or str(self._whisper or "") == "base":
            return None
        return load_second_opinion("base", stt_context_s=self._context)

    def prepare(self, tools: ToolRegistry | None = None) -> None:
        """Start loading the models (and building the understanding of ``tools``) now.

        Returns at once; both go on in background threads, and :meth:`connect` (or
        :meth:`load`, :meth:`understander`) waits for them instead of starting them again.
        A program that knows it will open a session calls this first, before its own heavier
        start-up work, so the two overlap. A loading error surfaces in :meth:`connect`.
        """
        start_loading(self._whisper, self._voice, stt_context_s=self._context,
                      progress=self._progress)
        if self.second_opinion:  # not a daemon: native model code (see models.start_loading)
            threading.Thread(target=self._prepare_second, name="voicelive-second").start()
        if tools is not None:
            threading.Thread(target=self._prepare_understander, args=(tools,),
                             name="voicelive-understand", daemon=True).start()

    def _prepare_second(self) -> None:
        try:
            self.load_second_opinion()
        except Exception:  # connect() loads it again and raises the error there
            _log.debug("loading the second-opinion recogniser ahead failed", exc_info=True)

    def _prepare_understander(self, tools: ToolRegistry) -> None:
        try:
            self.understander(tools).warm_up()
        except Exception:  # connect() builds it again and raises the error there
            _log.debug("building the understanding ahead failed", exc_info=True)

    def understander(self, tools: ToolRegistry) -> Understander:
        """The understanding of ``tools`` (blocking: run it in a worker thread).

        It holds no conversation state, so sessions over the same tools share one (built once,
        0.1-0.4 s for the nutrition toolkit; a caller that asks while another is building it
        waits for that one); the last 16 tool sets are kept.
        """
        key = tuple((t.name, id(t)) for t in tools)
        with self._understanders_lock:
            cached = self._understanders.get(key)
            if cached is None:
                building = self._building.setdefault(key, threading.Lock())
        if cached is not None:
            return cached
        with building:  # one build per tool set; the others wait for it
            with self._understanders_lock:
                cached = self._understanders.get(key)
            if cached is not None:
                return cached
            understander = Understander(tools)
            with self._understanders_lock:
                self._understanders[key] = understander
                self._building.pop(key, None)
                while len(self._understanders) > 16:
                    self._understanders.pop(next(iter(self._understanders)))
        unreachable = understander.unreachable()
        names = tuple(sorted(name for name, _ in unreachable))
        if unreachable and names not in self._warned:
            self._warned.add(names)
            _log.warning("offline, %d tool(s) cannot be called: %s", len(unreachable),
                         "; ".join(f"{name} ({why})" for name, why in unreachable))
        return understander

    def connect(
        self, config: SessionConfig, tools: ToolRegistry
    ) -> AbstractAsyncContextManager[LocalConnection]:
        """Open an offline connection (loads the models on first use, in a worker thread)."""
        return self._connect(config, tools)

    @asynccontextmanager
    async def _connect(
        self, config: SessionConfig, tools: ToolRegistry
    ) -> AsyncIterator[LocalConnection]:
        ready: dict[str, Any] = {}

        async def load() -> None:
            ready["models"] = await anyio.to_thread.run_sync(self.load)

        async def load_second() -> None:
            ready["second"] = await anyio.to_thread.run_sync(self.load_second_opinion)

        def build_understander() -> Understander:
            understander = self.understander(tools)
            # Load what the plausibility checks read (the food table) now, not in a turn.
            understander.warm_up()
            return understander

        async def understand() -> None:
            ready["understander"] = await anyio.to_thread.run_sync(build_understander)

        async with anyio.create_task_group() as loading:  # the two overlap
            loading.start_soon(load)
            loading.start_soon(understand)
            loading.start_soon(load_second)
        conn = LocalConnection(ready["models"], ready["understander"], config,
                               model_name=config.model or self.default_model(),
                               speculative=self.speculative,
                               speculate_after_ms=self.speculate_after_ms,
                               hypotheses=self.hypotheses, check_slots=self.check_slots,
                               early_commit_ms=self.early_commit_ms, judge=self.judge,
                               check_writes=self.check_writes, second=ready["second"])
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(conn.run)
                try:
                    yield conn
                finally:
                    tg.cancel_scope.cancel()
                    conn.close()
        finally:
            # run() closes its end of the job queue, unless it was cancelled before it began
            # (a session closed at once): then the stream would be left open until collected.
            conn.release()

