"""The initial import after connect: products (with variations), then a year of orders."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from plugin.models import Store, utcnow
from plugin.platforms.woocommerce_runs import IMPORT, running, start_run
from plugin.platforms.woocommerce_tables import WooCommerceSyncRun

# Products first: orders then find the products they refer to already in place.
IMPORT_STEPS = ("products", "orders")


def import_days() -> int:
    return int(current_app.config.get("WOOCOMMERCE_IMPORT_DAYS", 365))


def start_import(db: Session, store: Store, now: datetime | None = None) -> WooCommerceSyncRun:
    """Queue the import's first page, unless an import of this store is already under way."""
    under_way = running(db, store, IMPORT)
    if under_way is not None:
        return under_way
    now = now or utcnow()
    return start_run(
        db,
        store,
        IMPORT,
        IMPORT_STEPS,
        window_start=now - timedelta(days=import_days()),
        window_end=now,
    )
