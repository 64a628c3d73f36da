"""Signed install queries, shop domains and timestamps, checked before any request is made."""

from __future__ import annotations

import pytest

from plugin.auth.shopify_oauth import (
    AccessTokenGrant,
    ShopifyAppCredentials,
    ShopifyNotConfigured,
    is_fresh_timestamp,
    is_valid_shop_domain,
    verify_query_hmac,
)

# The worked example from Shopify's OAuth documentation (secret "hush").
DOCUMENTED_QUERY = {
    "code": "0907a61c0c8d55e99db179b68161bc00",
    "hmac": "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf",
    "shop": "some-shop.myshopify.com",
    "state": "0.6784241404160823",
    "timestamp": "1337178173",
}


def test_shopifys_documented_hmac_example_verifies():
    assert verify_query_hmac(DOCUMENTED_QUERY, "hush")


@pytest.mark.parametrize(
    "changes",
    [{"shop": "other-shop.myshopify.com"}, {"hmac": "0" * 64}, {"hmac": ""}, {"extra": "1"}],
)
def test_altered_query_does_not_verify(changes):
    assert not verify_query_hmac({**DOCUMENTED_QUERY, **changes}, "hush")


def test_query_does_not_verify_with_another_secret_or_none():
    assert not verify_query_hmac(DOCUMENTED_QUERY, "not-hush")
    assert not verify_query_hmac(DOCUMENTED_QUERY, "")
    assert not verify_query_hmac({k: v for k, v in DOCUMENTED_QUERY.items() if k != "hmac"}, "hush")


def test_uppercase_hex_signature_still_verifies():
    assert verify_query_hmac({**DOCUMENTED_QUERY, "hmac": DOCUMENTED_QUERY["hmac"].upper()}, "hush")


@pytest.mark.parametrize(
    "shop",
    [
        "fresh-grocer.myshopify.com",
        "a.myshopify.com",
        "shop123.myshopify.com",
        "9-lives.myshopify.com",
    ],
)
def test_myshopify_domains_are_accepted(shop):
    assert is_valid_shop_domain(shop)


@pytest.mark.parametrize(
    "shop",
    [
        "",
        None,
        "fresh-grocer.com",
        "Fresh-Grocer.myshopify.com",
        "-grocer.myshopify.com",
        "fresh_grocer.myshopify.com",
        "fresh-grocer.myshopify.com.evil.com",
        "evil.com/fresh-grocer.myshopify.com",
        "https://fresh-grocer.myshopify.com",
        "fresh-grocer.myshopify.com\n",
        "a.b.myshopify.com",
    ],
)
def test_anything_else_is_not_a_shop(shop):
    assert not is_valid_shop_domain(shop)


def test_timestamps_older_than_the_limit_are_stale():
    now = 1_800_000_000.0
    assert is_fresh_timestamp("1800000000", 300, now=now)
    assert is_fresh_timestamp(str(int(now) - 300), 300, now=now)
    assert not is_fresh_timestamp(str(int(now) - 301), 300, now=now)
    assert not is_fresh_timestamp(str(int(now) + 301), 300, now=now)
    assert not is_fresh_timestamp("yesterday", 300, now=now)
    assert not is_fresh_timestamp(None, 300, now=now)


def test_missing_app_credentials_name_the_settings_to_set():
    with pytest.raises(ShopifyNotConfigured, match="SHOPIFY_API_SECRET") as error:
        ShopifyAppCredentials.from_config({"SHOPIFY_API_KEY": "abc", "SHOPIFY_API_SECRET": None})
    assert "SHOPIFY_API_KEY" not in str(error.value)


def test_token_grants_keep_tokens_out_of_their_repr():
    grant = AccessTokenGrant.from_response(
        {"access_token": "shpat_secret", "scope": "read_orders", "refresh_token": "shprt_secret"},
        "fresh-grocer.myshopify.com",
    )
    assert "shpat_secret" not in repr(grant) and "shprt_secret" not in repr(grant)
    assert "secret" not in repr(ShopifyAppCredentials("key", "very-secret"))
