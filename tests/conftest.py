"""Shared fixtures: a fresh app on a temporary SQLite file per test, Shopify test credentials."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugin import create_app
from plugin.db import get_db

SHOPIFY_API_KEY = "test-client-id"
SHOPIFY_API_SECRET = "test-client-secret-0123456789"
SHOP = "fresh-grocer.myshopify.com"
FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(relative: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / relative).read_text())
    return data


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'encore-test.db'}",
        "JOBS_BACKEND": "inline",
        "SECRET_KEY": "test-secret-key",
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "SHOPIFY_API_KEY": SHOPIFY_API_KEY,
        "SHOPIFY_API_SECRET": SHOPIFY_API_SECRET,
        "APP_URL": "https://encore.example.com",
        "JOBS_BACKOFF_BASE_SECONDS": 1.0,
        "JOBS_MAX_ATTEMPTS": 3,
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    application = create_app(app_config)
    with application.app_context():
        yield application
    get_db_of(application).dispose()


def get_db_of(application: Flask) -> Any:
    return application.extensions["encore_db"]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Session:
    """The app's session, for arranging and asserting state."""
    return get_db().session()


def shopify_hmac(body: bytes, secret: str = SHOPIFY_API_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@pytest.fixture
def send_shopify_webhook(client: FlaskClient) -> Callable[..., Any]:
    """POST a signed Shopify webhook the way Shopify does; returns the response."""

    def send(
        topic: str,
        payload: dict[str, Any] | bytes,
        *,
        event_id: str | None = None,
        shop: str = SHOP,
        secret: str = SHOPIFY_API_SECRET,
        signature: str | None = None,
    ) -> Any:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {
            "X-Shopify-Topic": topic,
            "X-Shopify-Shop-Domain": shop,
            "X-Shopify-API-Version": "2026-10",
            "X-Shopify-Webhook-Id": f"wh-{event_id or hashlib.sha1(body).hexdigest()}",
            "X-Shopify-Event-Id": event_id or hashlib.sha1(body + topic.encode()).hexdigest(),
            "X-Shopify-Triggered-At": "2026-11-20T10:00:00.000Z",
            "X-Shopify-Hmac-Sha256": signature
            if signature is not None
            else shopify_hmac(body, secret),
        }
        return client.post(
            "/webhooks/shopify", data=body, headers=headers, content_type="application/json"
        )

    return send


def run_cli(application: Flask, *args: str) -> Any:
    """Invoke the `encore` command against this test app; returns click's Result."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from plugin.cli import main

    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: application))
