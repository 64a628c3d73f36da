"""The ids Shopify's checkout and customer-account extensions send, reduced to numeric ids."""

from __future__ import annotations

import re

# The thank-you page knows the order as an OrderIdentity; the order-status page as an Order.
ORDER_REFERENCE = re.compile(r"(?:gid://shopify/(?:OrderIdentity|Order)/)?([0-9]{1,20})")
PRODUCT_REFERENCE = re.compile(r"(?:gid://shopify/Product/)?([0-9]{1,20})")
MAX_PRODUCT_IDS = 100


def order_id_from_reference(value: str | None) -> str | None:
    """`gid://shopify/OrderIdentity/N`, `gid://shopify/Order/N` or `N` → "N"; else None."""
    match = ORDER_REFERENCE.fullmatch((value or "").strip())
    return match.group(1) if match else None


def product_ids_from_list(value: str | None) -> list[str] | None:
    """A comma list of product ids (numbers or Product GIDs) → numbers; None when malformed."""
    text = (value or "").strip()
    if not text:
        return []
    ids: list[str] = []
    for part in text.split(","):
        match = PRODUCT_REFERENCE.fullmatch(part.strip())
        if match is None:
            return None
        if match.group(1) not in ids:
            ids.append(match.group(1))
    return ids if len(ids) <= MAX_PRODUCT_IDS else None
