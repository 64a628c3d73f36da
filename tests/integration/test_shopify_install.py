"""Installing Encore on a shop with the authorization-code flow (CONTRACT.md "Shopify install")."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin import create_app
from plugin.crypto import unseal
from plugin.db import get_db
from plugin.models import OAuthState, Store, StoreCredential, StoreStatus, WebhookSubscription
from plugin.platforms.shopify_webhooks import WEBHOOK_TOPICS
from plugin.privacy import revoke_store
from tests.conftest import SHOP, SHOPIFY_API_KEY, SHOPIFY_API_SECRET, load_fixture
from tests.shopify_helpers import (
    FakeShopifyAdmin,
    calls_to,
    database_bytes,
    json_body,
    mocked_http,
    signed_query,
    token_url,
)

STATE_COOKIE = "encore_shopify_state"
CODE = "0907a61c0c8d55e99db179b68161bc00"
HOST = "YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZnJlc2gtZ3JvY2Vy"


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with mocked_http() as mock:
        mock.add(responses.POST, token_url(), json=load_fixture("shopify/oauth_access_token.json"))
        yield mock


@pytest.fixture
def shopify_admin(http: responses.RequestsMock) -> FakeShopifyAdmin:
    return FakeShopifyAdmin(http)


def count(db: Session, model: Any) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def install_request(shop: str = SHOP, **changes: Any) -> dict[str, str]:
    params = {"shop": shop, "timestamp": int(time.time()), "host": HOST, **changes}
    return signed_query(params)


def begin(client: FlaskClient, shop: str = SHOP) -> str:
    """Start an install; return the state Shopify will hand back."""
    response = client.get("/auth/shopify", query_string=install_request(shop))
    assert response.status_code == 302, response.json
    return parse_qs(urlsplit(response.location).query)["state"][0]


def callback(client: FlaskClient, state: str | None, shop: str = SHOP, **changes: Any) -> Any:
    params: dict[str, Any] = {
        "code": CODE,
        "host": HOST,
        "shop": shop,
        "timestamp": int(time.time()),
    }
    if state is not None:
        params["state"] = state
    params.update(changes)
    return client.get("/auth/shopify/callback", query_string=signed_query(params))


def assert_nothing_installed(db: Session, http: responses.RequestsMock) -> None:
    assert count(db, Store) == 0
    assert count(db, StoreCredential) == 0
    assert calls_to(http, token_url()) == []


def test_install_sends_the_merchant_to_shopify_with_a_one_time_state(client, db, http):
    response = client.get("/auth/shopify", query_string=install_request())

    assert response.status_code == 302
    target = urlsplit(response.location)
    assert (target.scheme, target.netloc, target.path) == ("https", SHOP, "/admin/oauth/authorize")
    query = parse_qs(target.query)
    assert query["client_id"] == [SHOPIFY_API_KEY]
    assert query["scope"] == [
        "read_orders,read_products,read_customers,read_fulfillments,read_checkouts,write_discounts"
    ]
    assert query["redirect_uri"] == ["https://encore.example.com/auth/shopify/callback"]
    state = query["state"][0]
    assert len(state) >= 32
    assert db.scalar(select(OAuthState).where(OAuthState.state == state)).shop == SHOP

    cookie = client.get_cookie(STATE_COOKIE, path="/auth/shopify")
    assert cookie is not None
    assert cookie.value != state  # signed with SECRET_KEY, not the bare state
    assert cookie.secure and cookie.http_only and cookie.same_site == "Lax"


def test_install_end_to_end_stores_a_sealed_token_and_subscribes_webhooks(
    app, client, db, http, shopify_admin
):
    state = begin(client)
    response = callback(client, state)

    assert response.status_code == 302
    assert response.location == f"https://{SHOP}/admin/apps/{SHOPIFY_API_KEY}"

    store = db.scalar(select(Store).where(Store.domain == SHOP))
    assert store.platform == "shopify" and store.status == StoreStatus.INSTALLED
    assert store.installed_at is not None
    assert (store.name, store.currency, store.timezone) == (
        "Fresh Grocer",
        "CAD",
        "America/Toronto",
    )

    granted = load_fixture("shopify/oauth_access_token.json")
    credential = store.credential
    assert unseal(credential.access_token_sealed) == granted["access_token"]
    assert unseal(credential.refresh_token_sealed) == granted["refresh_token"]
    assert credential.scopes == granted["scope"]
    assert credential.access_expires_at - store.installed_at < timedelta(seconds=3600)
    assert credential.refresh_expires_at - store.installed_at > timedelta(days=89)

    token_call = json_body(calls_to(http, token_url())[0])
    assert token_call == {
        "client_id": SHOPIFY_API_KEY,
        "client_secret": SHOPIFY_API_SECRET,
        "code": CODE,
        "expiring": "1",
    }

    assert shopify_admin.created_topics == list(WEBHOOK_TOPICS)
    assert set(shopify_admin.tokens_seen) == {granted["access_token"]}
    rows = db.scalars(select(WebhookSubscription).where(WebhookSubscription.store_id == store.id))
    assert sorted(r.topic for r in rows) == sorted(WEBHOOK_TOPICS)

    stored = database_bytes(app.config["DATABASE_URL"])
    assert SHOP.encode() in stored  # the search sees the stored rows
    assert granted["access_token"].encode() not in stored
    assert granted["refresh_token"].encode() not in stored


def test_install_clears_the_state_cookie(client, db, http, shopify_admin):
    callback(client, begin(client))
    assert client.get_cookie(STATE_COOKIE, path="/auth/shopify") is None


def test_second_install_creates_no_duplicate_subscriptions(client, db, http, shopify_admin):
    callback(client, begin(client))
    assert len(shopify_admin.created_topics) == len(WEBHOOK_TOPICS)

    response = callback(client, begin(client))

    assert response.status_code == 302
    assert len(shopify_admin.created_topics) == len(WEBHOOK_TOPICS)
    assert len(shopify_admin.subscriptions) == len(WEBHOOK_TOPICS)
    assert count(db, WebhookSubscription) == len(WEBHOOK_TOPICS)
    assert count(db, Store) == 1


def test_subscriptions_to_another_address_do_not_count(client, db, http):
    admin = FakeShopifyAdmin(http)
    admin.subscribe("ORDERS_CREATE")
    admin.subscribe("APP_UNINSTALLED", "https://old-host.example.net/webhooks/shopify")

    callback(client, begin(client))

    assert "ORDERS_CREATE" not in admin.created_topics
    assert "APP_UNINSTALLED" in admin.created_topics
    assert len(admin.created_topics) == len(WEBHOOK_TOPICS) - 1


def test_reinstall_after_uninstall_reactivates_the_store(client, db, http, shopify_admin):
    callback(client, begin(client))
    store = db.scalar(select(Store))
    revoke_store(db, store)  # what the app/uninstalled webhook does
    db.commit()
    assert store.uninstalled_at is not None

    callback(client, begin(client))

    db.expire_all()
    store = db.scalar(select(Store))
    assert store.status == StoreStatus.INSTALLED and store.uninstalled_at is None
    assert store.credential is not None
    assert count(db, Store) == 1


def test_install_stands_when_webhook_registration_fails(client, db, http):
    http.add(responses.POST, f"https://{SHOP}/admin/api/2026-10/graphql.json", status=404)

    response = callback(client, begin(client))

    assert response.status_code == 302
    store = db.scalar(select(Store))
    assert store.is_installed and store.credential is not None
    assert count(db, WebhookSubscription) == 0


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (lambda: {**install_request(), "hmac": "0" * 64}, "invalid_hmac"),
        (lambda: {k: v for k, v in install_request().items() if k != "hmac"}, "invalid_hmac"),
        (lambda: install_request(timestamp=int(time.time()) - 301), "stale_request"),
        (lambda: install_request(timestamp=int(time.time()) + 3600), "stale_request"),
        (lambda: install_request(shop="fresh-grocer.example.com"), "invalid_shop"),
        (lambda: install_request(shop="evil.com/.myshopify.com"), "invalid_shop"),
        (lambda: install_request(shop="-grocer.myshopify.com"), "invalid_shop"),
    ],
    ids=[
        "bad-hmac",
        "no-hmac",
        "stale-timestamp",
        "future-timestamp",
        "other-domain",
        "path-trick",
        "leading-dash",
    ],
)
def test_bad_install_request_is_rejected_and_nothing_stored(client, db, http, query, code):
    response = client.get("/auth/shopify", query_string=query())

    assert response.status_code == 400
    assert response.json["error"]["code"] == code
    assert client.get_cookie(STATE_COOKIE, path="/auth/shopify") is None
    assert count(db, OAuthState) == 0
    assert_nothing_installed(db, http)


def test_replayed_state_is_rejected(client, db, http, shopify_admin):
    state = begin(client)
    assert callback(client, state).status_code == 302

    replay = callback(client, state)

    assert replay.status_code == 400
    assert replay.json["error"]["code"] == "invalid_state"
    assert len(calls_to(http, token_url())) == 1


def test_replayed_callback_with_its_cookie_is_rejected(client, db, http, shopify_admin):
    state = begin(client)
    cookie = client.get_cookie(STATE_COOKIE, path="/auth/shopify")
    assert callback(client, state).status_code == 302
    client.set_cookie(STATE_COOKIE, cookie.value, path="/auth/shopify")

    replay = callback(client, state)

    assert replay.status_code == 400
    assert replay.json["error"]["code"] == "invalid_state"
    assert len(calls_to(http, token_url())) == 1
    assert count(db, StoreCredential) == 1


def test_missing_state_is_rejected(client, db, http):
    begin(client)
    response = callback(client, None)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_state"
    assert_nothing_installed(db, http)


def test_missing_state_cookie_is_rejected(client, db, http):
    state = begin(client)
    client.delete_cookie(STATE_COOKIE, path="/auth/shopify")

    response = callback(client, state)

    assert response.status_code == 400
    assert "cookie" in response.json["error"]["message"]
    assert_nothing_installed(db, http)


def test_state_of_another_browser_is_rejected(app, client, db, http):
    state_of_other_browser = begin(app.test_client())
    begin(client)

    response = callback(client, state_of_other_browser)

    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_state"
    assert_nothing_installed(db, http)


def test_forged_state_cookie_is_rejected(client, db, http):
    state = begin(client)
    client.set_cookie(STATE_COOKIE, "forged." + state, path="/auth/shopify")

    response = callback(client, state)

    assert response.status_code == 400
    assert_nothing_installed(db, http)


def test_state_for_another_shop_is_rejected(client, db, http):
    state = begin(client, "other-shop.myshopify.com")

    response = callback(client, state)

    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_state"
    assert_nothing_installed(db, http)


def test_expired_state_is_rejected(client, db, http):
    state = begin(client)
    row = db.scalar(select(OAuthState).where(OAuthState.state == state))
    row.created_at -= timedelta(hours=1)
    db.commit()

    response = callback(client, state)

    assert response.status_code == 400
    assert_nothing_installed(db, http)


@pytest.mark.parametrize(
    "changes",
    [
        {"hmac": "f" * 64},
        {"timestamp": 1_600_000_000},
        {"shop": "fresh-grocer.myshopify.com.evil.com"},
    ],
    ids=["bad-hmac", "stale-timestamp", "bad-shop"],
)
def test_bad_callback_is_rejected_and_state_kept_unused(client, db, http, changes):
    state = begin(client)
    params = {"code": CODE, "shop": SHOP, "state": state, "timestamp": int(time.time())}
    params.update({k: v for k, v in changes.items() if k != "hmac"})
    query = signed_query(params)
    query.update({k: v for k, v in changes.items() if k == "hmac"})

    response = client.get("/auth/shopify/callback", query_string=query)

    assert response.status_code == 400
    assert_nothing_installed(db, http)
    assert db.scalar(select(OAuthState).where(OAuthState.state == state)).used_at is None


def test_refused_code_answers_502_and_stores_no_store(client, db):
    with mocked_http() as http:
        http.add(
            responses.POST,
            token_url(),
            status=400,
            json={"error": "invalid_request", "error_description": "authorization code was used"},
        )
        response = callback(client, begin(client))

    assert response.status_code == 502
    assert "start the install again" in response.json["error"]["message"]
    assert count(db, Store) == 0


def test_install_routes_explain_missing_credentials(app_config):
    config = {
        **app_config,
        "SHOPIFY_API_KEY": None,
        "SHOPIFY_API_SECRET": "",
    }
    unconfigured: Flask = create_app(config)
    try:
        with unconfigured.app_context():
            client = unconfigured.test_client()
            for response in (
                client.get("/auth/shopify", query_string=install_request()),
                client.get("/auth/shopify/callback", query_string=install_request()),
                client.post("/auth/shopify/token-exchange"),
            ):
                assert response.status_code == 503
                message = response.json["error"]["message"]
                assert "SHOPIFY_API_KEY" in message and "SHOPIFY_API_SECRET" in message
    finally:
        with unconfigured.app_context():
            get_db().dispose()
