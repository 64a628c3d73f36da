"""Offer events: validated, tied to the surface's own credential, stored once."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from plugin.models import OfferEvent
from tests.storefront_helpers import (
    OTHER_SHOP,
    add_order,
    bearer,
    catalogue,
    count,
    shopify_store,
    woocommerce_store,
)

URL = "/api/storefront/events"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "HOLDOUT_SHARE": 0.0}


@pytest.fixture
def store(db):
    return shopify_store(db)


@pytest.fixture
def shown(client, db, store) -> dict[str, Any]:
    """A thank-you answer with offers."""
    catalogue(db, store, count=4)
    add_order(db, store, "5001", ["1001"])
    response = client.get(
        "/api/storefront/thank-you", query_string={"order_id": "5001"}, headers=bearer()
    )
    assert response.status_code == 200 and response.json["offers"]
    body: dict[str, Any] = response.json
    return body


def send(client, body: Any, headers: dict[str, str] | None = None):
    return client.post(URL, json=body, headers=bearer() if headers is None else headers)


def event(shown: dict[str, Any], kind: str = "click", **extra: Any) -> dict[str, Any]:
    return {
        "impression_id": shown["impression_id"],
        "offer_id": shown["offers"][0]["offer_id"],
        "type": kind,
        **extra,
    }


def test_click_is_recorded(client, db, shown):
    response = send(client, event(shown))
    assert response.status_code == 200
    assert response.json == {"status": "recorded"}
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    stored = db.scalar(select(OfferEvent))
    assert stored is not None
    assert (stored.offer_id, stored.type) == (shown["offers"][0]["offer_id"], "click")


def test_repeated_event_is_answered_200_and_stored_once(client, db, shown):
    first = send(client, event(shown, "view"))
    second = send(client, event(shown, "view"))
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json == {"status": "duplicate"}
    assert count(db, OfferEvent) == 1


def test_view_click_and_dismiss_are_separate_events(client, db, shown):
    for kind in ("view", "click", "dismiss"):
        assert send(client, event(shown, kind)).json == {"status": "recorded"}
    assert count(db, OfferEvent) == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "purchase"}, "type"),
        ({"type": None}, "type"),
        ({"impression_id": ""}, "impression_id"),
        ({"impression_id": 42}, "impression_id"),
        ({"offer_id": ["x"]}, "offer_id"),
        ({"offer_id": "x" * 200}, "offer_id"),
    ],
)
def test_invalid_events_are_400_and_store_nothing(client, db, shown, change, field):
    response = send(client, {**event(shown), **change})
    assert response.status_code == 400
    assert field in response.json["error"]["fields"]
    assert count(db, OfferEvent) == 0


@pytest.mark.parametrize("missing", ["impression_id", "offer_id", "type"])
def test_missing_fields_are_400(client, db, shown, missing):
    body = event(shown)
    del body[missing]
    response = send(client, body)
    assert response.status_code == 400
    assert missing in response.json["error"]["fields"]


@pytest.mark.parametrize("body", [[1, 2], "click", None])
def test_body_that_is_not_an_object_is_400(client, shown, body):
    response = client.post(
        URL, data="not json" if body is None else None, json=body, headers=bearer()
    )
    assert response.status_code == 400


def test_offer_not_shown_in_the_impression_is_400(client, db, shown):
    response = send(client, event(shown, offer_id="popular:424242"))
    assert response.status_code == 400
    assert "offer_id" in response.json["error"]["fields"]


def test_unknown_impression_is_404(client, shown):
    assert send(client, event(shown, impression_id="nope")).status_code == 404


def test_impression_of_another_shop_is_404(client, db, shown):
    shopify_store(db, shop=OTHER_SHOP, name="Other")
    response = send(client, event(shown), headers=bearer(dest=OTHER_SHOP))
    assert response.status_code == 404
    assert count(db, OfferEvent) == 0


def test_events_need_the_session_token_of_shopify_surfaces(client, db, shown):
    assert send(client, event(shown), headers={}).status_code == 401
    assert count(db, OfferEvent) == 0


def test_preflight(client):
    response = client.options(URL, headers={"Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


# ---- surfaces that authenticate with the order ------------------------------------------


@pytest.fixture
def woo_shown(client, db) -> tuple[dict[str, Any], str]:
    woo = woocommerce_store(db)
    catalogue(db, woo, count=3)
    add_order(db, woo, "812", ["1001"], order_key="wc_order_Hk3dP0qZ")
    response = client.get(
        f"/api/storefront/woocommerce/{woo.public_id}/orders/812",
        query_string={"key": "wc_order_Hk3dP0qZ"},
    )
    assert response.status_code == 200
    return response.json, "wc_order_Hk3dP0qZ"


def test_woocommerce_event_carries_the_order_key(client, db, woo_shown):
    shown, key = woo_shown
    assert send(client, event(shown, order_key=key), headers={}).json == {"status": "recorded"}


def test_woocommerce_event_with_a_wrong_key_is_404(client, db, woo_shown):
    shown, _key = woo_shown
    assert send(client, event(shown, order_key="wc_order_guess"), headers={}).status_code == 404
    assert send(client, event(shown), headers={}).status_code == 401
    assert count(db, OfferEvent) == 0


def test_tracking_page_event_carries_the_tracking_token(client, db, store):
    catalogue(db, store, count=3)
    order = add_order(db, store, "5001", ["1001"])
    page = client.get(f"/t/{order.tracking_token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    impression_id = html.split('data-encore-impression-id="')[1].split('"')[0]
    offer_id = html.split('data-encore-offer-id="')[1].split('"')[0]
    body = {"impression_id": impression_id, "offer_id": offer_id, "type": "view"}
    assert send(client, body, headers={}).status_code == 401
    assert send(client, {**body, "tracking_token": "x" * 32}, headers={}).status_code == 404
    ok = send(client, {**body, "tracking_token": order.tracking_token}, headers={})
    assert ok.json == {"status": "recorded"}
