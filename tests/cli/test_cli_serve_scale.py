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


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--workers", "0"], "--workers: 0 is not between 1 and 64"),
        (["--workers", "many"], "'many' is not a number"),
        (["--resume-secret", "short"], "at least 16 characters"),
        (["--resume-ttl", "0"], "--resume-ttl: 0 is not between"),
    ],
)
def test_bad_values_are_usage_errors_that_name_the_flag(
    argv: list[str], complaint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _settings(*argv)
    assert exited.value.code == 2
    assert complaint in capsys.readouterr().err


def test_exposed_workers_without_a_token_are_refused_before_binding() -> None:
    with pytest.raises(ConfigError, match="token"):
        serve(ServerSettings(host="0.0.0.0", workers=2, token=None))
