"""Shared fixtures of the offline backend's tests: models load once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from voicelive.backends.local import LocalBackend, LocalModels
from voicelive.testing.speech import Voice, speak


@pytest.fixture(scope="session")
def backend() -> LocalBackend:
    # the second opinion (on by default) is tested where it is turned on (test_*second*)
    return LocalBackend(second_opinion=False)


@pytest.fixture(scope="session")
def models(backend: LocalBackend) -> LocalModels:
    return backend.load()


@pytest.fixture(scope="session")
def nutrition_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nutrition") / "days.sqlite3"


@pytest.fixture()
def tools(tmp_path: Path) -> Any:
    from voicelive.nutrition import toolkit

    return toolkit(db_path=tmp_path / "days.sqlite3")


@pytest.fixture(scope="session")
def say(models: LocalModels) -> Iterator[Any]:
    """``say(text)`` -> PCM16 16 kHz speech in the Piper voice (cached per text)."""
    cache: dict[str, bytes] = {}

    def _say(text: str) -> bytes:
        if text not in cache:
            cache[text] = speak(text, Voice("piper"), models.synthesizer)
        return cache[text]

    yield _say
