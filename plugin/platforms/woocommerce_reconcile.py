"""Reconciliation: read what changed on the store since the last one, so nothing is missed.

WooCommerce does not retry webhooks, so an order placed while Encore (or a webhook) was down
would be lost. Each reconciliation lists `orders?modified_after=<reconciled through>` (and
products the same way) up to its own start, and writes what it finds like a webhook would;
versions Encore already has are ignored by `plugin.ingest`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy.orm import Session

from plugin.models import Store, utcnow
from plugin.platforms.woocommerce_client import WooCommerceClient
from plugin.platforms.woocommerce_import import import_days
from plugin.platforms.woocommerce_runs import (
    RECONCILE,
    run_to_end,
    running,
    start_run,
    sync_state,
)
from plugin.platforms.woocommerce_tables import SyncRunStatus, WooCommerceSyncRun

RECONCILE_STEPS = ("orders", "products")


def _overlap() -> timedelta:
    """Windows overlap a little: the store's clock and ours need not agree to the second."""
    return timedelta(
        seconds=float(current_app.config.get("WOOCOMMERCE_RECONCILE_OVERLAP_SECONDS", 600))
    )


def _window_start(db: Session, store: Store) -> datetime | None:
    through = sync_state(db, store).reconciled_through
    return through - _overlap() if through is not None else None


def start_reconciliation(
    db: Session, store: Store, now: datetime | None = None
) -> WooCommerceSyncRun | None:
    """Queue a reconciliation (one job per page). None while the import has not finished (it
    sets the first starting point) or while another reconciliation is still running."""
    now = now or utcnow()
    start = _window_start(db, store)
    if start is None or running(db, store, RECONCILE) is not None:
        return None
    return start_run(db, store, RECONCILE, RECONCILE_STEPS, window_start=start, window_end=now)


def reconcile_now(
    db: Session, store: Store, client: WooCommerceClient, now: datetime | None = None
) -> WooCommerceSyncRun:
    """Reconcile in this process, page by page (`encore woocommerce reconcile`). Before the
    first reconciliation it reads the import's window, a year back."""
    now = now or utcnow()
    start = _window_start(db, store) or now - timedelta(days=import_days())
    run = WooCommerceSyncRun(
        store_id=store.id,
        purpose=RECONCILE,
        steps=list(RECONCILE_STEPS),
        step=RECONCILE_STEPS[0],
        page=1,
        status=SyncRunStatus.RUNNING,
        fetched=0,
        written=0,
        started_at=now,
        window_start=start,
        window_end=now,
    )
    db.add(run)
    db.commit()
    run_to_end(db, store, run, client)
    return run
