"""WooCommerce for the rest of Encore: a REST client per store, and the payload normalisers.

`client_for(db, store)` is how other areas call a store (the offers helper creates coupons with
`client.post("coupons", {...})`); paths are relative to `/wp-json/wc/v3/`. Failures raise
`WooCommerceApiError`.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from plugin.models import Platform, Store
from plugin.platforms.woocommerce_client import Page, WooCommerceApiError, WooCommerceClient
from plugin.platforms.woocommerce_keys import store_keys
from plugin.platforms.woocommerce_normalize import (
    DRAFT_STATUSES,
    is_draft,
    is_variation,
    normalize_order,
    normalize_product,
    order_status,
    platform_id,
    tracking_shipments,
)

__all__ = [
    "DRAFT_STATUSES",
    "Page",
    "WooCommerceApiError",
    "WooCommerceClient",
    "client_for",
    "is_draft",
    "is_variation",
    "normalize_order",
    "normalize_product",
    "order_status",
    "platform_id",
    "tracking_shipments",
]


def client_for(db: Session, store: Store, **options: Any) -> WooCommerceClient:
    """A client for this store with its sealed keys and the configured timeout."""
    del db  # keys live on the store's credential; the session is part of the shared signature
    if store.platform != Platform.WOOCOMMERCE:
        raise WooCommerceApiError(f"{store.domain} is not a WooCommerce store.")
    consumer_key, consumer_secret = store_keys(store)
    options.setdefault("timeout", float(current_app.config.get("HTTP_TIMEOUT_SECONDS", 10.0)))
    return WooCommerceClient(store.domain, consumer_key, consumer_secret, **options)
