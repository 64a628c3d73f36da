"""Links that put an offered product in the shopper's cart, in each platform's own format."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from plugin.models import Platform, Store


def store_base_url(store: Store) -> str:
    """The shop's public address: Shopify stores keep a bare domain, others a full URL."""
    domain = store.domain.rstrip("/")
    return domain if domain.startswith(("https://", "http://")) else f"https://{domain}"


def cart_url(
    store: Store,
    platform_product_id: str,
    platform_variant_id: str,
    discount_code: str | None = None,
) -> str:
    """One unit of the variant in a fresh cart, with the discount applied when there is a code."""
    base = store_base_url(store)
    if store.platform == Platform.WOOCOMMERCE:
        # WooCommerce adds a variation by its own id; simple products use the product id.
        query = {"add-to-cart": platform_variant_id or platform_product_id, "quantity": "1"}
        if discount_code:
            query["encore_coupon"] = discount_code  # applied by the Encore companion plugin
        return f"{base}/?{urlencode(query)}"
    # Shopify cart permalink (the demo store answers the same path).
    url = f"{base}/cart/{quote(platform_variant_id, safe='')}:1"
    if discount_code:
        url += f"?discount={quote(discount_code, safe='')}"
    return url
