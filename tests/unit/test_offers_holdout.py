"""Holdout: the same order always lands in the same group; the store's share decides."""

from __future__ import annotations

from plugin.models import Store
from plugin.offers.holdout import holdout_position, is_held_out, is_in_holdout


def store(**settings: object) -> Store:
    return Store(platform="shopify", domain="fresh-grocer.myshopify.com", settings=dict(settings))


def test_an_order_is_held_out_or_not_on_every_request():
    shop = store()
    first = [is_held_out(shop, str(n), 0.1) for n in range(5000, 5400)]
    again = [is_held_out(shop, str(n), 0.1) for n in range(5000, 5400)]
    assert first == again


def test_the_configured_share_is_roughly_the_share_held_out():
    shop = store()
    held = sum(is_held_out(shop, str(n), 0.1) for n in range(20_000))
    assert 1_700 < held < 2_300


def test_the_store_setting_overrides_the_configured_share():
    shop = store(holdout_share=0.5)
    held = sum(is_held_out(shop, str(n), 0.1) for n in range(4_000))
    assert 1_800 < held < 2_200


def test_a_malformed_store_share_falls_back_to_the_configured_one():
    shop = store(holdout_share="half")
    assert [is_held_out(shop, str(n), 0.1) for n in range(500)] == [
        is_in_holdout(shop, str(n), 0.1) for n in range(500)
    ]


def test_a_zero_share_holds_nobody_out():
    shop = store(holdout_share=0)
    assert not any(is_held_out(shop, str(n), 0.1) for n in range(1_000))


def test_raising_the_share_only_adds_orders_to_the_control_group():
    shop = store()
    at_10 = {n for n in range(3_000) if is_in_holdout(shop, str(n), 0.1)}
    at_20 = {n for n in range(3_000) if is_in_holdout(shop, str(n), 0.2)}
    assert at_10 < at_20


def test_two_stores_split_the_same_order_number_independently():
    one, other = store(), Store(platform="shopify", domain="other.myshopify.com", settings={})
    positions = [
        (holdout_position(one, str(n)), holdout_position(other, str(n))) for n in range(50)
    ]
    assert all(a != b for a, b in positions)
