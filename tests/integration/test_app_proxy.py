"""The Shopify app proxy: signed requests only; an order lookup that gives nothing away."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from plugin.models import Customer, Impression, OfferEvent
from tests.conftest import SHOP
from tests.storefront_helpers import (
    add_order,
    add_product,
    catalogue,
    count,
    proxy_query,
    proxy_signature,
    shipment,
    shopify_store,
)

EMAIL = "ada@example.com"
NOT_FOUND = "We couldn&#39;t find that order."


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "HOLDOUT_SHARE": 0.0, "PROXY_LOOKUP_LIMIT": 5}


@pytest.fixture
def store(db):
    return shopify_store(db)


@pytest.fixture
def order(db, store):
    catalogue(db, store, count=4)
    return add_order(
        db,
        store,
        "5001",
        ["1001"],
        name="#1042",
        email=EMAIL,
        customer_id="7001",
        shipments=(shipment("5001", "in_transit"),),
    )


def get(client, path: str, pairs: list[tuple[str, str]], json: bool = False, **headers: str):
    if json:
        headers["Accept"] = "application/json"
    return client.get(f"{path}?{urlencode(pairs)}", headers=headers)


def lookup(client, order_number: str, email: str, json: bool = False, **headers: str):
    pairs = proxy_query([("order", order_number), ("email", email)])
    return get(client, "/proxy/tracking", pairs, json=json, **headers)


# ---- the signature --------------------------------------------------------------------------


def test_signed_request_gets_the_lookup_page_as_liquid(client, store):
    response = get(client, "/proxy/tracking", proxy_query())
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/liquid")
    html = response.get_data(as_text=True)
    assert 'name="order"' in html and 'name="email"' in html
    assert 'action="/apps/encore/tracking"' in html


def test_missing_signature_is_401(client, store):
    pairs = [p for p in proxy_query() if p[0] != "signature"]
    assert get(client, "/proxy/tracking", pairs).status_code == 401


def test_wrong_signature_is_401(client, store):
    pairs = proxy_query(secret="another-app-secret")
    assert get(client, "/proxy/tracking", pairs).status_code == 401


def test_tampered_parameter_is_401(client, store):
    pairs = [(k, "9999" if k == "logged_in_customer_id" else v) for k, v in proxy_query()]
    assert get(client, "/proxy/tracking", pairs).status_code == 401


def test_stale_timestamp_is_401(client, store):
    pairs = proxy_query(timestamp=int(time.time()) - 301)
    response = get(client, "/proxy/tracking", pairs)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "stale_request"


def test_timestamp_from_the_future_is_401(client, store):
    assert (
        get(client, "/proxy/tracking", proxy_query(timestamp=int(time.time()) + 3600)).status_code
        == 401
    )


def test_parameters_in_any_order_verify(client, store):
    pairs = list(reversed(proxy_query()))
    assert get(client, "/proxy/tracking", pairs).status_code == 200


def test_repeated_parameter_is_signed_with_its_values_joined_by_commas(client, store):
    base = [
        ("shop", SHOP),
        ("logged_in_customer_id", ""),
        ("path_prefix", "/apps/encore"),
        ("timestamp", str(int(time.time()))),
        ("extra", "1"),
        ("extra", "2"),
    ]
    signature = proxy_signature(base)
    assert signature == proxy_signature([*base[:4], ("extra", "1,2")])
    response = get(client, "/proxy/tracking", [*base, ("signature", signature)])
    assert response.status_code == 200
    # Joined with "&" (the OAuth way) it would not verify.
    assert (
        get(
            client, "/proxy/tracking", [*base[:4], ("extra", "1"), ("signature", signature)]
        ).status_code
        == 401
    )


def test_signature_of_an_uppercase_hex_digest_verifies(client, store):
    pairs = [(k, v.upper() if k == "signature" else v) for k, v in proxy_query()]
    assert get(client, "/proxy/tracking", pairs).status_code == 200


def test_unknown_or_uninstalled_shop_is_404(client, db):
    assert get(client, "/proxy/tracking", proxy_query()).status_code == 404


# ---- the lookup --------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["#1042", "1042", " 1042 "])
def test_order_number_and_email_show_the_tracking(client, db, order, typed):
    response = lookup(client, typed, "Ada@Example.com ")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/liquid")
    html = response.get_data(as_text=True)
    assert "Order #1042" in html and "In transit" in html and "1Z999AA10123456784" in html
    assert 'class="encore-offer"' in html
    impression = db.scalar(select(Impression))
    assert impression is not None and impression.surface == "app_proxy"


def test_lookup_by_post_form(client, db, order):
    response = client.post(
        f"/proxy/tracking?{urlencode(proxy_query())}", data={"order": "#1042", "email": EMAIL}
    )
    assert response.status_code == 200
    assert "In transit" in response.get_data(as_text=True)


def test_miss_never_says_which_field_was_wrong(client, db, order):
    wrong_email = lookup(client, "#1042", "someone@example.com").get_data(as_text=True)
    wrong_number = lookup(client, "#9999", EMAIL).get_data(as_text=True)
    both_wrong = lookup(client, "#9999", "someone@example.com").get_data(as_text=True)
    malformed = lookup(client, "#1042", "not-an-email").get_data(as_text=True)
    for page in (wrong_email, wrong_number, both_wrong, malformed):
        assert NOT_FOUND in page
        assert "In transit" not in page
    # The pages differ only in the order number echoed back into the form.
    assert wrong_email == malformed
    assert wrong_email.replace("#1042", "#9999") == both_wrong == wrong_number
    assert count(db, Impression) == 0


def test_miss_in_json_is_one_neutral_404(client, order):
    first = lookup(client, "#1042", "someone@example.com", json=True)
    second = lookup(client, "#9999", EMAIL, json=True)
    assert first.status_code == second.status_code == 404
    assert first.json == second.json
    assert "couldn't find that order" in first.json["error"]["message"]


def test_json_lookup_answers_the_contract_shape(client, order):
    response = lookup(client, "1042", EMAIL, json=True)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.json
    assert list(body) == ["impression_id", "offers", "tracking"]
    assert body["tracking"]["status"] == "in_transit"
    assert [o["product_id"] for o in body["offers"]] == ["1002", "1003", "1004"]


def test_order_of_another_shop_cannot_be_looked_up(client, db, store):
    other = shopify_store(db, shop="other-grocer.myshopify.com", name="Other")
    add_order(db, other, "6001", ["1001"], name="#1042", email=EMAIL)
    response = lookup(client, "#1042", EMAIL)
    assert NOT_FOUND in response.get_data(as_text=True)


def test_customer_email_is_enough_when_the_order_has_none(client, db, store):
    add_order(db, store, "5002", ["1001"], name="#1043", customer_id="7009")
    customer = db.scalar(select(Customer).where(Customer.platform_customer_id == "7009"))
    assert customer is not None
    customer.email = EMAIL
    db.commit()
    assert "Order #1043" in lookup(client, "1043", EMAIL).get_data(as_text=True)


def test_lookups_are_rate_limited_per_shop_and_client(client, order):
    for _ in range(5):
        assert lookup(client, "#9999", EMAIL).status_code == 200
    limited = lookup(client, "#1042", EMAIL)
    assert limited.status_code == 429
    assert limited.headers["Content-Type"].startswith("application/liquid")
    assert "Too many order lookups" in limited.get_data(as_text=True)
    assert int(limited.headers["Retry-After"]) > 0
    as_json = lookup(client, "#1042", EMAIL, json=True)
    assert as_json.status_code == 429 and as_json.json["error"]["code"] == "too_many_lookups"
    # Another shopper (address) is not affected.
    other = lookup(client, "#1042", EMAIL, **{"X-Forwarded-For": "203.0.113.9"})
    assert other.status_code == 200


def test_liquid_in_shop_data_is_made_inert(client, db, store, order):
    add_product(db, store, "1002", title="{{ shop.metafields.secret }} {% render 'x' %}")
    html = lookup(client, "#1042", EMAIL).get_data(as_text=True)
    assert "{{" not in html and "{%" not in html
    assert "&#123;&#123; shop.metafields.secret &#125;&#125;" in html


def test_typed_text_is_echoed_inertly(client, order):
    html = lookup(client, "{{ x }}<b>", EMAIL).get_data(as_text=True)
    assert "{{" not in html and "<b>" not in html


# ---- the logged-in shopper ------------------------------------------------------------------


def test_logged_in_shopper_sees_their_recent_orders(client, db, store, order):
    add_order(db, store, "5002", ["1002"], name="#1043", customer_id="7001")
    add_order(db, store, "5003", ["1002"], name="#1044", customer_id="7999")
    response = get(client, "/proxy/tracking", proxy_query(customer_id="7001"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Your recent orders" in html
    assert "#1042" in html and "#1043" in html and "#1044" not in html
    as_json = get(client, "/proxy/tracking", proxy_query(customer_id="7001"), json=True).json
    assert [o["order_name"] for o in as_json["orders"]] == ["#1043", "#1042"]
    assert as_json["orders"][1]["tracking"]["status"] == "in_transit"


def test_offers_for_the_logged_in_shoppers_last_order(client, db, order):
    response = get(client, "/proxy/offers", proxy_query(customer_id="7001"), json=True)
    assert response.status_code == 200
    assert [o["product_id"] for o in response.json["offers"]] == ["1002", "1003", "1004"]
    assert response.json["tracking"] is None


def test_offers_for_the_cart(client, db, order):
    pairs = proxy_query([("product_ids", "1002,1003")])
    response = get(client, "/proxy/offers", pairs, json=True)
    assert [o["product_id"] for o in response.json["offers"]] == ["1001", "1004"]
    html = get(client, "/proxy/offers", pairs).get_data(as_text=True)
    assert html.count('class="encore-offer"') == 2


def test_offers_need_a_signature(client, order):
    pairs = [p for p in proxy_query() if p[0] != "signature"]
    assert get(client, "/proxy/offers", pairs, json=True).status_code == 401


def test_events_through_the_proxy(client, db, order):
    shown = lookup(client, "#1042", EMAIL, json=True).json
    body = {
        "impression_id": shown["impression_id"],
        "offer_id": shown["offers"][0]["offer_id"],
        "type": "click",
    }
    url = f"/proxy/events?{urlencode(proxy_query())}"
    assert client.post(url, json=body).json == {"status": "recorded"}
    assert client.post(url, json=body).json == {"status": "duplicate"}
    assert count(db, OfferEvent) == 1
    unsigned = f"/proxy/events?{urlencode([p for p in proxy_query() if p[0] != 'signature'])}"
    assert client.post(unsigned, json=body).status_code == 401


def test_a_forged_forwarded_for_does_not_dodge_the_limit(client, order):
    for n in range(5):
        spoofed = {"X-Forwarded-For": f"10.0.0.{n}, 198.51.100.7"}
        assert lookup(client, "#9999", EMAIL, **spoofed).status_code == 200
    limited = lookup(client, "#1042", EMAIL, **{"X-Forwarded-For": "10.9.9.9, 198.51.100.7"})
    assert limited.status_code == 429


def test_behind_a_load_balancer_the_shoppers_address_is_one_hop_further(app, client, order):
    app.config["APP_PROXY_FORWARDED_HOPS"] = 2
    for _ in range(5):
        lookup(client, "#9999", EMAIL, **{"X-Forwarded-For": "198.51.100.7, 23.227.38.1"})
    other_shopper = lookup(
        client, "#1042", EMAIL, **{"X-Forwarded-For": "198.51.100.8, 23.227.38.1"}
    )
    assert other_shopper.status_code == 200


def test_offers_block_may_ask_for_fewer_cards(client, db, order):
    pairs = proxy_query([("product_ids", "1002"), ("limit", "1")])
    response = get(client, "/proxy/offers", pairs, json=True)
    assert [o["product_id"] for o in response.json["offers"]] == ["1001"]
    impression = db.scalar(select(Impression).order_by(Impression.id.desc()))
    assert impression is not None and len(impression.offers) == 1
    too_many = proxy_query([("limit", "9")])
    assert get(client, "/proxy/offers", too_many, json=True).status_code == 400
