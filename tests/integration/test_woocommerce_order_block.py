"""The WooCommerce order block: the order key is the credential; JSON or an HTML fragment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from plugin.models import Impression
from tests.storefront_helpers import (
    add_order,
    add_product,
    catalogue,
    count,
    shipment,
    shopify_store,
    woocommerce_store,
)

KEY = "wc_order_Hk3dP0qZ1x"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "HOLDOUT_SHARE": 0.0}


@pytest.fixture
def woo(db):
    store = woocommerce_store(db)
    catalogue(db, store, count=4)
    add_order(
        db,
        store,
        "812",
        ["1001"],
        order_key=KEY,
        shipments=(
            shipment(
                "812",
                "in_transit",
                events=(
                    (
                        datetime(2026, 11, 22, 8, 30, tzinfo=UTC),
                        "in_transit",
                        "On its way",
                        "Leeds",
                    ),
                ),
            ),
        ),
    )
    return store


def url(store, order_id: str = "812") -> str:
    return f"/api/storefront/woocommerce/{store.public_id}/orders/{order_id}"


def test_right_key_answers_offers_and_tracking(client, db, woo):
    response = client.get(url(woo), query_string={"key": KEY})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.json
    assert list(body) == ["impression_id", "offers", "tracking"]
    assert [o["product_id"] for o in body["offers"]] == ["1002", "1003", "1004"]
    assert (
        body["offers"][0]["cart_url"] == "https://corner-shop.example/?add-to-cart=91002&quantity=1"
    )
    assert body["tracking"]["status"] == "in_transit"
    assert body["tracking"]["shipments"][0]["events"][0]["location"] == "Leeds"
    impression = db.scalar(select(Impression))
    assert impression is not None and impression.surface == "woocommerce"


@pytest.mark.parametrize("key", ["", "wc_order_wrong", KEY[:-1], KEY + "x", KEY.upper()])
def test_wrong_key_is_404(client, db, woo, key):
    response = client.get(url(woo), query_string={"key": key} if key else {})
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert count(db, Impression) == 0


def test_unknown_order_and_unknown_store_are_404(client, woo):
    assert client.get(url(woo, "999"), query_string={"key": KEY}).status_code == 404
    missing = "/api/storefront/woocommerce/nope/orders/812"
    assert client.get(missing, query_string={"key": KEY}).status_code == 404


def test_a_shopify_store_id_does_not_serve_woocommerce_orders(client, db):
    shop = shopify_store(db)
    add_order(db, shop, "812", ["1001"], order_key=KEY)
    assert client.get(url(shop), query_string={"key": KEY}).status_code == 404


def test_order_without_a_key_can_never_be_read(client, db, woo):
    add_order(db, woo, "813", ["1001"])
    assert client.get(url(woo, "813"), query_string={"key": "None"}).status_code == 404


def test_preflight(client, woo):
    response = client.options(url(woo))
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_html_fragment_when_the_browser_prefers_html(client, woo):
    response = client.get(
        url(woo),
        query_string={"key": KEY},
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    html = response.get_data(as_text=True)
    assert 'class="encore-block"' in html
    assert "In transit" in html and "Leeds" in html
    assert "https://corner-shop.example/?add-to-cart=91002&amp;quantity=1" in html
    # A fragment: no document, no stylesheet or script of its own, nothing external.
    for forbidden in ("<html", "<head", "<body", "<style", "<script", "<link", "@import"):
        assert forbidden not in html
    assert all(c.startswith("encore-") for c in _classes(html))


def test_html_fragment_escapes_a_product_title(client, db, woo):
    add_product(db, woo, "1002", title='Tea <script>alert("x")</script> & "biscuits"')
    response = client.get(url(woo), query_string={"key": KEY}, headers={"Accept": "text/html"})
    html = response.get_data(as_text=True)
    assert "<script>" not in html
    assert "Tea &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;biscuits&#34;" in html


def test_json_stays_json_for_api_clients(client, woo):
    for accept in ("application/json", "*/*", None):
        headers = {"Accept": accept} if accept else {}
        response = client.get(url(woo), query_string={"key": KEY}, headers=headers)
        assert response.mimetype == "application/json", accept


def _classes(html: str) -> set[str]:
    import re

    return {c for group in re.findall(r'class="([^"]*)"', html) for c in group.split()}
