"""Small storefront pieces: the answer cache, the lookup limiter, statuses, ids, signatures."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from plugin.auth.app_proxy import proxy_message, verify_proxy_signature
from plugin.models import Store
from plugin.offers.holdout import holdout_position, is_in_holdout
from plugin.offers.incentives import incentive_for
from plugin.platforms.cart_links import cart_url
from plugin.platforms.shopify_ids import order_id_from_reference, product_ids_from_list
from plugin.storefront.branding import Branding, readable_text_colour
from plugin.storefront.cache import TtlCache
from plugin.storefront.presentation import money, timeline
from plugin.storefront.rate_limit import SlidingWindowLimiter
from plugin.storefront.safe_urls import web_url
from plugin.tracking.progress import order_tracking_status


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_entries_expire_after_their_ttl():
    clock = Clock()
    cache: TtlCache[str] = TtlCache(ttl=30, clock=clock)
    cache.put("k", "v")
    clock.now += 29
    assert cache.get("k") == "v"
    clock.now += 2
    assert cache.get("k") is None


def test_cache_drops_the_least_recently_used_when_full():
    cache: TtlCache[int] = TtlCache(ttl=30, max_entries=2, clock=Clock())
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_cache_with_zero_ttl_keeps_nothing():
    cache: TtlCache[int] = TtlCache(ttl=0)
    cache.put("a", 1)
    assert cache.get("a") is None


def test_limiter_slides():
    clock = Clock()
    limiter = SlidingWindowLimiter(limit=2, window=60, clock=clock)
    assert limiter.allow("ip") and limiter.allow("ip")
    assert not limiter.allow("ip")
    assert limiter.allow("other-ip")
    assert limiter.retry_after("ip") == 60
    clock.now += 61
    assert limiter.allow("ip")


def test_limiter_memory_is_bounded():
    limiter = SlidingWindowLimiter(limit=1, window=60, clock=Clock(), max_keys=100)
    for n in range(1000):
        limiter.allow(f"ip-{n}")
    assert len(limiter._hits) <= 100


@pytest.mark.parametrize(
    ("order_status", "parcels", "expected"),
    [
        ("paid", [], "confirmed"),
        ("fulfilled", [], "confirmed"),
        ("pending", [], "ordered"),
        ("cancelled", ["delivered"], "cancelled"),
        ("refunded", [], "cancelled"),
        ("refunded", ["delivered"], "delivered"),
        ("paid", ["delivered", "in_transit"], "in_transit"),
        ("paid", ["delivered", "exception"], "exception"),
        ("paid", ["delivered", "cancelled"], "delivered"),
        ("paid", ["cancelled"], "confirmed"),
        ("paid", ["something_new"], "confirmed"),
    ],
)
def test_order_status_is_the_least_advanced_live_parcel(order_status, parcels, expected):
    assert order_tracking_status(order_status, parcels) == expected


def test_timeline_marks_steps_done_and_current():
    steps = timeline("in_transit")
    assert [s.label for s in steps] == [
        "Ordered",
        "Confirmed",
        "In transit",
        "Out for delivery",
        "Delivered",
    ]
    assert [s.done for s in steps] == [True, True, True, False, False]
    assert [s.current for s in steps] == [False, False, True, False, False]


def test_cancelled_timeline_ends_with_cancelled():
    steps = timeline("cancelled")
    assert [s.label for s in steps][-1] == "Cancelled"
    assert "Delivered" not in [s.label for s in steps]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("gid://shopify/OrderIdentity/5723942158451", "5723942158451"),
        ("gid://shopify/Order/42", "42"),
        ("42", "42"),
        (" 42 ", "42"),
        ("gid://shopify/Customer/42", None),
        ("gid://shopify/Order/4x2", None),
        ("", None),
        (None, None),
    ],
)
def test_order_references(reference, expected):
    assert order_id_from_reference(reference) == expected


def test_product_id_lists():
    assert product_ids_from_list("1, 2,gid://shopify/Product/3,2") == ["1", "2", "3"]
    assert product_ids_from_list("") == []
    assert product_ids_from_list("1,,2") is None
    assert product_ids_from_list(",".join(str(n) for n in range(101))) is None


def test_proxy_message_sorts_and_joins_repeated_values():
    params = MultiDict([("shop", "s"), ("b", "2"), ("b", "1"), ("a", ""), ("signature", "x")])
    assert proxy_message(params) == "a=b=2,1shop=s"
    assert not verify_proxy_signature(params, "")


def test_holdout_is_deterministic_and_about_the_share():
    store = Store(platform="shopify", domain="a.myshopify.com")
    positions = [holdout_position(store, str(n)) for n in range(2000)]
    assert positions == [holdout_position(store, str(n)) for n in range(2000)]
    held = sum(is_in_holdout(store, str(n), 0.1) for n in range(2000))
    assert 140 < held < 260
    assert not is_in_holdout(store, "1", 0.0) and is_in_holdout(store, "1", 1.0)


@pytest.mark.parametrize(
    ("setting", "percent"), [(None, 0), (10, 10), ("15", 15), (-5, 0), (500, 90), ("x", 0)]
)
def test_discount_setting_is_clamped(setting, percent):
    store = Store(platform="shopify", domain="a.myshopify.com", settings={})
    if setting is not None:
        store.settings["offer_discount_percent"] = setting
    incentive = incentive_for(store)
    assert (incentive.discount_percent, incentive.discount_code) == (percent, None)


def test_cart_links_per_platform():
    shopify = Store(platform="shopify", domain="a.myshopify.com")
    woo = Store(platform="woocommerce", domain="https://shop.example/")
    assert cart_url(shopify, "1", "808950810") == "https://a.myshopify.com/cart/808950810:1"
    assert (
        cart_url(shopify, "1", "808950810", "THANKS 10")
        == "https://a.myshopify.com/cart/808950810:1?discount=THANKS%2010"
    )
    assert cart_url(woo, "5", "7") == "https://shop.example/?add-to-cart=7&quantity=1"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://cdn.example/logo.png", True),
        ("http://shop.example/help", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("//evil.example/x", False),
        ('https://x.example/"onmouseover=alert(1)', False),
        (42, False),
    ],
)
def test_only_web_links_are_kept(url, kept):
    assert (web_url(url) is not None) == kept


def test_branding_falls_back_and_picks_readable_text():
    store = Store(
        platform="shopify", domain="fresh.myshopify.com", settings={"accent_color": "red"}
    )
    brand = Branding.of(store)
    assert brand.store_name == "fresh"
    assert brand.accent_color.startswith("#")
    assert readable_text_colour("#ffffff") == "#000000"
    assert readable_text_colour("#000") == "#ffffff"


def test_money_is_shown_with_the_currency():
    assert money("19", "USD") == "$19.00"
    assert money("1234.5", "EUR") == "€1,234.50"
    assert money("3", "CHF") == "3.00 CHF"
