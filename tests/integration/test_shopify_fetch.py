"""Reading an order or product straight from Admin GraphQL gives the same records as webhooks."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import responses
from sqlalchemy.orm import Session

from plugin.crypto import seal
from plugin.models import OrderStatus, ProductStatus, Store, StoreCredential, utcnow
from plugin.platforms.shopify_fetch import fetch_order, fetch_product
from plugin.tracking.status import TrackingStatus
from tests.conftest import SHOP, load_fixture
from tests.shopify_helpers import graphql_url, json_body, mocked_http

TOKEN = "shpat_0123456789abcdef0123456789abcdef"


@pytest.fixture
def http() -> Iterator[responses.RequestsMock]:
    with mocked_http() as mock:
        yield mock


@pytest.fixture
def store(db: Session) -> Store:
    shop = Store(platform="shopify", domain=SHOP, installed_at=utcnow())
    shop.credential = StoreCredential(
        access_token_sealed=seal(TOKEN), access_expires_at=utcnow() + timedelta(hours=1)
    )
    db.add(shop)
    db.commit()
    return shop


def test_order_is_read_with_line_items_customer_and_tracking(db, store, http):
    http.add(responses.POST, graphql_url(), json=load_fixture("shopify/graphql_order.json"))

    order = fetch_order(db, store, "5723942158451")

    request = http.calls[0].request
    assert request.headers["X-Shopify-Access-Token"] == TOKEN
    assert json_body(http.calls[0])["variables"] == {"id": "gid://shopify/Order/5723942158451"}
    assert order.platform_order_id == "5723942158451"
    assert order.name == "#1042"
    assert order.placed_at == datetime(2026, 11, 20, 14, 58, 11, tzinfo=UTC)
    assert (order.currency, order.total_price, order.subtotal_price) == (
        "USD",
        Decimal("29.46"),
        Decimal("23.47"),
    )
    assert order.status == OrderStatus.PAID
    assert (order.financial_status, order.fulfillment_status) == ("paid", "partial")
    assert order.customer.platform_customer_id == "7012345678901"
    assert [
        (i.platform_product_id, i.platform_variant_id, i.quantity, i.price)
        for i in order.line_items
    ] == [
        ("8123456789001", "44123456789001", 2, Decimal("4.99")),
        ("8123456789002", "44123456789002", 1, Decimal("13.49")),
    ]
    assert order.line_items[0].platform_line_item_id == "14412345678001"

    (shipment,) = order.shipments
    assert shipment.platform_fulfillment_id == "5012345678901"
    assert shipment.platform_order_id == "5723942158451"
    assert (shipment.carrier, shipment.tracking_number) == ("UPS", "1Z999AA10123456784")
    assert shipment.tracking_url.startswith("https://www.ups.com/")
    assert shipment.status == TrackingStatus.IN_TRANSIT
    assert shipment.estimated_delivery == datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


def test_order_ids_may_be_given_as_gids(db, store, http):
    http.add(responses.POST, graphql_url(), json=load_fixture("shopify/graphql_order.json"))

    fetch_order(db, store, "gid://shopify/Order/5723942158451")

    assert json_body(http.calls[0])["variables"]["id"] == "gid://shopify/Order/5723942158451"


def test_cancelled_order_with_delivered_parcel(db, store, http):
    payload = copy.deepcopy(load_fixture("shopify/graphql_order.json"))
    order = payload["data"]["order"]
    order["cancelledAt"] = "2026-11-22T10:00:00Z"
    order["displayFinancialStatus"] = "REFUNDED"
    order["fulfillments"][0].update(
        {"displayStatus": "DELIVERED", "deliveredAt": "2026-11-23T15:30:00Z"}
    )
    http.add(responses.POST, graphql_url(), json=payload)

    record = fetch_order(db, store, "5723942158451")

    assert record.status == OrderStatus.CANCELLED
    assert record.cancelled_at == datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    assert record.shipments[0].status == TrackingStatus.DELIVERED
    assert record.shipments[0].delivered_at == datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


def test_long_orders_are_read_page_by_page(db, store, http):
    first = copy.deepcopy(load_fixture("shopify/graphql_order.json"))
    first["data"]["order"]["lineItems"]["pageInfo"] = {"hasNextPage": True, "endCursor": "c1"}
    second = {
        "data": {
            "order": {
                "lineItems": {
                    "nodes": [
                        {
                            "id": "gid://shopify/LineItem/14412345678003",
                            "title": "Sourdough Loaf",
                            "quantity": 1,
                            "product": {"legacyResourceId": "8123456789005"},
                            "variant": None,
                            "originalUnitPriceSet": {
                                "shopMoney": {"amount": "6.50", "currencyCode": "USD"}
                            },
                        }
                    ],
                    "pageInfo": {"hasNextPage": False, "endCursor": "c2"},
                }
            }
        }
    }
    http.add(responses.POST, graphql_url(), json=first)
    http.add(responses.POST, graphql_url(), json=second)

    order = fetch_order(db, store, "5723942158451")

    assert [i.title for i in order.line_items][-1] == "Sourdough Loaf"
    assert order.line_items[-1].platform_variant_id is None
    assert json_body(http.calls[1])["variables"]["after"] == "c1"


def test_unknown_order_is_none(db, store, http):
    http.add(responses.POST, graphql_url(), json={"data": {"order": None}})

    assert fetch_order(db, store, "1") is None


def test_product_is_read_with_variants_prices_and_image(db, store, http):
    http.add(responses.POST, graphql_url(), json=load_fixture("shopify/graphql_product.json"))

    product = fetch_product(db, store, "8123456789003")

    assert json.loads(http.calls[0].request.body)["variables"] == {
        "id": "gid://shopify/Product/8123456789003"
    }
    assert product.platform_product_id == "8123456789003"
    assert product.title == "Honeycrisp Apples"
    assert product.status == ProductStatus.ACTIVE
    assert product.tags == "fruit, local"
    assert product.image_url.endswith("honeycrisp.jpg?v=1700000000")
    assert product.updated_at == datetime(2026, 11, 19, 18, 20, 5, tzinfo=UTC)
    bag, box = product.variants
    assert (bag.platform_variant_id, bag.price, bag.compare_at_price) == (
        "44123456789003",
        Decimal("5.49"),
        Decimal("6.49"),
    )
    assert bag.available and bag.inventory_quantity == 48
    assert (box.compare_at_price, box.available, box.position) == (None, False, 2)


@pytest.mark.parametrize(
    ("shopify_status", "status"),
    [("DRAFT", ProductStatus.DRAFT), ("ARCHIVED", ProductStatus.ARCHIVED), ("UNLISTED", "draft")],
)
def test_product_status_is_mapped(db, store, http, shopify_status, status):
    payload = copy.deepcopy(load_fixture("shopify/graphql_product.json"))
    payload["data"]["product"]["status"] = shopify_status
    http.add(responses.POST, graphql_url(), json=payload)

    assert fetch_product(db, store, "8123456789003").status == status


def test_deleted_product_is_none(db, store, http):
    http.add(responses.POST, graphql_url(), json={"data": {"product": None}})

    assert fetch_product(db, store, "8123456789003") is None
