"""The thank-you extension's backend: who may ask, which order, and what offers come back."""

from __future__ import annotations

import re
from typing import Any

import pytest
import responses
from sqlalchemy import select

from plugin.models import Impression, Order, ProductPopularity
from tests.conftest import SHOP, SHOPIFY_API_KEY, load_fixture
from tests.shopify_helpers import graphql_url, make_session_token, mocked_http
from tests.storefront_helpers import (
    OTHER_SHOP,
    add_order,
    add_product,
    bearer,
    catalogue,
    count,
    customer_sub,
    shopify_store,
)

URL = "/api/storefront/thank-you"
MONEY = re.compile(r"^\d+\.\d{2}$")


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "HOLDOUT_SHARE": 0.0}


@pytest.fixture
def store(db):
    return shopify_store(db)


@pytest.fixture
def products(db, store) -> list[str]:
    return catalogue(db, store)


def ask(client, order_id: str = "5001", headers: dict[str, str] | None = None, **query: str):
    return client.get(
        URL,
        query_string={"order_id": order_id, **query},
        headers=bearer() if headers is None else headers,
    )


# ---- who may ask --------------------------------------------------------------------------


def unsigned_token() -> str:
    """`alg: none`: a token anyone could write."""
    import base64
    import json
    import time

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    now = int(time.time())
    claims = {"dest": SHOP, "aud": SHOPIFY_API_KEY, "exp": now + 60, "nbf": now - 1}
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


BAD_AUTHORIZATIONS: dict[str, Any] = {
    "missing header": None,
    "not bearer": lambda: "Basic abc",
    "expired": lambda: f"Bearer {make_session_token(exp=1_000_000)}",
    "wrong aud": lambda: f"Bearer {make_session_token(aud='another-app')}",
    "wrong secret": lambda: f"Bearer {make_session_token(secret='not-the-secret-0123456789')}",
    "no dest": lambda: f"Bearer {make_session_token(dest=None)}",
    "dest not a shop": lambda: f"Bearer {make_session_token(dest='evil.example.com')}",
    "future nbf": lambda: f"Bearer {make_session_token(nbf=4_102_444_800)}",
    "no exp": lambda: f"Bearer {make_session_token(exp=None)}",
    "alg none": lambda: f"Bearer {unsigned_token()}",
    "garbage": lambda: "Bearer not-a-jwt",
}


@pytest.mark.parametrize("case", list(BAD_AUTHORIZATIONS))
def test_requests_without_a_valid_session_token_are_rejected(client, db, store, case):
    make = BAD_AUTHORIZATIONS[case]
    response = ask(client, headers={} if make is None else {"Authorization": make()})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_session_token"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert count(db, Impression) == 0


def test_token_within_ten_seconds_of_expiry_leeway_is_accepted(client, store, products):
    import time

    assert ask(client, headers=bearer(exp=int(time.time()) - 5)).status_code == 200


def test_dest_with_https_prefix_is_accepted(client, store, products):
    assert ask(client, headers=bearer(dest=f"https://{SHOP}")).status_code == 200


