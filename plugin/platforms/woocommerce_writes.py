"""Write one WooCommerce order or product into the domain, whichever way it arrived.

Webhook jobs, the initial import and reconciliation all come through here, so an order read
three ways is written one way (through `plugin.ingest`, which ignores older versions).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin import ingest
from plugin.models import OrderStatus, Shipment, Store, Variant
from plugin.platforms.woocommerce_normalize import (
    TRACKING_FULFILLMENT_PREFIX,
    is_draft,
    is_variation,
    normalize_order,
    normalize_product,
    optional_id,
    platform_id,
)
from plugin.tracking.status import TrackingStatus

log = logging.getLogger(__name__)

# Reads a product's variations (products/<id>/variations) or a product (products/<id>).
FetchVariations = Callable[[str], Iterable[Any]]
FetchProduct = Callable[[str], Any]


def save_order(db: Session, store: Store, payload: Any) -> ingest.Outcome | None:
    """Write an order; a checkout draft is no order yet and is skipped (None)."""
    if is_draft(payload):
        return None
    record = normalize_order(payload)
    outcome = ingest.upsert_order(db, store, record)
    if outcome is not ingest.Outcome.STALE:
        _cancel_removed_tracking(
            db,
            store,
            record.platform_order_id,
            {s.platform_fulfillment_id for s in record.shipments},
        )
    return outcome


def _cancel_removed_tracking(
    db: Session, store: Store, platform_order_id: str, listed: set[str]
) -> None:
    """A tracking number the merchant deleted from the order is no parcel of the shopper's."""
    order = ingest.find_order(db, store, platform_order_id)
    if order is None:
        return
    for shipment in db.scalars(
        select(Shipment).where(
            Shipment.order_id == order.id,
            Shipment.platform_fulfillment_id.startswith(TRACKING_FULFILLMENT_PREFIX),
        )
    ):
        if shipment.platform_fulfillment_id not in listed:
            shipment.status = TrackingStatus.CANCELLED


def save_product(
    db: Session,
    store: Store,
    payload: Any,
    fetch_variations: FetchVariations,
    fetch_product: FetchProduct,
    changed_at: datetime | None = None,
) -> ingest.Outcome:
    """Write a product with its variations; a variation's webhook rewrites its parent.

    `changed_at` is when a change the payload's dates do not show happened (a variation was
    deleted): the product then counts as changed at least then.
    """
    if is_variation(payload):
        parent_id = platform_id(payload.get("parent_id"), "parent_id")
        payload = fetch_product(parent_id)
    product_id = platform_id(payload.get("id"), "id")
    variations = fetch_variations(product_id) if payload.get("type") == "variable" else None
    record = normalize_product(payload, variations)
    if changed_at is not None and (record.updated_at is None or record.updated_at < changed_at):
        record = replace(record, updated_at=changed_at)
    return ingest.upsert_product(db, store, record)


def product_deleted(
    db: Session,
    store: Store,
    payload: Any,
    at: datetime | None,
    fetch_variations: FetchVariations,
    fetch_product: FetchProduct,
) -> ingest.Outcome:
    """product.deleted carries only an id, which may be a variation's: then its parent is
    read again, without it."""
    deleted_id = optional_id(payload.get("id") if isinstance(payload, dict) else None)
    if deleted_id is None:
        return ingest.Outcome.STALE
    outcome = ingest.delete_product(db, store, deleted_id, at)
    if outcome is not ingest.Outcome.STALE:
        return outcome
    variant = db.scalar(
        select(Variant).where(
            Variant.store_id == store.id, Variant.platform_variant_id == deleted_id
        )
    )
    if variant is None:
        return ingest.Outcome.STALE
    parent = fetch_product(variant.product.platform_product_id)
    return save_product(db, store, parent, fetch_variations, fetch_product, changed_at=at)


def order_deleted(db: Session, store: Store, payload: Any, at: datetime | None) -> ingest.Outcome:
    """order.deleted (moved to the trash or deleted): the order counts as cancelled."""
    deleted_id = optional_id(payload.get("id") if isinstance(payload, dict) else None)
    order = ingest.find_order(db, store, deleted_id) if deleted_id else None
    if order is None:
        return ingest.Outcome.STALE
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = order.cancelled_at or at
    log.info("order %s of %s was deleted in WooCommerce; marked cancelled", deleted_id, store.id)
    return ingest.Outcome.UPDATED
