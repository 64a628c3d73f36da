"""Shopify webhook bodies become platform-free records; bad bodies fail with a clear reason."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from plugin.platforms.base import PayloadError
from plugin.platforms.shopify import (
    normalize_checkout,
    normalize_fulfillment,
    normalize_order,
    normalize_product,
)
from tests.conftest import load_fixture


def test_order_times_are_utc_and_money_is_exact():
    record = normalize_order(load_fixture("shopify/orders_create.json"))
    assert record.placed_at == datetime(2026, 11, 20, 14, 58, 11, tzinfo=UTC)
    assert record.updated_at == datetime(2026, 11, 20, 14, 58, 13, tzinfo=UTC)
    assert record.total_price == Decimal("29.46")
    assert record.line_items[0].price == Decimal("4.99")


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"financial_status": "paid"}, "paid"),
        ({"financial_status": "pending"}, "pending"),
        ({"financial_status": "refunded"}, "refunded"),
        ({"cancelled_at": "2026-11-20T11:00:00-05:00"}, "cancelled"),
        ({"financial_status": "voided"}, "cancelled"),
        ({"fulfillment_status": "fulfilled"}, "fulfilled"),
    ],
)
def test_order_status_follows_shopify_statuses(changes, status):
    payload = dict(load_fixture("shopify/orders_create.json"), **changes)
    assert normalize_order(payload).status == status


def test_order_with_gid_ids_keeps_the_number():
    payload = load_fixture("shopify/orders_create.json")
    payload["id"] = "gid://shopify/Order/5723942158451"
    assert normalize_order(payload).platform_order_id == "5723942158451"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": None}, "id is missing"),
        ({"id": "abc"}, "numeric id"),
        ({"total_price": "lots"}, "not an amount"),
        ({"total_price": "-5.00"}, "non-negative"),
        ({"created_at": "yesterday", "processed_at": None}, "ISO 8601"),
        ({"line_items": "many"}, "must be a list"),
    ],
)
def test_malformed_order_is_a_payload_error(changes, reason):
    payload = dict(load_fixture("shopify/orders_create.json"), **changes)
    with pytest.raises(PayloadError, match=reason):
        normalize_order(payload)


def test_order_with_embedded_fulfillments_yields_shipments():
    payload = load_fixture("shopify/orders_create.json")
    payload["fulfillments"] = [load_fixture("shopify/fulfillments_create.json")]
    record = normalize_order(payload)
    assert [s.tracking_number for s in record.shipments] == ["1Z999AA10123456784"]


@pytest.mark.parametrize(
    ("shipment_status", "fulfillment_status", "expected"),
    [
        (None, "success", "confirmed"),
        ("label_printed", "success", "confirmed"),
        ("in_transit", "success", "in_transit"),
        ("out_for_delivery", "success", "out_for_delivery"),
        ("attempted_delivery", "success", "attempted_delivery"),
        ("ready_for_pickup", "success", "ready_for_pickup"),
        ("delivered", "success", "delivered"),
        ("failure", "success", "exception"),
        ("in_transit", "cancelled", "cancelled"),
    ],
)
def test_fulfillment_statuses_map_onto_tracking_status(
    shipment_status, fulfillment_status, expected
):
    payload = load_fixture("shopify/fulfillments_create.json")
    payload.update(shipment_status=shipment_status, status=fulfillment_status)
    (shipment,) = normalize_fulfillment(payload)
    assert shipment.status == expected
    assert (shipment.delivered_at is not None) == (expected == "delivered")


def test_fulfillment_with_several_tracking_numbers_is_several_parcels():
    payload = load_fixture("shopify/fulfillments_create.json")
    payload["tracking_numbers"] = ["1Z999AA10123456784", "1Z999AA10123456785"]
    payload["tracking_urls"] = ["https://ups.example/1", "https://ups.example/2"]
    shipments = normalize_fulfillment(payload)
    assert [(s.tracking_number, s.tracking_url) for s in shipments] == [
        ("1Z999AA10123456784", "https://ups.example/1"),
        ("1Z999AA10123456785", "https://ups.example/2"),
    ]


def test_fulfillment_without_tracking_is_one_untracked_parcel():
    payload = load_fixture("shopify/fulfillments_create.json")
    payload.update(tracking_number=None, tracking_numbers=[], tracking_url=None, tracking_urls=[])
    (shipment,) = normalize_fulfillment(payload)
    assert shipment.tracking_number == ""


@pytest.mark.parametrize(
    ("management", "policy", "quantity", "available"),
    [
        ("shopify", "deny", 3, True),
        ("shopify", "deny", 0, False),
        ("shopify", "continue", 0, True),
        (None, "deny", 0, True),
    ],
)
def test_variant_availability_respects_inventory_settings(management, policy, quantity, available):
    payload = copy.deepcopy(load_fixture("shopify/products_update.json"))
    payload["variants"][0].update(
        inventory_management=management, inventory_policy=policy, inventory_quantity=quantity
    )
    assert normalize_product(payload).variants[0].available is available


def test_product_image_falls_back_to_the_first_image():
    payload = load_fixture("shopify/products_update.json")
    payload["image"] = None
    assert normalize_product(payload).image_url == payload["images"][0]["src"]


def test_checkout_lists_cart_product_ids():
    record = normalize_checkout(load_fixture("shopify/checkouts_create.json"))
    assert record.platform_product_ids == ("8123456789001", "8123456789002")
    assert record.customer is not None and record.customer.email is None