def test_preflight_answers_204_with_cors_headers(client):
    response = client.options(
        URL,
        headers={
            "Origin": "https://extensions.shopifycdn.com",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


def test_unknown_shop_is_404(client, db, products):
    response = ask(client, headers=bearer(dest=OTHER_SHOP))
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_uninstalled_shop_is_404(client, db, store, products, send_shopify_webhook):
    send_shopify_webhook("app/uninstalled", load_fixture("shopify/app_uninstalled.json"))
    assert ask(client).status_code == 404
    assert count(db, Impression) == 0


# ---- which order --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "order_ref", ["gid://shopify/OrderIdentity/5001", "gid://shopify/Order/5001", "5001"]
)
def test_every_order_id_form_names_the_same_order(client, db, store, products, order_ref):
    order = add_order(db, store, "5001", [products[0]])
    response = ask(client, order_ref)
    assert response.status_code == 200
    impression = db.scalar(select(Impression))
    assert impression is not None
    assert (impression.order_id, impression.platform_order_id) == (order.id, "5001")
    assert products[0] not in [o["product_id"] for o in response.json["offers"]]


@pytest.mark.parametrize(
    "order_ref", ["", "gid://shopify/Product/5001", "abc", "50-01", "gid://shopify/Order/"]
)
def test_malformed_order_id_is_400(client, store, order_ref):
    response = ask(client, order_ref)
    assert response.status_code == 400
    assert "order_id" in response.json["error"]["fields"]


def test_missing_order_id_is_400(client, store):
    response = client.get(URL, headers=bearer())
    assert response.status_code == 400


def test_malformed_product_ids_are_400(client, store):
    response = ask(client, product_ids="1001,drop table")
    assert response.status_code == 400
    assert "product_ids" in response.json["error"]["fields"]


def test_order_of_another_shop_is_404(client, db, store, products):
    other = shopify_store(db, shop=OTHER_SHOP, name="Other")
    add_order(db, other, "6001", ["1001"])
    response = ask(client, "gid://shopify/OrderIdentity/6001")
    assert response.status_code == 404
    assert count(db, Impression) == 0


def test_order_of_another_customer_is_404(client, db, store, products):
    add_order(db, store, "5001", ["1001"], customer_id="7001")
    assert ask(client, headers=bearer(sub=customer_sub("7002"))).status_code == 404
    assert ask(client, headers=bearer(sub=customer_sub("7001"))).status_code == 200


def test_guest_order_is_404_for_a_logged_in_shopper(client, db, store, products):
    add_order(db, store, "5001", ["1001"])
    assert ask(client, headers=bearer(sub=customer_sub("7002"))).status_code == 404


def test_cached_answer_still_checks_the_customer(client, db, store, products):
    add_order(db, store, "5001", ["1001"], customer_id="7001")
    assert ask(client, headers=bearer(sub=customer_sub("7001"))).status_code == 200
    assert ask(client, headers=bearer(sub=customer_sub("7002"))).status_code == 404


# ---- the order has not arrived yet --------------------------------------------------------


def test_order_not_arrived_without_a_token_uses_the_cart_products(client, db, store, products):
    response = ask(client, "gid://shopify/OrderIdentity/5723942158451", product_ids="1001,1002")
    assert response.status_code == 200
    offered = [o["product_id"] for o in response.json["offers"]]
    assert offered == ["1003", "1004", "1005"]
    impression = db.scalar(select(Impression))
    assert impression is not None and impression.order_id is None
    assert impression.platform_order_id == "5723942158451"


def test_order_not_arrived_is_fetched_once_from_shopify_and_stored(client, db):
    store = shopify_store(db, with_token=True)
    for pid in ("8123456789001", "8123456789002", "1001", "1002"):
        add_product(db, store, pid)
    add_order(db, store, "9000", ["1001", "1002", "8123456789001", "8123456789002"])
    with mocked_http() as http:
        http.add(responses.POST, graphql_url(), json=load_fixture("shopify/graphql_order.json"))
        response = ask(client, "gid://shopify/OrderIdentity/5723942158451", product_ids="1001")
        again = ask(client, "gid://shopify/OrderIdentity/5723942158451", product_ids="1001")
        assert len(http.calls) == 1
    assert response.status_code == again.status_code == 200
    # The fetched order (strawberries, milk) decides, not the product_ids the extension sent.
    assert [o["product_id"] for o in response.json["offers"]] == ["1001", "1002"]
    order = db.scalar(select(Order).where(Order.platform_order_id == "5723942158451"))
    assert order is not None and len(order.line_items) == 2
    impression = db.scalar(select(Impression))
    assert impression is not None and impression.order_id == order.id


def test_shopify_failing_falls_back_to_the_cart_products(client, db):
    store = shopify_store(db, with_token=True)
    catalogue(db, store, count=4)
    with mocked_http() as http:
        http.add(responses.POST, graphql_url(), status=503)
        response = ask(client, "5723942158451", product_ids="1001")
    assert response.status_code == 200
    assert [o["product_id"] for o in response.json["offers"]] == ["1002", "1003", "1004"]


def test_order_shopify_does_not_know_falls_back_to_the_cart(client, db):
    store = shopify_store(db, with_token=True)
    catalogue(db, store, count=3)
    with mocked_http() as http:
        http.add(responses.POST, graphql_url(), json={"data": {"order": None}})
        response = ask(client, "5723942158451", product_ids="1002")
    assert [o["product_id"] for o in response.json["offers"]] == ["1001", "1003"]


# ---- what comes back ----------------------------------------------------------------------


def test_answer_has_the_contract_shape(client, db, store, products):
    add_order(db, store, "5001", ["1006"])
    response = ask(client)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.json
    assert list(body) == ["impression_id", "offers", "tracking"]
    assert body["tracking"] is None
    assert len(body["offers"]) == 3
    offer = body["offers"][0]
    assert list(offer) == [
        "offer_id",
        "product_id",
        "variant_id",
        "title",
        "image_url",
        "price",
        "compare_at_price",
        "currency",
        "discount_code",
        "discount_percent",
        "cart_url",
        "reason",
    ]
    assert offer["product_id"] == "1001" and offer["variant_id"] == "91001"
    assert offer["price"] == "11.50" and MONEY.match(offer["price"])
    assert offer["currency"] == "USD"
    assert offer["compare_at_price"] is None
    assert (offer["discount_code"], offer["discount_percent"]) == (None, 0)
    assert offer["cart_url"] == f"https://{SHOP}/cart/91001:1"
    assert offer["reason"] == "Popular at Fresh Grocer"
    assert "<" not in offer["reason"] and "<" not in offer["title"]


def test_never_offers_what_is_in_the_order_or_unavailable(client, db, store, products):
    add_product(db, store, "1002", available=False)  # sold out since
    add_product(db, store, "1003", status="archived")
    add_product(db, store, "1004", price="0.00")
    add_order(db, store, "5001", ["1001"])
    offered = [o["product_id"] for o in ask(client).json["offers"]]
    assert offered == ["1005", "1006"]


def test_at_most_three_offers(client, db, store):
    catalogue(db, store, count=8)
    add_order(db, store, "5001", ["1008"])
    assert len(ask(client).json["offers"]) == 3


def test_compare_at_price_and_merchant_discount(client, db, store, products):
    add_product(db, store, "1001", price="19", compare_at="24.5")
    store.settings["offer_discount_percent"] = 10
    db.commit()
    add_order(db, store, "5001", ["1006"])
    offer = ask(client).json["offers"][0]
    assert (offer["price"], offer["compare_at_price"]) == ("19.00", "24.50")
    assert offer["discount_percent"] == 10
    assert offer["discount_code"] is None
    assert "?" not in offer["cart_url"]  # no code, no discount parameter


def test_holdout_share_of_one_gives_no_offers_but_an_impression(app, client, db, store, products):
    app.config["HOLDOUT_SHARE"] = 1.0
    add_order(db, store, "5001", ["1001"])
    response = ask(client)
    assert response.status_code == 200
    assert response.json["offers"] == []
    impression = db.scalar(select(Impression))
    assert impression is not None and impression.in_holdout and impression.offers == []


def test_holdout_is_the_same_for_an_order_on_every_request(app, client, db, store, products):
    from plugin.offers.holdout import is_in_holdout

    app.config["HOLDOUT_SHARE"] = 0.5
    app.config["STOREFRONT_CACHE_SECONDS"] = 0
    held = [is_in_holdout(store, str(n), 0.5) for n in range(5001, 5041)]
    assert 5 < sum(held) < 35  # about half
    for n in (5001, 5002, 5003):
        first, second = ask(client, str(n)).json, ask(client, str(n)).json
        assert (first["offers"] == []) == (second["offers"] == []) == held[n - 5001]


def test_each_answer_logs_one_impression_even_from_the_cache(client, db, store, products):
    add_order(db, store, "5001", ["1001"])
    first, second = ask(client).json, ask(client).json
    assert first["impression_id"] != second["impression_id"]
    assert first["offers"] == second["offers"]
    assert count(db, Impression) == 2
    shown = db.scalars(select(Impression)).first()
    assert shown is not None
    assert shown.surface == "thank_you"
    assert [o["product_id"] for o in shown.offers] == ["1002", "1003", "1004"]
    assert {"offer_id", "product_id", "variant_id", "price", "strategy"} <= set(shown.offers[0])


def test_logged_in_shopper_is_remembered_on_the_impression(client, db, store, products):
    add_order(db, store, "5001", ["1001"], customer_id="7001")
    ask(client, headers=bearer(sub=customer_sub("7001")))
    impression = db.scalar(select(Impression))
    assert impression is not None and impression.platform_customer_id == "7001"


def test_offer_trouble_answers_without_offers(client, db, store, products, monkeypatch):
    from plugin.offers import selection

    def broken(*_args: Any, **_kwargs: Any) -> list[Any]:
        raise RuntimeError("recommender exploded")

    monkeypatch.setattr(selection, "_eligible_offers", broken)
    add_order(db, store, "5001", ["1001"])
    response = ask(client)
    assert response.status_code == 200
    assert response.json["offers"] == []
    assert count(db, Impression) == 1


def test_new_store_without_history_answers_with_no_offers(client, db, store):
    response = ask(client, product_ids="1001")
    assert response.status_code == 200 and response.json["offers"] == []


def test_popularity_was_learned_from_the_arranged_orders(db, store, products):
    counts = dict(
        db.execute(
            select(ProductPopularity.platform_product_id, ProductPopularity.order_count)
        ).all()
    )
    assert counts["1001"] == 6 and counts["1006"] == 1


def test_store_currency_is_used(client, db, store, products):
    store.currency = "EUR"
    db.commit()
    add_order(db, store, "5001", ["1001"])
    assert {o["currency"] for o in ask(client).json["offers"]} == {"EUR"}
