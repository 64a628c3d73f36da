"""Connect (wc-auth): approval screen, callback exactly 200, sealed keys, webhooks, import."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from plugin.crypto import unseal
from plugin.jobs.worker import Worker
from plugin.models import (
    InboxEvent,
    OAuthState,
    Order,
    Product,
    Store,
    StoreCredential,
    WebhookSubscription,
)
from tests.shopify_helpers import database_bytes
from tests.woocommerce_helpers import (
    CONSUMER_KEY,
    CONSUMER_SECRET,
    STORE_URL,
    TOPICS,
    count,
    fake_store,
    fixture,
)


def begin(client, store_url: str = STORE_URL) -> str:
    """Start a connect; returns the one-time state WooCommerce will send back as user_id."""
    response = client.get("/auth/woocommerce", query_string={"store_url": store_url})
    assert response.status_code == 302, response.get_data(as_text=True)
    return parse_qs(urlsplit(response.headers["Location"]).query)["user_id"][0]


def callback_body(state: str, **changes: Any) -> dict[str, Any]:
    body = fixture("wc_auth_callback.json")
    body["user_id"] = state
    body.update(changes)
    return body


def test_connect_sends_the_merchant_to_the_stores_approval_screen(client, db):
    response = client.get("/auth/woocommerce", query_string={"store_url": STORE_URL + "/"})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{STORE_URL}/wc-auth/v1/authorize"
    )
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["app_name"] == "Encore"
    assert query["scope"] == "read_write"
    assert query["callback_url"] == "https://encore.example.com/auth/woocommerce/callback"
    assert query["return_url"] == "https://encore.example.com/auth/woocommerce/connected"
    state = db.scalar(select(OAuthState).where(OAuthState.state == query["user_id"]))
    assert state is not None and state.shop == STORE_URL and state.used_at is None


@pytest.mark.parametrize(
    "store_url",
    [
        "",
        "corner-shop.example",
        "ftp://corner-shop.example",
        "javascript:alert(1)",
        "https://admin:secret@corner-shop.example",
        "https://corner-shop.example/?page=1",
        "https://encore.example.com",
        "https://ENCORE.example.com:443/shop",
        "http://localhost/",
        "https://corner-shop.example:99999",
    ],
)
def test_a_store_url_that_is_not_another_http_store_is_rejected(client, db, store_url):
    response = client.get("/auth/woocommerce", query_string={"store_url": store_url})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_store_url"
    assert count(db, OAuthState) == 0


def test_callback_answers_200_seals_the_keys_registers_webhooks_and_imports(
    app, client, db, app_config
):
    state = begin(client)
    with fake_store() as shop:
        shop.products = [fixture("product_simple.json"), fixture("product_variable.json")]
        shop.variations = {2200: fixture("product_variations.json")}
        shop.orders = [fixture("order_registered.json"), fixture("order_guest.json")]

        response = client.post("/auth/woocommerce/callback", json=callback_body(state))

        assert response.status_code == 200
        store = db.scalar(select(Store))
        assert store is not None and store.platform == "woocommerce"
        assert store.domain == STORE_URL and store.is_installed
        assert response.json == {"status": "connected", "store_id": store.public_id}

        credential = db.scalar(select(StoreCredential))
        assert unseal(credential.consumer_key_sealed) == CONSUMER_KEY
        assert unseal(credential.consumer_secret_sealed) == CONSUMER_SECRET
        assert CONSUMER_SECRET.encode() not in database_bytes(app_config["DATABASE_URL"])

        created = [call for call in shop.calls("POST", "webhooks")]
        bodies = [call.body for call in created]
        assert sorted(h["topic"] for h in shop.webhooks) == sorted(TOPICS)
        assert all(
            h["delivery_url"]
            == f"https://encore.example.com/webhooks/woocommerce/{store.public_id}"
            for h in shop.webhooks
        )
        assert len(set(shop.secrets.values())) == len(TOPICS)  # a secret of its own each
        assert all(b'"status": "active"' in body or b'"status":"active"' in body for body in bodies)
        rows = db.scalars(select(WebhookSubscription)).all()
        assert {r.topic: unseal(r.secret_sealed) for r in rows} == {
            h["topic"]: shop.secrets[h["id"]] for h in shop.webhooks
        }

        # The import runs as jobs, one page each.
        Worker(app).drain()

    assert count(db, Product) == 2
    assert count(db, Order) == 2
    assert shop.calls("GET", "products/2200/variations")


def test_callback_with_an_unknown_state_is_400_and_stores_nothing(client, db):
    with fake_store() as shop:
        response = client.post("/auth/woocommerce/callback", json=callback_body("made-up"))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_state"
    assert count(db, Store) == 0 and count(db, StoreCredential) == 0
    assert shop.requests == []


def test_a_state_works_once(client, db):
    state = begin(client)
    with fake_store():
        assert (
            client.post("/auth/woocommerce/callback", json=callback_body(state)).status_code == 200
        )
        replay = client.post(
            "/auth/woocommerce/callback",
            json=callback_body(state, key_id=8, consumer_key="ck_" + "9" * 40),
        )
    assert replay.status_code == 400
    credential = db.scalar(select(StoreCredential))
    assert unseal(credential.consumer_key_sealed) == CONSUMER_KEY
    assert count(db, Store) == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"key_permissions": "read"},
        {"consumer_secret": "not-a-secret"},
        {"consumer_key": None},
        {"key_id": "seven"},
    ],
)
def test_a_malformed_callback_is_400_and_leaves_the_state_unspent(client, db, changes):
    state = begin(client)
    response = client.post("/auth/woocommerce/callback", json=callback_body(state, **changes))
    assert response.status_code == 400
    assert count(db, Store) == 0
    assert db.scalar(select(OAuthState.used_at).where(OAuthState.state == state)) is None


def test_callback_body_that_is_not_json_is_400(client, db):
    response = client.post("/auth/woocommerce/callback", data="key_id=1", content_type="text/plain")
    assert response.status_code == 400
    assert count(db, Store) == 0


def test_the_store_failing_after_the_callback_does_not_undo_the_connect(client, db):
    state = begin(client)
    with fake_store() as shop:
        shop.fail_next = [500] * 10
        response = client.post("/auth/woocommerce/callback", json=callback_body(state))
    assert response.status_code == 200
    assert count(db, StoreCredential) == 1
    job = db.scalar(select(InboxEvent).where(InboxEvent.kind == "woocommerce.connect"))
    assert job is not None and job.status == "pending" and "HTTP 500" in job.last_error


def test_return_page_gives_the_merchant_the_store_id(client, db):
    state = begin(client)
    with fake_store():
        client.post("/auth/woocommerce/callback", json=callback_body(state))
    store = db.scalar(select(Store))
    page = client.get("/auth/woocommerce/connected", query_string={"success": 1, "user_id": state})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert store.public_id in html
    assert f"{STORE_URL}/wp-admin/options-general.php?page=encore-for-woocommerce" in html

    declined = client.get(
        "/auth/woocommerce/connected", query_string={"success": 0, "user_id": state}
    )
    assert declined.status_code == 400 and store.public_id not in declined.get_data(as_text=True)
