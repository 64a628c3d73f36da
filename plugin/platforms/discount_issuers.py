"""Creating offer discount codes on the platforms: a Shopify code discount, a WooCommerce coupon.

Called only from jobs (never while a shopper waits). Each returns the platform's id of what
it created; failures raise the platform client's error (ShopifyApiError, WooCommerceApiError).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from plugin.models import Store
from plugin.platforms import woocommerce
from plugin.platforms.shopify_admin import ShopifyApiError, admin_client_for, raise_user_errors

CREATE_CODE_MUTATION = """
mutation EncoreOfferCode($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode {
      id
      codeDiscount {
        ... on DiscountCodeBasic {
          title
          startsAt
          endsAt
          codes(first: 1) { nodes { code } }
        }
      }
    }
    userErrors { field code message }
  }
}
"""


def code_title(percent: int) -> str:
    """What the merchant sees in their discounts list: who made it and what it gives."""
    return f"Encore post-purchase offer: {percent}% off"


def shopify_code_input(
    code: str, percent: int, starts_at: datetime, ends_at: datetime
) -> dict[str, Any]:
    """`DiscountCodeBasicInput`: a percentage off every item, once per customer, for anyone.

    `context` replaces the deprecated `customerSelection`; a percentage is a fraction (0.1).
    It combines with shipping discounts only, so it never stacks on another percentage.
    """
    return {
        "title": code_title(percent),
        "code": code,
        "startsAt": _iso(starts_at),
        "endsAt": _iso(ends_at),
        "context": {"all": "ALL"},
        "customerGets": {"value": {"percentage": percent / 100}, "items": {"all": True}},
        "appliesOncePerCustomer": True,
        "combinesWith": {
            "orderDiscounts": False,
            "productDiscounts": False,
            "shippingDiscounts": True,
        },
    }


def create_shopify_code(
    db: Session, store: Store, *, code: str, percent: int, starts_at: datetime, ends_at: datetime
) -> str:
    """`discountCodeBasicCreate`; returns the DiscountCodeNode id (needs `write_discounts`)."""
    data = admin_client_for(db, store).execute(
        CREATE_CODE_MUTATION,
        {"basicCodeDiscount": shopify_code_input(code, percent, starts_at, ends_at)},
    )
    result = data.get("discountCodeBasicCreate")
    raise_user_errors(result, f"the discount code {code}")
    node = (result or {}).get("codeDiscountNode")
    if not isinstance(node, Mapping) or not node.get("id"):
        raise ShopifyApiError(f"Shopify created no discount node for {code} on {store.domain}.")
    return str(node["id"])


def woocommerce_coupon(code: str, percent: int, ends_at: datetime) -> dict[str, Any]:
    """A percent coupon for everything in the cart, once per shopper, ending with the code."""
    return {
        "code": code,
        "discount_type": "percent",
        "amount": str(percent),
        "description": code_title(percent),
        "date_expires_gmt": ends_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "individual_use": True,
        "usage_limit_per_user": 1,
    }


def create_woocommerce_coupon(
    db: Session, store: Store, *, code: str, percent: int, ends_at: datetime
) -> str:
    """`POST /wp-json/wc/v3/coupons`; returns the coupon id."""
    created = woocommerce.client_for(db, store).post(
        "coupons", json=woocommerce_coupon(code, percent, ends_at)
    )
    if not isinstance(created, Mapping) or created.get("id") in (None, ""):
        raise woocommerce.WooCommerceApiError(
            f"{store.domain} answered the coupon request for {code} without a coupon id."
        )
    return str(created["id"])


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
