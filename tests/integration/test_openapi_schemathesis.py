"""Schemathesis against `/openapi.json`: no 5xx, answers and status codes as documented.

Runs on its own app and SQLite file with one installed Shopify store; requests carry a valid
admin id token for it, so the storefront and admin operations get past authentication.
Shopify itself is mocked. Rate limits are off: the generated requests would trip them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
import schemathesis
from cryptography.fernet import Fernet
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from plugin import create_app
from plugin.db import get_db
from tests.conftest import SHOP, SHOPIFY_API_KEY, SHOPIFY_API_SECRET
from tests.shopify_helpers import admin_id_token
from tests.storefront_helpers import add_product, shopify_store

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'encore.db'}",
            "JOBS_BACKEND": "db",
            "SECRET_KEY": "schemathesis-secret",
            "ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "SHOPIFY_API_KEY": SHOPIFY_API_KEY,
            "SHOPIFY_API_SECRET": SHOPIFY_API_SECRET,
            "APP_URL": "https://encore.example.com",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db = get_db().session()
        store = shopify_store(db, with_token=True)
        add_product(db, store, "632910392")
    yield app
    app.extensions["encore_db"].dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/openapi.json", fuzzed_app)


@pytest.fixture(scope="module")
def shopify() -> Iterator[responses.RequestsMock]:
    """Shopify grants tokens and refuses GraphQL at once; anything else is unreachable."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(
            f"https://{SHOP}/admin/oauth/access_token",
            json={"access_token": "shpat_fuzz", "scope": "read_orders"},
        )
        mock.post(
            f"https://{SHOP}/admin/api/2026-10/graphql.json",
            json={"errors": [{"message": "Not available in this test."}]},
        )
        yield mock


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case: Any, shopify: responses.RequestsMock) -> None:
    token = admin_id_token(exp=int(time.time()) + 3600)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
