"""`encore demo`: load the demo store from the bundled grocery history.

Products and the order history are written straight through `plugin.ingest` in committed
batches (fast); the newest orders are sent as inbox events and run by the real worker, so the
webhook log shows the pipeline at work. The store's `installed_at` is set last: a load that
was interrupted is noticed and started over instead of being mistaken for a finished one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from plugin import ingest
from plugin.db import session
from plugin.demo.catalog import MIN_ORDERS, CatalogItem, build_catalog
from plugin.demo.history import BUNDLED_ORDERS, count_products, read_order_lines
from plugin.demo.store import (
    DEMO_CURRENCY,
    DEMO_DOMAIN,
    DEMO_NAME,
    DEMO_ORDER_KIND,
    find_demo_store,
    is_ready,
)
from plugin.jobs.queue import enqueue
from plugin.jobs.worker import Worker
from plugin.models import (
    Customer,
    InboxEvent,
    InboxStatus,
    Order,
    Platform,
    Product,
    Shipment,
    Store,
    utcnow,
)
from plugin.offers.recommender.neighbours import refresh_neighbours
from plugin.platforms import demo
from plugin.platforms.base import OrderRecord

Progress = Callable[[str], None]

PIPELINE_ORDERS = 20  # the newest orders arrive as events, the way a live store's would
BATCH = 1000  # rows per commit: large enough to be fast, small enough to show progress


@dataclass(frozen=True)
class DemoSummary:
    store_name: str
    already_loaded: bool
    products: int
    orders: int
    shoppers: int
    shipments: int
    through_pipeline: int  # orders that arrived as inbox events and were processed
    seconds: float


def load_demo_store(
    reset: bool = False,
    progress: Progress = print,
    *,
    csv_path: Path | None = None,
    max_orders: int | None = None,
    now: datetime | None = None,
) -> DemoSummary:
    """Create and fill the demo store unless it is there already (`reset` loads it again).

    `csv_path` and `max_orders` let tests load a small history; `now` fixes the clock the
    order timeline and parcels are laid out against. Needs an app context.
    """
    started = time.perf_counter()
    db = session()
    store = find_demo_store(db)
    if store is not None and is_ready(store) and not reset:
        summary = _summary(db, store, already_loaded=True, started=started)
        progress(
            f"The demo store {DEMO_NAME!r} is already loaded ({summary.products:,} products, "
            f"{summary.orders:,} orders). Run `encore demo --reset` to load it again."
        )
        return summary
    if store is not None:
        progress(
            "Removing the demo store to load it again…"
            if is_ready(store)
            else "An earlier load did not finish; starting over…"
        )
        remove_demo_store(db, store)

    now = now or utcnow()
    source = csv_path or BUNDLED_ORDERS
    progress(f"Reading {source.name}…")
    lines = read_order_lines(source, max_orders)
    counts = count_products(lines)
    catalog = build_catalog(counts)
    progress(
        f"Catalog: {len(catalog):,} products ordered at least {MIN_ORDERS} times "
        f"(of {len(counts):,} in the data; the rarer ones are left out)."
    )
    store = Store(
        platform=Platform.DEMO, domain=DEMO_DOMAIN, name=DEMO_NAME, currency=DEMO_CURRENCY
    )
    db.add(store)
    db.commit()

    _write_products(db, store, list(catalog.values()), now, progress)
    records = demo.order_records(lines, catalog, now)
    split = max(len(records) - PIPELINE_ORDERS, 0)
    _write_orders(db, store, records[:split], progress)
    progress("Ranking what sells together…")
    refresh_neighbours(db, store)
    db.commit()
    store_id = store.id
    _send_through_pipeline(db, store_id, records[split:], progress)

    # The worker's app context ended this thread's session when it closed: use a fresh one.
    db = session()
    store = db.get_one(Store, store_id)
    store.installed_at = utcnow()
    db.commit()
    summary = _summary(db, store, already_loaded=False, started=started)
    progress(
        f"Demo store {DEMO_NAME!r} ready in {summary.seconds:.1f} s: {summary.products:,} "
        f"products, {summary.orders:,} orders from {summary.shoppers:,} shoppers, "
        f"{summary.shipments:,} parcels on their way or delivered."
    )
    return summary


def remove_demo_store(db: Session, store: Store) -> None:
    """Delete the demo store with everything in it, and its events (their keys are reused)."""
    db.execute(
        delete(InboxEvent).where(
            (InboxEvent.kind == DEMO_ORDER_KIND) | (InboxEvent.shop_domain == DEMO_DOMAIN)
        )
    )
    # Products, orders, shoppers and parcels go with the store (ON DELETE CASCADE).
    db.execute(delete(Store).where(Store.id == store.id))
    db.commit()
    db.expunge_all()


def _write_products(
    db: Session, store: Store, items: Sequence[CatalogItem], now: datetime, progress: Progress
) -> None:
    for start in range(0, len(items), BATCH):
        for item in items[start : start + BATCH]:
            ingest.upsert_product(db, store, demo.product_record(item, now))
        db.commit()
        progress(f"products {min(start + BATCH, len(items)):,}/{len(items):,}")


def _write_orders(
    db: Session, store: Store, records: Sequence[OrderRecord], progress: Progress
) -> None:
    for start in range(0, len(records), BATCH):
        for record in records[start : start + BATCH]:
            ingest.upsert_order(db, store, record)
        db.commit()
        progress(f"orders {min(start + BATCH, len(records)):,}/{len(records):,} …")


def _send_through_pipeline(
    db: Session, store_id: int, records: Sequence[OrderRecord], progress: Progress
) -> None:
    progress(f"Sending the {len(records)} newest orders through the job pipeline…")
    for record in records:
        enqueue(
            db,
            kind=DEMO_ORDER_KIND,
            topic="orders/create",
            event_key=f"demo:{record.platform_order_id}",
            body=json.dumps(demo.order_payload(record)),
            store_id=store_id,
            shop_domain=DEMO_DOMAIN,
        )
    Worker(current_app._get_current_object()).drain()  # type: ignore[attr-defined]
    counts = _demo_events_by_status(session(), store_id)
    message = f"Job pipeline: {counts.get(InboxStatus.DONE, 0)} of {len(records)} events processed"
    if counts.get(InboxStatus.PENDING):
        message += f", {counts[InboxStatus.PENDING]} failed and wait for a retry"
    if counts.get(InboxStatus.DEAD):
        message += f", {counts[InboxStatus.DEAD]} dead-lettered"
    progress(message + " (see /demo/webhooks).")


def _demo_events_by_status(db: Session, store_id: int) -> dict[str, int]:
    rows = db.execute(
        select(InboxEvent.status, func.count())
        .where(InboxEvent.kind == DEMO_ORDER_KIND, InboxEvent.store_id == store_id)
        .group_by(InboxEvent.status)
    )
    return {str(status): int(n) for status, n in rows}


def _summary(db: Session, store: Store, *, already_loaded: bool, started: float) -> DemoSummary:
    def count(model: type[Product | Order | Customer | Shipment]) -> int:
        return int(
            db.scalar(select(func.count()).select_from(model).where(model.store_id == store.id))
            or 0
        )

    return DemoSummary(
        store_name=store.name or DEMO_NAME,
        already_loaded=already_loaded,
        products=count(Product),
        orders=count(Order),
        shoppers=count(Customer),
        shipments=count(Shipment),
        through_pipeline=_demo_events_by_status(db, store.id).get(InboxStatus.DONE, 0),
        seconds=round(time.perf_counter() - started, 2),
    )
