"""Rate limits on the public endpoints: abuse gets 429 and stores nothing; real traffic passes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits import parse
from sqlalchemy import func, select

from plugin import create_app
from plugin.config import DEFAULTS
from plugin.db import get_db
from plugin.models import InboxEvent
from tests.conftest import SHOP, shopify_hmac
from tests.services import redis_url
from tests.storefront_helpers import bearer

OTHER_SHOP = "other-grocer.myshopify.com"


def build_app(app_config: dict[str, Any], **settings: Any) -> Flask:
    return create_app({**app_config, "JOBS_BACKEND": "db", **settings})


@pytest.fixture
def limited(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = build_app(
        app_config,
        RATELIMIT_WEBHOOKS="3 per hour",
        RATELIMIT_WEBHOOK_REJECTS="5 per hour",
        RATELIMIT_STOREFRONT="2 per hour",
        RATELIMIT_ADMIN_LOGIN="2 per hour",
    )
    yield app
    app.extensions["encore_db"].dispose()


def webhook(
    client: FlaskClient,
    shop: str = SHOP,
    *,
    forged: bool = False,
    address: str = "10.0.0.1",
    **headers: str,
) -> Any:
    body = json.dumps({"id": uuid.uuid4().int % 10**12}).encode()
    return client.post(
        "/webhooks/shopify",
        data=body,
        content_type="application/json",
        environ_base={"REMOTE_ADDR": address},
        headers={
            "X-Shopify-Topic": "products/update",
            "X-Shopify-Shop-Domain": shop,
            "X-Shopify-Event-Id": uuid.uuid4().hex,
            "X-Shopify-Hmac-Sha256": "forged" if forged else shopify_hmac(body),
            **headers,
        },
    )


def stored_events(app: Flask) -> int:
    with app.app_context():
        return int(get_db().session().scalar(select(func.count()).select_from(InboxEvent)) or 0)


def test_default_webhook_limit_lets_a_flash_sale_through() -> None:
    limit = parse(DEFAULTS["RATELIMIT_WEBHOOKS"])
    per_minute = limit.amount * 60 / limit.get_expiry()
    assert per_minute >= 5000  # thousands of orders a minute for one shop


def test_a_burst_of_signed_webhooks_for_one_shop_passes_with_the_defaults(
    app_config: dict[str, Any],
) -> None:
    app = build_app(app_config)
    client = app.test_client()
    answers = {webhook(client).status_code for _ in range(600)}
    assert answers == {200}
    assert stored_events(app) == 600
    app.extensions["encore_db"].dispose()


def test_webhooks_over_the_limit_get_429_with_retry_after_and_store_nothing(
    limited: Flask,
) -> None:
    client = limited.test_client()
    assert [webhook(client).status_code for _ in range(3)] == [200, 200, 200]

    refused = webhook(client)

    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "rate_limited"
    assert "wait" in refused.json["error"]["message"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert stored_events(limited) == 3


def test_another_shop_keeps_its_own_webhook_allowance(limited: Flask) -> None:
    client = limited.test_client()
    for _ in range(4):
        webhook(client)
    assert webhook(client, OTHER_SHOP).status_code == 200


def test_forged_webhooks_do_not_use_up_the_shops_allowance(limited: Flask) -> None:
    client = limited.test_client()
    forged = [webhook(client, forged=True, address="203.0.113.9").status_code for _ in range(7)]
    assert forged == [401] * 5 + [429] * 2

    genuine = [webhook(client, address="10.0.0.2").status_code for _ in range(3)]
    assert genuine == [200, 200, 200]
    assert stored_events(limited) == 3


def test_storefront_calls_are_limited_per_shop_and_client_address(limited: Flask) -> None:
    client = limited.test_client()

    def thank_you(address: str) -> int:
        return client.get(
            "/api/storefront/thank-you?order_id=1",
            headers=bearer(),
            environ_base={"REMOTE_ADDR": address},
        ).status_code

    first = [thank_you("198.51.100.1") for _ in range(3)]
    assert first[2] == 429 and 429 not in first[:2]
    assert thank_you("198.51.100.2") != 429


def test_a_forged_forwarded_header_does_not_dodge_the_limit(limited: Flask) -> None:
    client = limited.test_client()

    def thank_you(forwarded: str) -> int:
        return client.get(
            "/api/storefront/thank-you?order_id=1",
            headers={**bearer(), "X-Forwarded-For": forwarded},
            environ_base={"REMOTE_ADDR": "198.51.100.7"},
        ).status_code

    answers = [thank_you(f"192.0.2.{n}") for n in range(3)]
    assert answers[2] == 429


def test_behind_a_trusted_proxy_the_forwarded_client_is_limited(
    app_config: dict[str, Any],
) -> None:
    app = build_app(app_config, RATELIMIT_STOREFRONT="1 per hour", TRUSTED_PROXY_HOPS=1)
    client = app.test_client()

    def thank_you(forwarded: str) -> int:
        return client.get(
            "/api/storefront/thank-you?order_id=1",
            headers={**bearer(), "X-Forwarded-For": forwarded},
            environ_base={"REMOTE_ADDR": "10.1.1.1"},  # the load balancer
        ).status_code

    assert thank_you("192.0.2.1") != 429
    assert thank_you("192.0.2.1") == 429
    assert thank_you("192.0.2.2") != 429
    app.extensions["encore_db"].dispose()


def test_login_posts_are_limited_but_the_login_page_is_not(limited: Flask) -> None:
    client = limited.test_client()
    posts = [
        client.post("/admin/login", data={"email": "a@b.example", "password": "x"}).status_code
        for _ in range(3)
    ]
    assert posts[2] == 429 and 429 not in posts[:2]
    assert client.get("/admin/login").status_code == 200


def test_rate_limits_can_be_switched_off(app_config: dict[str, Any]) -> None:
    app = build_app(app_config, RATELIMIT_ENABLED=False, RATELIMIT_WEBHOOKS="1 per hour")
    client = app.test_client()
    assert [webhook(client).status_code for _ in range(3)] == [200, 200, 200]
    app.extensions["encore_db"].dispose()


def test_two_app_processes_share_one_counter_in_redis(app_config: dict[str, Any]) -> None:
    shared = {
        "RATELIMIT_STORAGE_URI": redis_url(),
        "RATELIMIT_KEY_PREFIX": f"encore-test-{uuid.uuid4().hex}",
        "RATELIMIT_WEBHOOKS": "3 per hour",
    }
    first, second = build_app(app_config, **shared), build_app(app_config, **shared)

    answers = [webhook(first.test_client()).status_code for _ in range(2)]
    answers += [webhook(second.test_client()).status_code for _ in range(2)]

    assert answers == [200, 200, 200, 429]
    for app in (first, second):
        app.extensions["encore_db"].dispose()
