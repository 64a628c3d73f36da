"""What offers send to platforms and shoppers: cart links, Shopify codes, WooCommerce coupons."""

from __future__ import annotations

from datetime import UTC, datetime

from plugin.models import Store
from plugin.offers.discount_codes import CODE_ALPHABET, new_code_text
from plugin.platforms.cart_links import cart_url
from plugin.platforms.discount_issuers import shopify_code_input, woocommerce_coupon

SHOPIFY = Store(platform="shopify", domain="fresh-grocer.myshopify.com")
WOOCOMMERCE = Store(platform="woocommerce", domain="https://corner-shop.example/")


def test_shopify_cart_permalink_with_the_code():
    assert cart_url(SHOPIFY, "632910392", "808950810", "ENCORE10-7KQ2M9XZ") == (
        "https://fresh-grocer.myshopify.com/cart/808950810:1?discount=ENCORE10-7KQ2M9XZ"
    )


def test_shopify_cart_permalink_without_a_code_has_no_discount():
    assert cart_url(SHOPIFY, "632910392", "808950810") == (
        "https://fresh-grocer.myshopify.com/cart/808950810:1"
    )


def test_woocommerce_add_to_cart_link_carries_the_coupon_for_the_companion_plugin():
    assert cart_url(WOOCOMMERCE, "71", "73", "ENCORE10-7KQ2M9XZ") == (
        "https://corner-shop.example/?add-to-cart=73&quantity=1&encore_coupon=ENCORE10-7KQ2M9XZ"
    )


def test_codes_say_what_they_give_and_are_not_guessable():
    codes = {new_code_text(10) for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        prefix, suffix = code.split("-")
        assert prefix == "ENCORE10" and len(suffix) == 8 and set(suffix) <= set(CODE_ALPHABET)


def test_shopify_code_is_a_percentage_of_everything_once_per_customer():
    start = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    end = datetime(2026, 12, 20, 15, 0, tzinfo=UTC)
    body = shopify_code_input("ENCORE15-ABCDEFGH", 15, start, end)
    assert body["code"] == "ENCORE15-ABCDEFGH"
    assert body["customerGets"] == {"value": {"percentage": 0.15}, "items": {"all": True}}
    assert body["context"] == {"all": "ALL"}
    assert (body["startsAt"], body["endsAt"]) == ("2026-11-20T15:00:00Z", "2026-12-20T15:00:00Z")
    assert body["appliesOncePerCustomer"] is True
    assert "customerSelection" not in body  # deprecated in favour of context


def test_woocommerce_coupon_is_a_percent_coupon_ending_with_the_code():
    end = datetime(2026, 12, 20, 15, 0, tzinfo=UTC)
    body = woocommerce_coupon("ENCORE15-ABCDEFGH", 15, end)
    assert body["discount_type"] == "percent" and body["amount"] == "15"
    assert body["date_expires_gmt"] == "2026-12-20T15:00:00"
    assert body["usage_limit_per_user"] == 1
