"""Offer settings: documented defaults, and malformed values read as the default, never an error."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from plugin.models import Store, Surface
from plugin.offers.settings import (
    FrequencyCap,
    attribution_window,
    excluded_product_ids,
    frequency_cap,
    holdout_share,
    offer_discount_percent,
    offers_enabled,
    recommendations_fill,
    setting_surface,
)


def store(**settings: Any) -> Store:
    return Store(platform="shopify", domain="fresh-grocer.myshopify.com", settings=settings)


def test_defaults_of_an_empty_store():
    shop = store()
    assert offer_discount_percent(shop) == 0
    assert offers_enabled(shop, Surface.THANK_YOU) and offers_enabled(shop, Surface.ORDER_STATUS)
    assert recommendations_fill(shop, Surface.THANK_YOU)
    assert excluded_product_ids(shop) == frozenset()
    assert holdout_share(shop, 0.1) == 0.1
    assert frequency_cap(shop) == FrequencyCap(max_impressions=3, days=7)
    assert attribution_window(shop) == timedelta(days=14)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (15, 15),
        (15.0, 15),
        (0, 0),
        (90, 90),
        (91, 90),
        (-5, 0),
        ("15", 15),
        ("x", 0),
        (True, 0),
        (None, 0),
        ("nan", 0),
    ],
)
def test_discount_percent_is_clamped_to_0_to_90(value, expected):
    assert offer_discount_percent(store(offer_discount_percent=value)) == expected


def test_offers_can_be_switched_off_per_surface():
    shop = store(offers_enabled={"thank_you": False, "order_status": True})
    assert not offers_enabled(shop, Surface.THANK_YOU)
    assert offers_enabled(shop, Surface.ORDER_STATUS)


@pytest.mark.parametrize("value", ["off", False, [], {"thank_you": "no"}, {"thank_you": 0}])
def test_a_malformed_switch_leaves_offers_on(value):
    assert offers_enabled(store(offers_enabled=value), Surface.THANK_YOU)


@pytest.mark.parametrize(
    ("surface", "key"),
    [
        (Surface.THANK_YOU, "thank_you"),
        (Surface.ORDER_STATUS, "order_status"),
        (Surface.TRACKING_PAGE, "order_status"),
        (Surface.WOOCOMMERCE, "order_status"),
        (Surface.APP_PROXY, "order_status"),
    ],
)
def test_every_surface_answers_to_one_of_the_two_switches(surface, key):
    assert setting_surface(surface) == key


def test_recommendations_fill_per_surface():
    shop = store(recommendations_fill={"thank_you": False})
    assert not recommendations_fill(shop, Surface.THANK_YOU)
    assert recommendations_fill(shop, Surface.ORDER_STATUS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.25, 0.25), (0, 0.0), (0.5, 0.5), (0.6, 0.1), ("0.3", 0.1), (True, 0.1)],
)
def test_holdout_share_is_0_to_half_else_the_configured_share(value, expected):
    assert holdout_share(store(holdout_share=value), 0.1) == expected


@pytest.mark.parametrize(
    "value",
    [
        {"max_impressions": 0, "days": 7},
        {"max_impressions": 2},
        {"days": 0},
        "3/7",
        {"max_impressions": "2", "days": 7},
    ],
)
def test_a_malformed_frequency_cap_is_the_default(value):
    assert frequency_cap(store(frequency_cap=value)) == FrequencyCap()


def test_a_frequency_cap_as_set():
    assert frequency_cap(store(frequency_cap={"max_impressions": 1, "days": 30})) == (
        FrequencyCap(1, 30)
    )


@pytest.mark.parametrize(
    ("value", "days"), [(30, 30), (1, 1), (90, 90), (0, 14), (91, 14), ("7", 14)]
)
def test_attribution_window_days(value, days):
    assert attribution_window(store(attribution_window_days=value)) == timedelta(days=days)


def test_excluded_products_are_strings_whatever_was_saved():
    shop = store(excluded_product_ids=["1001", 1002, None, True])
    assert excluded_product_ids(shop) == frozenset({"1001", "1002"})


def test_settings_that_are_not_an_object_read_as_defaults():
    shop = Store(platform="shopify", domain="x.myshopify.com", settings=None)
    assert offers_enabled(shop, Surface.THANK_YOU) and offer_discount_percent(shop) == 0
