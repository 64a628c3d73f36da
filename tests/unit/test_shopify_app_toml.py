"""shopify.app.toml agrees with the running service (scopes, API version, routes)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from plugin.config import DEFAULT_SHOPIFY_API_VERSION, DEFAULT_SHOPIFY_SCOPES

APP_TOML = Path(__file__).resolve().parents[2] / "shopify.app.toml"


def load() -> dict:
    return tomllib.loads(APP_TOML.read_text())


def test_app_is_embedded_and_asks_for_the_scopes_the_service_uses():
    config = load()
    assert config["name"] == "Encore"
    assert config["embedded"] is True
    assert config["access_scopes"]["scopes"] == DEFAULT_SHOPIFY_SCOPES
    assert config["access_scopes"]["use_legacy_install_flow"] is False
    assert config["pos"]["embedded"] is False


def test_urls_point_at_encores_routes():
    config = load()
    base = config["application_url"].rstrip("/")
    assert config["auth"]["redirect_urls"] == [f"{base}/auth/shopify/callback"]
    assert config["app_proxy"] == {
        "url": f"{base}/proxy",
        "subpath": "encore",
        "prefix": "apps",
    }


def test_compliance_topics_are_declared_for_the_webhook_endpoint():
    webhooks = load()["webhooks"]
    assert webhooks["api_version"] == DEFAULT_SHOPIFY_API_VERSION
    (subscription,) = webhooks["subscriptions"]
    assert sorted(subscription["compliance_topics"]) == [
        "customers/data_request",
        "customers/redact",
        "shop/redact",
    ]
    assert subscription["uri"].endswith("/webhooks/shopify")
