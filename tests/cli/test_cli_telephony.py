"""``voicelive serve``'s telephony flags reach the server settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from voicelive.cli import _parser, _telephony_settings
from voicelive.server.settings import ServerSettings


def test_telephony_flags_become_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    args = _parser().parse_args([
        "serve", "--public-url", "https://voice.example.com", "--twilio-auth-token", "t0ken",
        "--twilio-account-sid", "AC123", "--transfer-number", "+15550100",
    ])
    settings = ServerSettings(**_telephony_settings(args))
    assert settings.public_url == "https://voice.example.com"
    assert settings.twilio_auth_token == "t0ken"
    assert settings.twilio_account_sid == "AC123"
    assert settings.transfer_number == "+15550100"
    assert settings.public_hosts() == ("voice.example.com",)
    assert "t0ken" not in repr(settings)  # the token stays out of logs


def test_absent_flags_keep_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "from-env")
    args = _parser().parse_args(["serve"])
    assert _telephony_settings(args) == {}
    assert ServerSettings(**_telephony_settings(args)).twilio_auth_token == "from-env"


@pytest.mark.parametrize("field,value", [
    ("public_url", "ftp://voice.example.com"), ("public_url", "https://x.example/?q=1"),
    ("transfer_number", "call me"),
])
def test_bad_telephony_settings_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValidationError, match=field):
        ServerSettings(**{field: value})
