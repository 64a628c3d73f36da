"""The thank-you page often asks before the order webhook has arrived: ask Shopify once."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy.orm import Session

from plugin import ingest
from plugin.auth.tokens import shopify_access_token
from plugin.models import Order, Platform, Store
from plugin.platforms.shopify_admin import ShopifyAdminClient
from plugin.platforms.shopify_fetch import fetch_order
from plugin.storefront.orders import load_order

log = logging.getLogger(__name__)

# A shopper is waiting: one short try, no retries. The webhook brings the order soon anyway.
FETCH_TIMEOUT_SECONDS = 3.0


def fetch_late_order(db: Session, store: Store, platform_order_id: str) -> Order | None:
    """Read the order from Shopify and store it like its webhook would; None on any trouble."""
    if store.platform != Platform.SHOPIFY or store.credential is None:
        return None
    try:
        client = ShopifyAdminClient(
            store.domain,
            shopify_access_token(db, store),
            current_app.config["SHOPIFY_API_VERSION"],
            timeout=float(
                current_app.config.get("STOREFRONT_FETCH_TIMEOUT_SECONDS", FETCH_TIMEOUT_SECONDS)
            ),
            max_attempts=1,
        )
        record = fetch_order(db, store, platform_order_id, client=client)
        if record is None:
            return None
        ingest.upsert_order(db, store, record)
        db.commit()
    except Exception as exc:  # the answer falls back to the cart's products
        db.rollback()
        log.warning(
            "%s: could not fetch order %s for the storefront (%s: %s)",
            store.domain,
            platform_order_id,
            type(exc).__name__,
            exc,
        )
    # Also after a failed commit: the webhook may have stored the order in the meantime.
    return load_order(db, store, platform_order_id)
