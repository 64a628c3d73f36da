"""Encore's own tracking page, `/t/<token>`: the link in shipping emails and texts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from plugin.models import Impression
from tests.conftest import load_fixture
from tests.storefront_helpers import (
    add_order,
    add_product,
    catalogue,
    count,
    shipment,
    shopify_store,
)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "HOLDOUT_SHARE": 0.0}


@pytest.fixture
def store(db):
    shop = shopify_store(db)
    shop.timezone = "America/New_York"
    shop.settings = {
        "logo_url": "https://cdn.shopify.com/s/files/1/logo.png",
        "accent_color": "#ffcc00",
        "support_url": "https://fresh-grocer.example/contact",
        "returns_url": "https://fresh-grocer.example/returns",
    }
    db.commit()
    return shop


@pytest.fixture
def order(db, store):
    catalogue(db, store, count=4)
    parcel = shipment(
        "5001",
        "out_for_delivery",
        events=(
            (datetime(2026, 11, 21, 15, 15, tzinfo=UTC), "confirmed", "Label created", None),
            (datetime(2026, 11, 23, 13, 5, tzinfo=UTC), "out_for_delivery", None, "Brooklyn, NY"),
        ),
        estimated=datetime(2026, 11, 23, 22, 0, tzinfo=UTC),
    )
    return add_order(db, store, "5001", ["1001"], name="#1042", shipments=(parcel,))


def test_tracking_token_is_unguessable_and_unique(db, store):
    first = add_order(db, store, "5001", ["1001"])
    second = add_order(db, store, "5002", ["1001"])
    assert first.tracking_token != second.tracking_token
    assert len(first.tracking_token) >= 32
    assert "5001" not in first.tracking_token


def test_page_shows_status_timeline_parcel_offers_and_help(client, db, store, order):
    response = client.get(f"/t/{order.tracking_token}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Order #1042" in html
    assert "Fresh Grocer" in html and "https://cdn.shopify.com/s/files/1/logo.png" in html
    assert "Out for delivery" in html
    assert 'aria-current="step"' in html
    assert "UPS" in html and "1Z999AA10123456784" in html
    assert "Brooklyn, NY" in html and "Label created" in html
    assert "Nov 23, 8:05 AM" in html  # the store's time zone
    assert "Estimated delivery" in html and "Monday, Nov 23" in html
    assert "https://fresh-grocer.example/contact" in html
    assert "https://fresh-grocer.example/returns" in html
    assert "https://fresh-grocer.myshopify.com/cart/91002:1" in html
    assert "#ffcc00" in html and "color:#000000" in html  # dark text on a light accent
    assert html.count('class="encore-offer"') == 3


def test_page_loads_nothing_from_elsewhere(client, order):
    response = client.get(f"/t/{order.tracking_token}")
    html = response.get_data(as_text=True)
    assert not re.search(r"<link|<script[^>]+src=|@import|url\(", html)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_page_is_mobile_first_and_accessible(client, order):
    html = client.get(f"/t/{order.tracking_token}").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert html.count("<h1") == 1
    assert 'href="#encore-main"' in html
    assert all('alt="' in tag for tag in re.findall(r"<img[^>]*>", html))


def test_each_visit_records_an_impression(client, db, order):
    client.get(f"/t/{order.tracking_token}")
    client.get(f"/t/{order.tracking_token}")
    impressions = db.scalars(select(Impression)).all()
    assert [i.surface for i in impressions] == ["tracking_page", "tracking_page"]
    assert impressions[0].order_id == order.id


def test_unknown_token_is_a_404_page(client, db, order):
    for token in ("x" * 32, "short", order.tracking_token[:-1] + "!"):
        response = client.get(f"/t/{token}")
        assert response.status_code == 404
        assert response.mimetype == "text/html"
        assert "couldn't find this tracking link" in response.get_data(as_text=True)
    assert count(db, Impression) == 0


def test_uninstalled_store_page_is_404(client, order, send_shopify_webhook):
    send_shopify_webhook("app/uninstalled", load_fixture("shopify/app_uninstalled.json"))
    assert client.get(f"/t/{order.tracking_token}").status_code == 404


def test_merchant_text_cannot_inject_markup_or_styles(client, db, store, order):
    store.settings = {
        "accent_color": "red;background:url(https://evil.example)",
        "support_url": "javascript:alert(1)",
    }
    store.name = "<b>Fresh</b>"
    db.commit()
    add_product(db, store, "1002", title="<img src=x onerror=alert(1)>")
    html = client.get(f"/t/{order.tracking_token}").get_data(as_text=True)
    assert "evil.example" not in html and "javascript:" not in html
    assert "<b>Fresh</b>" not in html and "&lt;b&gt;Fresh&lt;/b&gt;" in html
    assert "<img src=x" not in html


def test_page_without_offers_or_parcels(client, db, store):
    order = add_order(db, store, "5001", ["1001"])
    html = client.get(f"/t/{order.tracking_token}").get_data(as_text=True)
    assert "Confirmed" in html
    assert 'class="encore-offer"' not in html and "<script" not in html


# ---- issue 6: delivery window, problems, returns and support, the JSON the block reads ----


def _parcel_in_transit(db, store, order_id="5101", shipped_days_ago=1, events=None):
    from plugin.models import utcnow
    from tests.tracking_helpers import parcel, place_order

    now = utcnow()
    shipped = now - timedelta(days=shipped_days_ago)
    return place_order(
        db,
        store,
        order_id,
        shipments=(
            parcel(
                order_id,
                "in_transit",
                fulfillment_id=f"f{order_id}",
                shipped_at=shipped,
                events=events
                if events is not None
                else ((now - timedelta(hours=2), "in_transit"),),
            ),
        ),
    )


def test_page_shows_the_delivery_window(client, db, store):
    order = _parcel_in_transit(db, store)
    html = client.get(f"/t/{order.tracking_token}").get_data(as_text=True)
    assert re.search(r"Estimated delivery: <time[^>]*>\w+day, \w+ \d+</time> \u2013 <time", html)
    assert "most likely" in html


def test_page_explains_a_stalled_parcel(client, db, store):
    from plugin.models import utcnow

    order = _parcel_in_transit(
        db, store, shipped_days_ago=6, events=((utcnow() - timedelta(days=4), "in_transit"),)
    )
    html = client.get(f"/t/{order.tracking_token}").get_data(as_text=True)
    assert "hasn&#39;t moved for a few days" in html


def test_page_shows_returns_policy_and_support_email(client, db, store):
    store.settings = {
        **store.settings,
        "returns_text": "Free returns within 30 days.",
        "support_email": "help@fresh-grocer.example",
    }
    db.commit()
    order = _parcel_in_transit(db, store)
    html = client.get(f"/t/{order.tracking_token}").get_data(as_text=True)
    assert "Free returns within 30 days." in html
    assert 'href="mailto:help@fresh-grocer.example"' in html
    assert "https://fresh-grocer.example/returns" in html


def test_order_status_json_carries_window_problem_help_and_feedback(client, db, store):
    from tests.storefront_helpers import bearer

    order = _parcel_in_transit(db, store, order_id="5102")
    body = client.get(
        "/api/storefront/order-status", query_string={"order_id": "5102"}, headers=bearer()
    ).json["tracking"]
    parcel_json = body["shipments"][0]
    assert parcel_json["estimate"]["source"] == "default"
    assert parcel_json["estimate"]["earliest"] <= parcel_json["estimate"]["likely"]
    assert parcel_json["estimate"]["likely"] <= parcel_json["estimate"]["latest"]
    assert parcel_json["estimated_delivery"] == parcel_json["estimate"]["likely"]
    assert parcel_json["exception"] is None
    assert body["help"]["returns_url"] == "https://fresh-grocer.example/returns"
    assert body["help"]["support_url"] == "https://fresh-grocer.example/contact"
    assert body["tracking_page_url"] == f"https://encore.example.com/t/{order.tracking_token}"
    assert body["feedback"]["enabled"] is False  # not delivered yet
    assert body["feedback"]["url"].endswith(f"/api/storefront/feedback/{order.tracking_token}")


def test_the_merchants_title_and_message_head_the_tracking_page(client, db) -> None:
    from tests.storefront_helpers import add_order, shopify_store

    store = shopify_store(db)
    store.settings = {
        "tracking_page_title": "Where is my box?",
        "tracking_page_message": "We pack <every> order by hand.",
    }
    db.commit()
    order = add_order(db, store, "5001", [])

    page = client.get(f"/t/{order.tracking_token}").get_data(as_text=True)

    assert "Where is my box?" in page
    assert "We pack &lt;every&gt; order by hand." in page
