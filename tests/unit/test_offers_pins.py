"""Reading the merchant's pinned offers: usable pins kept, unreadable ones ignored safely."""

from __future__ import annotations

from typing import Any

from plugin.models import Store
from plugin.offers.pins import pinned_offers


def store(pins: Any, **settings: Any) -> Store:
    return Store(
        platform="shopify",
        domain="fresh-grocer.myshopify.com",
        name="Fresh Grocer",
        settings={"pinned_offers": pins, **settings},
    )


def test_a_complete_pin_is_read_as_written():
    (pin,) = pinned_offers(
        store(
            [
                {
                    "id": "summer-jam",
                    "product_id": "1005",
                    "trigger_product_ids": ["1001"],
                    "trigger_collection_ids": ["4001"],
                    "discount_percent": 15,
                    "surfaces": ["thank_you"],
                    "active": True,
                }
            ]
        )
    )
    assert pin.pin_id == "summer-jam" and pin.platform_product_id == "1005"
    assert pin.trigger_product_ids == {"1001"} and pin.trigger_collection_ids == {"4001"}
    assert pin.discount_percent == 15 and pin.surfaces == {"thank_you"} and pin.active
    assert not pin.always


def test_missing_fields_take_their_defaults():
    (pin,) = pinned_offers(store([{"product_id": 1005}], offer_discount_percent=5))
    assert pin.platform_product_id == "1005" and pin.always
    assert pin.surfaces == {"thank_you", "order_status"} and pin.active
    assert pin.discount_percent == 5  # the store's percent when the pin names none
    assert pin.pin_id == "pin-1"


def test_a_malformed_discount_is_the_stores_percent_and_a_large_one_is_clamped():
    pins = pinned_offers(
        store(
            [
                {"product_id": "1005", "discount_percent": "lots"},
                {"product_id": "1006", "discount_percent": 300},
            ],
            offer_discount_percent=10,
        )
    )
    assert [pin.discount_percent for pin in pins] == [10, 90]


def test_pins_without_a_product_are_ignored():
    pins = pinned_offers(
        store([{"id": "x"}, "1005", None, {"product_id": ""}, {"product_id": "7"}])
    )
    assert [p.platform_product_id for p in pins] == ["7"]


def test_an_unreadable_trigger_drops_the_pin_rather_than_showing_it_everywhere():
    pins = pinned_offers(store([{"product_id": "1005", "trigger_product_ids": "1001"}]))
    assert pins == ()


def test_unknown_surfaces_mean_both_surfaces():
    (pin,) = pinned_offers(store([{"product_id": "1005", "surfaces": ["checkout"]}]))
    assert pin.surfaces == {"thank_you", "order_status"}


def test_a_setting_that_is_not_a_list_means_no_pins():
    assert pinned_offers(store({"product_id": "1005"})) == ()
