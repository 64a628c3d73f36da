"""Which products may be offered at all, whatever strategy suggested them."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from plugin.models import Product, ProductStatus, Variant


def offerable_variant(product: Product, order_product_ids: Collection[str]) -> Variant | None:
    """The variant to offer, or None when the product must not be offered.

    Never a product the shopper just bought, never one that is not active, and only a variant
    that is in stock with a real price (a zero price is usually a placeholder or a sample).
    """
    if product.platform_product_id in order_product_ids:
        return None
    if product.status != ProductStatus.ACTIVE:
        return None
    for variant in product.variants:  # ordered by position: the merchant's first choice wins
        if variant.available and variant.price is not None and variant.price > Decimal("0"):
            return variant
    return None
