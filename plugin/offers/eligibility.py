"""Which products may be offered at all, whatever strategy (or merchant pin) suggested them.

Every rule has a name (`Ineligible`), so a test, a log line or the admin can say why a product
was left out. The rules read only what the caller already loaded: no query per product.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from plugin.models import Product, ProductStatus, Variant

# An offer may cost at most this many times what the shopper just spent (config key
# OFFERS_MAX_PRICE_RATIO): a follow-up purchase, not a second, bigger decision.
DEFAULT_MAX_PRICE_RATIO = Decimal("2")


class Ineligible(StrEnum):
    IN_ORDER = "in_order"  # the shopper just bought it
    INACTIVE = "inactive"  # draft, archived or deleted
    UNAVAILABLE = "unavailable"  # no variant in stock with a real price
    EXCLUDED = "excluded"  # the merchant never wants it offered
    FREQUENCY_CAP = "frequency_cap"  # this shopper saw it often enough lately
    PRICE = "price"  # too expensive next to the order


@dataclass(frozen=True)
class EligibilityRules:
    """What one showing must respect; built once per request from settings and state."""

    order_product_ids: frozenset[str] = field(default_factory=frozenset)
    excluded_product_ids: frozenset[str] = field(default_factory=frozenset)
    capped_product_ids: frozenset[str] = field(default_factory=frozenset)
    max_price: Decimal | None = None  # None: the order's value is unknown (a cart), no limit


def max_price_for(order_value: Decimal | None, ratio: Decimal) -> Decimal | None:
    """The highest sane offer price next to an order worth `order_value` (None: no limit)."""
    if order_value is None or order_value <= 0 or ratio <= 0:
        return None
    return order_value * ratio


def sellable_variant(product: Product) -> Variant | None:
    """The merchant's first variant that is in stock with a real price (zero is a placeholder)."""
    for variant in product.variants:  # ordered by position: the merchant's first choice wins
        if variant.available and variant.price is not None and variant.price > Decimal("0"):
            return variant
    return None


def why_not(
    product: Product, rules: EligibilityRules, *, check_price: bool = True
) -> Ineligible | None:
    """The first rule `product` breaks, or None when it may be offered.

    `check_price=False` is for the merchant's pinned offers: a pin is a deliberate choice of
    product and price, so only the price sanity rule (a guard against bad recommendations)
    is lifted; exclusions, stock and the frequency cap still apply.
    """
    product_id = product.platform_product_id
    if product_id in rules.order_product_ids:
        return Ineligible.IN_ORDER
    if product.status != ProductStatus.ACTIVE:
        return Ineligible.INACTIVE
    if product_id in rules.excluded_product_ids:
        return Ineligible.EXCLUDED
    variant = sellable_variant(product)
    if variant is None:
        return Ineligible.UNAVAILABLE
    if product_id in rules.capped_product_ids:
        return Ineligible.FREQUENCY_CAP
    if check_price and rules.max_price is not None and variant.price > rules.max_price:
        return Ineligible.PRICE
    return None


def offerable_variant(product: Product, order_product_ids: Collection[str]) -> Variant | None:
    """The variant to offer when only the order is known, or None when it must not be offered."""
    rules = EligibilityRules(order_product_ids=frozenset(order_product_ids))
    return sellable_variant(product) if why_not(product, rules) is None else None
