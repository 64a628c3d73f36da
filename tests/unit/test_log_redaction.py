"""What the log redactor masks, what it leaves readable, and how request ids are chosen."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from plugin.observability import Redactor, log_format, request_id_from, settings_from_environment

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.mark.parametrize(
    "secret",
    [
        "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",
        "shprt_7a9c3e1b5d2f4a6c8e0b1d3f5a7c9e2b",
        "shpss_0123456789abcdef",
        "ck_7b1c5d0a9f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "cs_0f1e2d3c4b5a69788796a5b4c3d2e1f07b1c5d0a",
        "maya.chen@example.com",
        "+15125550143",
        "+1 (512) 555-0143",
        "512-555-0143",
        "(512) 555-0143",
    ],
)
def test_tokens_keys_emails_and_phones_are_masked(secret):
    assert secret not in Redactor().text(f"calling with {secret}, then more")


def test_configured_secrets_are_masked_including_each_listed_key():
    redactor = Redactor.from_config(
        {"ENCRYPTION_KEY": "newkey-0123456789,oldkey-0123456789", "SMTP_PASSWORD": "hunter2-long"}
    )
    assert redactor.text("a oldkey-0123456789 b hunter2-long") == "a [redacted] b [redacted]"


def test_sensitive_parameters_lose_their_values_but_keep_their_names():
    masked = Redactor().text("GET /cb?code=abc123&shop=x.myshopify.com&hmac=ff00&state=s1")
    assert masked == "GET /cb?code=[redacted]&shop=x.myshopify.com&hmac=[redacted]&state=[redacted]"


@pytest.mark.parametrize(
    "plain",
    [
        "order 820982911946154508 created",
        "2026-11-20T10:00:00+00:00",
        "took 12.5 ms",
        "tracking 1Z999AA10123456784",
        "inbox 42 (orders/create) failed",
    ],
)
def test_ids_dates_and_numbers_stay_readable(plain):
    assert Redactor().text(plain) == plain


def test_a_short_configured_secret_is_not_masked_everywhere():
    assert Redactor.from_config({"SECRET_KEY": "abc"}).text("abc def") == "abc def"


def test_request_ids_are_kept_only_when_short_and_plain():
    assert request_id_from("lb-1.2_3") == "lb-1.2_3"
    for unsafe in ("", "a b", "x" * 65, "id\u00e9", "<script>"):
        replaced = request_id_from(unsafe)
        assert replaced != unsafe and len(replaced) == 32


def test_json_logs_in_production_and_text_in_development_unless_chosen():
    assert log_format({"ENV": "production"}) == "json"
    assert log_format({"ENV": "development"}) == "text"
    assert log_format({"ENV": "production", "LOG_FORMAT": "text"}) == "text"
    with pytest.raises(ValueError, match="use json or text"):
        log_format({"LOG_FORMAT": "xml"})


def test_logging_settings_come_from_the_environment_with_the_prefix_first():
    settings = settings_from_environment(
        {"ENCORE_LOG_LEVEL": "DEBUG", "LOG_LEVEL": "INFO", "SECRET_KEY": "s" * 20, "OTHER": "x"}
    )
    assert settings == {"LOG_LEVEL": "DEBUG", "SECRET_KEY": "s" * 20}


def test_gunicorn_settings_follow_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "9100")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["bind"] == "0.0.0.0:9100"
    assert conf["workers"] == 3
    assert conf["forwarded_allow_ips"] == "10.0.0.5"
    assert conf["preload_app"] is False and conf["accesslog"] is None
    assert conf["max_requests"] > 0 and conf["max_requests_jitter"] > 0
