"""The embedded admin installs Encore by trading its id token for an offline access token."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.crypto import unseal
from plugin.models import Store, StoreCredential, StoreStatus, WebhookSubscription, utcnow
from plugin.platforms.shopify_webhooks import WEBHOOK_TOPICS
from tests.conftest import SHOP, SHOPIFY_API_KEY, SHOPIFY_API_SECRET, load_fixture
from tests.shopify_helpers import (
    FakeShopifyAdmin,
    admin_id_token,
    calls_to,
    database_bytes,
    json_body,
    make_session_token,
    mocked_http,
    token_url,
)

EXCHANGED = load_fixture("shopify/oauth_token_exchange.json")


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with mocked_http() as mock:
        mock.add(responses.POST, token_url(), json=EXCHANGED)
        yield mock


@pytest.fixture
def shopify_admin(http: responses.RequestsMock) -> FakeShopifyAdmin:
    return FakeShopifyAdmin(http)


def exchange(client: Any, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post("/auth/shopify/token-exchange", headers=headers)


def count(db: Session, model: Any) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_id_token_is_exchanged_for_a_sealed_offline_token(app, client, db, http, shopify_admin):
    id_token = admin_id_token()

    response = exchange(client, id_token)

    assert response.status_code == 200
    assert response.json == {"shop": SHOP, "installed": True}
    assert json_body(calls_to(http, token_url())[0]) == {
        "client_id": SHOPIFY_API_KEY,
        "client_secret": SHOPIFY_API_SECRET,
        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
        "subject_token": id_token,
        "subject_token_type": "urn:ietf:params:oauth:token-type:id_token",
        "requested_token_type": "urn:shopify:params:oauth:token-type:offline-access-token",
        "expiring": "1",
    }
    store = db.scalar(select(Store).where(Store.domain == SHOP))
    assert store.status == StoreStatus.INSTALLED
    assert unseal(store.credential.access_token_sealed) == EXCHANGED["access_token"]
    assert unseal(store.credential.refresh_token_sealed) == EXCHANGED["refresh_token"]
    assert shopify_admin.created_topics == list(WEBHOOK_TOPICS)
    assert count(db, WebhookSubscription) == len(WEBHOOK_TOPICS)
    stored = database_bytes(app.config["DATABASE_URL"])
    assert EXCHANGED["access_token"].encode() not in stored
    assert EXCHANGED["refresh_token"].encode() not in stored


def test_opening_the_app_again_keeps_one_store_and_its_subscriptions(
    client, db, http, shopify_admin
):
    assert exchange(client, admin_id_token()).status_code == 200
    assert exchange(client, admin_id_token()).status_code == 200

    assert count(db, Store) == 1
    assert count(db, StoreCredential) == 1
    assert len(shopify_admin.created_topics) == len(WEBHOOK_TOPICS)


def test_exchange_reactivates_an_uninstalled_store(client, db, http, shopify_admin):
    old = Store(platform="shopify", domain=SHOP, status=StoreStatus.UNINSTALLED)
    old.uninstalled_at = utcnow()
    db.add(old)
    db.commit()

    assert exchange(client, admin_id_token()).status_code == 200

    db.expire_all()
    store = db.scalar(select(Store))
    assert store.is_installed and store.uninstalled_at is None and store.installed_at is not None
    assert store.credential is not None


@pytest.mark.parametrize(
    "token",
    [
        lambda: admin_id_token(aud="another-app-client-id"),
        lambda: admin_id_token(exp=int(time.time()) - 30, nbf=int(time.time()) - 90),
        lambda: admin_id_token(nbf=int(time.time()) + 60),
        lambda: make_session_token(
            secret="not-the-app-secret", iss=f"https://{SHOP}/admin", dest=f"https://{SHOP}"
        ),
        lambda: admin_id_token(iss="https://other-shop.myshopify.com/admin"),
        lambda: make_session_token(dest=f"https://{SHOP}"),  # an extension token: no iss
        lambda: admin_id_token(
            dest="https://evil.example.com", iss="https://evil.example.com/admin"
        ),
        lambda: "not-a-jwt",
        lambda: None,
    ],
    ids=[
        "wrong-aud",
        "expired",
        "not-yet-valid",
        "wrong-secret",
        "wrong-iss",
        "no-iss",
        "not-a-shop",
        "garbage",
        "no-header",
    ],
)
def test_bad_id_token_is_rejected_and_nothing_stored(client, db, http, token):
    response = exchange(client, token())

    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_session_token"
    assert count(db, Store) == 0
    assert calls_to(http, token_url()) == []


def test_refused_exchange_answers_502_and_stores_nothing(client, db):
    with mocked_http() as http:
        http.add(
            responses.POST,
            token_url(),
            status=400,
            json={"error": "invalid_subject_token", "error_description": "Token is expired"},
        )
        response = exchange(client, admin_id_token())

    assert response.status_code == 502
    assert "reload Encore in the Shopify admin" in response.json["error"]["message"]
    assert "invalid_subject_token" in response.json["error"]["message"]
    assert count(db, Store) == 0
