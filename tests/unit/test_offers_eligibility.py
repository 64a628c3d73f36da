"""Eligibility: each rule on its own, and the order in which a product is turned away."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plugin.models import Product, Variant
from plugin.offers.eligibility import (
    EligibilityRules,
    Ineligible,
    max_price_for,
    offerable_variant,
    sellable_variant,
    why_not,
)


def product(
    product_id: str = "1001",
    *,
    status: str = "active",
    variants: tuple[tuple[str, bool], ...] = (("5.00", True),),
) -> Product:
    item = Product(platform_product_id=product_id, title="Oat milk", status=status)
    item.variants = [
        Variant(platform_variant_id=f"9{product_id}{n}", price=Decimal(price), available=stock)
        for n, (price, stock) in enumerate(variants)
    ]
    return item


def test_an_ordinary_product_is_eligible():
    assert why_not(product(), EligibilityRules()) is None


def test_a_product_in_the_order_is_never_offered():
    rules = EligibilityRules(order_product_ids=frozenset({"1001"}))
    assert why_not(product(), rules) is Ineligible.IN_ORDER


@pytest.mark.parametrize("status", ["draft", "archived", "deleted"])
def test_a_product_that_is_not_active_is_never_offered(status):
    assert why_not(product(status=status), EligibilityRules()) is Ineligible.INACTIVE


def test_a_sold_out_product_is_never_offered():
    sold_out = product(variants=(("5.00", False), ("6.00", False)))
    assert why_not(sold_out, EligibilityRules()) is Ineligible.UNAVAILABLE


def test_a_zero_price_is_a_placeholder_not_an_offer():
    assert why_not(product(variants=(("0.00", True),)), EligibilityRules()) is (
        Ineligible.UNAVAILABLE
    )


def test_the_first_sellable_variant_is_offered():
    item = product(variants=(("5.00", False), ("0", True), ("7.50", True)))
    variant = sellable_variant(item)
    assert variant is not None and variant.price == Decimal("7.50")


def test_a_product_the_merchant_excluded_is_never_offered():
    rules = EligibilityRules(excluded_product_ids=frozenset({"1001"}))
    assert why_not(product(), rules) is Ineligible.EXCLUDED


def test_a_product_over_the_frequency_cap_is_not_offered():
    rules = EligibilityRules(capped_product_ids=frozenset({"1001"}))
    assert why_not(product(), rules) is Ineligible.FREQUENCY_CAP
    assert why_not(product("1002"), rules) is None


def test_a_product_far_dearer_than_the_order_is_not_offered():
    rules = EligibilityRules(max_price=max_price_for(Decimal("12.00"), Decimal("2")))
    assert why_not(product(variants=(("24.00", True),)), rules) is None
    assert why_not(product(variants=(("24.01", True),)), rules) is Ineligible.PRICE


def test_a_pinned_offer_keeps_its_price_but_no_other_exemption():
    rules = EligibilityRules(max_price=Decimal("10"), excluded_product_ids=frozenset({"1002"}))
    dear = product(variants=(("99.00", True),))
    assert why_not(dear, rules, check_price=False) is None
    assert why_not(product("1002"), rules, check_price=False) is Ineligible.EXCLUDED


@pytest.mark.parametrize("value", [None, Decimal("0"), Decimal("-3")])
def test_no_price_limit_without_an_order_value(value):
    assert max_price_for(value, Decimal("2")) is None


def test_offerable_variant_answers_for_the_order_alone():
    assert offerable_variant(product(), {"1002"}) is not None
    assert offerable_variant(product(), {"1001"}) is None
