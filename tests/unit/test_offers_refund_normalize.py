"""Shopify order bodies: refunds per line and discount codes reach the records."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from plugin.platforms.base import PayloadError
from plugin.platforms.shopify import normalize_order
from tests.conftest import load_fixture


def test_a_new_order_has_nothing_refunded_and_no_codes():
    record = normalize_order(load_fixture("shopify/orders_create.json"))
    assert record.discount_codes == ()
    assert all(item.refunded_quantity == 0 for item in record.line_items)
    assert all(item.refunded_amount == 0 for item in record.line_items)


def test_a_refund_is_counted_on_its_line_and_the_code_is_kept():
    record = normalize_order(load_fixture("shopify/orders_updated_refund.json"))
    strawberries, other = record.line_items
    assert (strawberries.refunded_quantity, strawberries.refunded_amount) == (1, Decimal("4.99"))
    assert (other.refunded_quantity, other.refunded_amount) == (0, Decimal("0"))
    assert record.discount_codes == ("ENCORE10-7KQ2M9XZ",)


def test_refunds_of_one_line_add_up_and_without_a_subtotal_the_price_counts():
    payload = copy.deepcopy(load_fixture("shopify/orders_updated_refund.json"))
    second = copy.deepcopy(payload["refunds"][0])
    del second["refund_line_items"][0]["subtotal"]
    payload["refunds"].append(second)
    strawberries = normalize_order(payload).line_items[0]
    assert strawberries.refunded_quantity == 2
    assert strawberries.refunded_amount == Decimal("9.98")  # 2 x 4.99


def test_refunds_that_are_not_a_list_are_a_payload_error():
    payload = copy.deepcopy(load_fixture("shopify/orders_create.json"))
    payload["refunds"] = {"id": 1}
    with pytest.raises(PayloadError):
        normalize_order(payload)
