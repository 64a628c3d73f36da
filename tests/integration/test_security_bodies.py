"""Body limits and strict content types: refused with a JSON error, nothing stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugin import create_app
from plugin.db import get_db
from plugin.models import InboxEvent, OfferEvent
from tests.conftest import SHOP, shopify_hmac
from tests.shopify_helpers import admin_id_token
from tests.storefront_helpers import count, shopify_store, woocommerce_store


@pytest.fixture
def small(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app(
        {**app_config, "JOBS_BACKEND": "db", "MAX_BODY_BYTES": 1000, "MAX_CONTENT_LENGTH": 4000}
    )
    with app.app_context():
        yield app
    app.extensions["encore_db"].dispose()


def signed_webhook(client: FlaskClient, size: int) -> Any:
    body = json.dumps({"id": 1, "note": "x" * size}).encode()
    return client.post(
        "/webhooks/shopify",
        data=body,
        content_type="application/json",
        headers={
            "X-Shopify-Topic": "products/update",
            "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-Event-Id": f"event-{size}",
            "X-Shopify-Hmac-Sha256": shopify_hmac(body),
        },
    )


def test_an_oversize_event_is_413_in_the_error_shape_and_stores_nothing(small: Flask) -> None:
    body = {"impression_id": "i", "offer_id": "o", "type": "view", "pad": "x" * 2000}
    response = small.test_client().post("/api/storefront/events", json=body)
    assert response.status_code == 413
    assert response.json["error"]["code"] == "body_too_large"
    assert "1000 bytes" in response.json["error"]["message"]
    assert count(get_db().session(), OfferEvent) == 0


def test_webhooks_may_be_larger_than_other_bodies(small: Flask) -> None:
    client = small.test_client()
    assert signed_webhook(client, 2500).status_code == 200

    too_big = signed_webhook(client, 5000)

    assert too_big.status_code == 413
    assert too_big.json["error"]["code"] == "body_too_large"
    assert count(get_db().session(), InboxEvent) == 1


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_an_event_declared_as_anything_but_json_is_415(
    client: FlaskClient, db: Session, content_type: str
) -> None:
    body = json.dumps({"impression_id": "i", "offer_id": "o", "type": "view"})
    response = client.post("/api/storefront/events", data=body, content_type=content_type)
    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"
    assert "application/json" in response.json["error"]["message"]
    assert count(db, OfferEvent) == 0


def test_json_with_a_charset_is_accepted(client: FlaskClient) -> None:
    body = json.dumps({"impression_id": "i", "offer_id": "o", "type": "view"})
    response = client.post(
        "/api/storefront/events", data=body, content_type="application/json; charset=utf-8"
    )
    assert response.status_code != 415


def test_admin_api_writes_refuse_form_bodies(client: FlaskClient, db: Session) -> None:
    store = shopify_store(db, with_token=True)
    response = client.patch(
        f"/admin/api/stores/{store.public_id}/settings",
        data="accent_color=%23ffffff",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {admin_id_token()}"},
    )
    assert response.status_code == 415
    assert store.settings in (None, {})


def test_woocommerce_webhook_ping_stays_form_encoded(client: FlaskClient, db: Session) -> None:
    store = woocommerce_store(db)
    response = client.post(
        f"/webhooks/woocommerce/{store.public_id}",
        data="webhook_id=12",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.json == {"status": "pong"}
