"""Shared fixtures: a fresh app per test on SQLite and on PostgreSQL, Shopify test credentials.

Every test that uses `app_config` (and so `app`, `client`, `db`) runs twice, with the ids
`[sqlite]` and `[postgresql]`; the PostgreSQL run skips with a reason when no server is
configured locally, and fails under CI=true (see tests/services.py).
"""

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
from tests.databases import (
    ENGINES,
    PostgresServer,
    ReusablePostgresDatabase,
    copy_sqlite_database,
    migrate,
)
from tests.services import postgres_url

SHOPIFY_API_KEY = "test-client-id"
SHOPIFY_API_SECRET = "test-client-secret-0123456789"
SHOP = "fresh-grocer.myshopify.com"
FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(relative: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / relative).read_text())
    return data


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test that reaches a database once per engine, with ids [sqlite], [postgresql].

    Done here rather than with `params=` on the fixture: pytest does not parametrize a fixture
    that a test only reaches through an overridden one (the modules that extend `app_config`),
    so those tests would otherwise fail with "no parameter defined".
    """
    for name, reached_through in (("database_url", "app_config"), ("empty_database_url", None)):
        if name in metafunc.fixturenames or reached_through in metafunc.fixturenames:
            if name not in metafunc.fixturenames:
                metafunc.fixturenames.append(name)
            metafunc.parametrize(name, ENGINES, indirect=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(postgres_url())
    server.drop_abandoned()
    yield server
    server.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once for the whole run; tests work on copies of it."""
    path = tmp_path_factory.mktemp("migrated") / "encore.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres_server: PostgresServer) -> Iterator[ReusablePostgresDatabase]:
    """This process's own PostgreSQL database, migrated once and emptied before each test."""
    with postgres_server.temporary_database("encore_test") as url:
        migrate(url)
        database = ReusablePostgresDatabase(url)
        yield database
        database.dispose()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database holding nothing, on each engine in turn."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("migrated_sqlite_file")
        return copy_sqlite_database(template, tmp_path / "encore-test.db")
    database: ReusablePostgresDatabase = request.getfixturevalue("migrated_postgres")
    database.empty()
    return database.url


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database without even a schema, on each engine in turn (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    with server.temporary_database("encore_empty") as url:
        yield url


@pytest.fixture
def app_config(database_url: str) -> dict[str, Any]:
    return {
        "DATABASE_URL": database_url,
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
