"""`encore shopify sync-webhooks`: every installed shop re-checked, only missing topics created."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import responses
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.crypto import seal
from plugin.models import Store, StoreCredential, StoreStatus, WebhookSubscription, utcnow
from plugin.platforms.shopify_webhooks import WEBHOOK_TOPICS
from tests.conftest import SHOP, run_cli
from tests.shopify_helpers import FakeShopifyAdmin, graphql_url, mocked_http

REVOKED_SHOP = "closed-bakery.myshopify.com"
UNINSTALLED_SHOP = "gone-deli.myshopify.com"


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with mocked_http() as mock:
        yield mock


def add_shop(db: Session, domain: str, status: str = StoreStatus.INSTALLED) -> Store:
    store = Store(platform="shopify", domain=domain, status=status, installed_at=utcnow())
    store.credential = StoreCredential(
        access_token_sealed=seal(f"shpat_token_of_{domain}"),
        access_expires_at=utcnow() + timedelta(hours=1),
    )
    db.add(store)
    db.commit()
    return store


def test_sync_creates_only_missing_topics_and_reports_each_shop(app, db, http):
    store = add_shop(db, SHOP)
    add_shop(db, REVOKED_SHOP)
    add_shop(db, UNINSTALLED_SHOP, status=StoreStatus.UNINSTALLED)
    admin = FakeShopifyAdmin(http, page_size=4)  # several pages of subscriptions
    for topic in WEBHOOK_TOPICS[:-2]:
        admin.subscribe(topic)
    http.add(responses.POST, graphql_url(REVOKED_SHOP), status=401, json={"errors": "revoked"})

    result = run_cli(app, "shopify", "sync-webhooks")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines == [
        f"{REVOKED_SHOP}: error: Shopify refused Encore's access token for {REVOKED_SHOP} "
        "(HTTP 401): the app was uninstalled, the token was revoked, or a scope is missing. "
        "The merchant must open Encore in the Shopify admin (or reinstall it).",
        f"{SHOP}: 11 topics, created 2",
    ]
    assert admin.created_topics == list(WEBHOOK_TOPICS[-2:])
    db.expire_all()
    recorded = db.scalars(
        select(WebhookSubscription.topic).where(WebhookSubscription.store_id == store.id)
    ).all()
    assert sorted(recorded) == sorted(WEBHOOK_TOPICS)


def test_sync_twice_creates_nothing_the_second_time(app, db, http):
    add_shop(db, SHOP)
    admin = FakeShopifyAdmin(http)

    first = run_cli(app, "shopify", "sync-webhooks")
    second = run_cli(app, "shopify", "sync-webhooks")

    assert first.output.strip() == f"{SHOP}: 11 topics, created 11"
    assert second.output.strip() == f"{SHOP}: 11 topics, created 0"
    assert len(admin.subscriptions) == len(WEBHOOK_TOPICS)


def test_sync_without_shops_says_so(app, db, http):
    result = run_cli(app, "shopify", "sync-webhooks")

    assert result.exit_code == 0
    assert result.output.strip() == "No installed Shopify shops."
