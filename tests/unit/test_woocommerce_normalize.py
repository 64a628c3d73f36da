"""WooCommerce REST bodies → platform-free records."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from plugin.platforms.base import PayloadError
from plugin.platforms.woocommerce import (
    is_draft,
    is_variation,
    normalize_order,
    normalize_product,
    order_status,
)
from tests.conftest import load_fixture


def fixture(name: str):
    return copy.deepcopy(load_fixture(f"woocommerce/{name}"))


def test_custom_and_unknown_statuses_count_as_pending():
    assert order_status("awaiting-shipment") == "pending"
    assert order_status(None) == "pending"
    assert order_status("trash") == "cancelled"


def test_checkout_drafts_are_recognised_and_refused_as_orders():
    draft = fixture("order_checkout_draft.json")
    assert is_draft(draft) and not is_draft(fixture("order_guest.json"))
    with pytest.raises(PayloadError):
        normalize_order(draft)


def test_a_fully_refunded_order_reads_refunded():
    payload = fixture("order_guest.json")
    payload["refunds"] = [{"id": 901, "reason": "", "total": "-21.50"}]
    assert normalize_order(payload).financial_status == "refunded"
    payload["refunds"] = []
    payload["date_paid_gmt"] = None
    payload["date_paid"] = None
    assert normalize_order(payload).financial_status == "pending"


def test_a_cancelled_order_is_cancelled_when_it_was_modified():
    payload = fixture("order_guest.json")
    payload["status"] = "cancelled"
    record = normalize_order(payload)
    assert record.cancelled_at == datetime(2026, 11, 20, 8, 15, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": 0}, "id"),
        ({"date_created_gmt": None, "date_created": None}, "date_created"),
        ({"total": "-3.00"}, "total"),
        ({"line_items": {"id": 1}}, "line_items"),
    ],
)
def test_broken_orders_are_refused_with_a_reason(change, message):
    payload = fixture("order_guest.json")
    payload.update(change)
    with pytest.raises(PayloadError, match=message):
        normalize_order(payload)


def test_a_line_item_with_a_fractional_quantity_is_refused():
    payload = fixture("order_guest.json")
    payload["line_items"][0]["quantity"] = 1.5
    with pytest.raises(PayloadError, match="quantity"):
        normalize_order(payload)


def test_a_json_number_price_keeps_four_places():
    payload = fixture("order_guest.json")
    payload["line_items"][0]["price"] = 10 / 3
    assert normalize_order(payload).line_items[0].price == Decimal("3.3333")


def test_tracking_items_without_a_number_or_date_are_handled():
    payload = fixture("order_registered.json")
    items = payload["meta_data"][1]["value"]
    items[0]["tracking_number"] = ""
    items[1]["date_shipped"] = "soon"
    (shipment,) = normalize_order(payload).shipments
    assert shipment.tracking_number == "JJD0002249111111"
    assert shipment.shipped_at == datetime(2026, 11, 18, 16, 16, tzinfo=UTC)  # order placed
    assert shipment.platform_fulfillment_id == "wcst:c4ca4238a0b923820dcc509a6f75849b"


def test_grouped_and_external_products_are_never_offered():
    for kind in ("grouped", "external"):
        payload = fixture("product_simple.json")
        payload["type"] = kind
        assert not normalize_product(payload).variants[0].available


def test_stock_and_visibility_decide_availability():
    payload = fixture("product_simple.json")
    payload["stock_status"] = "onbackorder"
    assert normalize_product(payload).variants[0].available
    payload["stock_status"] = "outofstock"
    assert not normalize_product(payload).variants[0].available
    payload.update(stock_status="instock", status="private")
    assert normalize_product(payload).status == "archived"
    payload["status"] = "draft"
    assert normalize_product(payload).status == "draft"


def test_a_disabled_variation_is_not_available():
    variations = fixture("product_variations.json")
    variations[1]["status"] = "private"
    record = normalize_product(fixture("product_variable.json"), variations)
    assert [v.available for v in record.variants] == [False, False]


def test_a_variations_change_makes_the_product_newer():
    variations = fixture("product_variations.json")
    variations[0]["date_modified_gmt"] = "2026-11-22T07:40:00"
    record = normalize_product(fixture("product_variable.json"), variations)
    assert record.updated_at == datetime(2026, 11, 22, 7, 40, tzinfo=UTC)


def test_a_variation_payload_is_told_from_a_product():
    assert is_variation(fixture("product_variation_updated.json"))
    assert not is_variation(fixture("product_variable.json"))


def test_coupons_are_kept_for_attribution_and_shipping_for_eta_learning():
    payload = fixture("order_registered.json")
    payload["coupon_lines"] = [
        {
            "id": 410,
            "code": "encore-10-ab12",
            "discount": "2.40",
            "discount_tax": "0.00",
            "meta_data": [],
        }
    ]
    record = normalize_order(payload)
    assert record.discount_codes == ("encore-10-ab12",)
    assert {(s.service, s.destination_region) for s in record.shipments} == {
        ("Royal Mail Tracked 48", "GB")
    }
