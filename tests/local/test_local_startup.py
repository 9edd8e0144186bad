"""Start-up of the offline backend: models loading ahead, in parallel, each built once."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voicelive import cli
from voicelive.backends.local import LocalBackend, LocalModels, load_models
from voicelive.backends.local import backend as backend_module
from voicelive.backends.local import models as models_module
from voicelive.backends.local.models import (
    default_vad_path,
    default_voice_path,
    default_whisper_path,
    start_loading,
)
from voicelive.backends.local.tts import Synthesizer
from voicelive.exceptions import ModelLoadError

pytestmark = pytest.mark.slow


def test_loading_ahead_gives_the_models_a_later_load_returns(models: LocalModels) -> None:
    future = start_loading()
    assert future.result() is models
    assert load_models() is models
    assert models.transcriber.model_path == default_whisper_path()
    assert models.synthesizer.voice_path == default_voice_path()
    assert Path(default_vad_path()).is_file()
    assert models.warmed.is_set()


def test_the_voice_sounds_the_same_with_basic_graph_optimisation(models: LocalModels) -> None:
    from piper import PiperVoice

    text = "Two slices of toast, noted."
    ours = models.synthesizer.synthesize_float(text, deterministic=True)
    reference = Synthesizer(default_voice_path())
    reference._voice = PiperVoice.load(default_voice_path())  # piper's own, every optimisation
    theirs = reference.synthesize_float(text, deterministic=True)
    assert ours.shape == theirs.shape and ours.size > 10000
    assert float(np.max(np.abs(ours - theirs))) < 1e-3


def test_a_broken_voice_fails_the_load_with_its_path_for_every_waiter(tmp_path: Path) -> None:
    voice = tmp_path / "broken.onnx"
    voice.write_bytes(b"not a model")
    (tmp_path / "broken.onnx.json").write_text(json.dumps({"audio": {"sample_rate": 22050}}))
    ahead = start_loading(voice_path=voice)
    with pytest.raises(ModelLoadError, match=r"broken\.onnx"):
        load_models(voice_path=voice)  # waits for the load started ahead, gets its error
    assert isinstance(ahead.exception(), ModelLoadError)
    with pytest.raises(ModelLoadError, match=r"broken\.onnx"):  # not cached: tried again
        load_models(voice_path=voice)
    assert not any(key[1] == str(voice) for key in models_module._cache)
    assert not any(key[1] == str(voice) for key in models_module._pending)


def test_warming_in_the_background_holds_each_model_until_it_is_warm(
    models: LocalModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = LocalModels(models.vad_session, models.transcriber, models.synthesizer, {})
    release = threading.Event()
    order: list[str] = []

    def slow_stt_warm(_: Any) -> None:
        order.append("stt")
        release.wait()

    monkeypatch.setattr(models_module, "_warm_stt", slow_stt_warm)
    monkeypatch.setattr(models_module, "_warm_tts", lambda _: order.append("tts"))
    models_module._warm_later(fresh)
    assert not fresh.stt_lock.acquire(blocking=False)  # a transcription would wait
    assert not fresh.warmed.is_set()
    release.set()
    assert fresh.warmed.wait(60)
    assert order == ["stt", "tts"]
    for lock in (fresh.stt_lock, fresh.tts_lock):
        assert lock.acquire(blocking=False)
        lock.release()
    assert {"stt_warm_up", "tts_warm_up", "warm_up_after_load"} <= set(fresh.load_seconds)


def test_a_failed_warm_up_still_frees_the_models(
    models: LocalModels, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = LocalModels(models.vad_session, models.transcriber, models.synthesizer, {})

    def broken(_: Any) -> None:
        raise RuntimeError("no warm-up today")

    monkeypatch.setattr(models_module, "_warm_stt", broken)
    models_module._warm_later(fresh)
    assert fresh.warmed.wait(60)
    assert fresh.stt_lock.acquire(blocking=False)
    fresh.stt_lock.release()


def test_prepare_builds_the_understanding_once(
    models: LocalModels, tools: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Any] = []
    from voicelive.backends.local.understand import Understander

    class Counting(Understander):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            built.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(backend_module, "Understander", Counting)
    backend = LocalBackend()
    backend.prepare(tools)
    results: list[Any] = []
    callers = [threading.Thread(target=lambda: results.append(backend.understander(tools)))
               for _ in range(3)]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert len(built) == 1
    assert all(result is built[0] for result in results)


def test_ask_starts_the_models_before_it_builds_the_tools(
    models: LocalModels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_prepare = LocalBackend.prepare
    real_toolkit = cli._toolkit

    def prepare(self: LocalBackend, tools: Any = None) -> None:
        calls.append("models" if tools is None else "understanding")
        real_prepare(self, tools)

    def toolkit(*args: Any) -> Any:
        calls.append("tools")
        return real_toolkit(*args)

    monkeypatch.setattr(LocalBackend, "prepare", prepare)
    monkeypatch.setattr(cli, "_toolkit", toolkit)
    args = cli._parser().parse_args(["ask", "in.wav", "--backend", "local",
                                     "--db", str(tmp_path / "days.sqlite3")])
    backend, tools = cli._start_up(args)
    assert isinstance(backend, LocalBackend)
    assert calls == ["models", "tools", "understanding"]
    assert backend.load() is models
    assert "daily_summary" in tools
