"""`voicelive serve` flags of several processes: --db takes a path or a PostgreSQL URL,
--workers and the resume options reach the settings, and an exposed multi-worker server
without a token is refused before anything is bound."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicelive.cli import _parser, _serve_scale
from voicelive.exceptions import ConfigError
from voicelive.server.run import serve
from voicelive.server.settings import ServerSettings


def _settings(*argv: str) -> ServerSettings:
    args = _parser().parse_args(["serve", *argv])
    return ServerSettings(**_serve_scale(args))


def test_db_url_workers_and_resume_flags_reach_the_settings() -> None:
    settings = _settings("--db", "postgresql://voicelive@db.internal/voicelive", "--workers", "3",
                         "--resume-secret", "s" * 24, "--resume-ttl", "120")
    assert settings.db_url == "postgresql://voicelive@db.internal/voicelive"
    assert settings.db_path is None
    assert (settings.workers, settings.resume_secret, settings.resume_ttl_s) == (3, "s" * 24, 120)


def test_a_plain_db_is_a_sqlite_path(tmp_path: Path) -> None:
    settings = _settings("--db", str(tmp_path / "state.sqlite3"))
    assert settings.db_path == tmp_path / "state.sqlite3" and settings.db_url is None
    assert settings.workers == 1


def test_a_short_resume_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="resume_secret"):
        _settings("--resume-secret", "short")


def test_exposed_workers_without_a_token_are_refused_before_binding() -> None:
    with pytest.raises(ConfigError, match="token"):
        serve(ServerSettings(host="0.0.0.0", workers=2, token=None))
