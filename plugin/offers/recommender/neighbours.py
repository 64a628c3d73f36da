"""Rebuild the co-purchase neighbours of products whose counts changed (a background job).

The offer strategy reads `ProductSignal.neighbours` for the products of an order: one row per
product, already ranked, so choosing offers never aggregates pairs while a shopper waits.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from plugin.jobs.registry import job
from plugin.models import InboxEvent, Store
from plugin.offers.recommender.blend import NEIGHBOURS_KEPT, together_score
from plugin.offers.recommender.learning import NEIGHBOURS_JOB
from plugin.offers.recommender.tables import ProductPair, ProductSignal

BATCH = 200


def refresh_neighbours(
    db: Session, store: Store, progress: Callable[[int], None] | None = None
) -> int:
    """Rebuild every stale product of `store`; returns how many were rebuilt (caller commits)."""
    rebuilt = 0
    while True:
        stale = list(
            db.scalars(
                select(ProductSignal)
                .where(ProductSignal.store_id == store.id, ProductSignal.neighbours_stale)
                .order_by(ProductSignal.id)
                .limit(BATCH)
            )
        )
        if not stale:
            return rebuilt
        for signal in stale:
            signal.neighbours = _neighbours_of(db, store, signal)
            signal.neighbours_stale = False
        db.flush()
        rebuilt += len(stale)
        if progress is not None:
            progress(rebuilt)


def _neighbours_of(db: Session, store: Store, signal: ProductSignal) -> list[list[object]]:
    product = signal.platform_product_id
    together: dict[str, int] = {}
    for a, b, orders in db.execute(
        select(ProductPair.product_a, ProductPair.product_b, ProductPair.orders).where(
            ProductPair.store_id == store.id,
            or_(ProductPair.product_a == product, ProductPair.product_b == product),
        )
    ):
        together[b if a == product else a] = orders
    # The most frequent companions, then normalised against popularity: a product bought with
    # everything (bananas) ranks below one bought with this product in particular.
    strongest = sorted(together.items(), key=lambda kv: (-kv[1], kv[0]))[:NEIGHBOURS_KEPT]
    orders_of = dict(
        db.execute(
            select(ProductSignal.platform_product_id, ProductSignal.orders).where(
                ProductSignal.store_id == store.id,
                ProductSignal.platform_product_id.in_([other for other, _ in strongest]),
            )
        ).all()
    )
    scored = [
        [other, round(together_score(both, signal.orders, orders_of.get(other, 0)), 6)]
        for other, both in strongest
    ]
    scored.sort(key=lambda entry: (-float(entry[1]), str(entry[0])))  # type: ignore[arg-type]
    return scored


@job(NEIGHBOURS_JOB)
def rebuild_store_neighbours(db: Session, event: InboxEvent) -> None:
    """Inbox job queued by `learning.learn_order`: at most one per store and minute."""
    store = db.get(Store, json.loads(event.body)["store_id"])
    if store is not None:  # the shop may have been redacted since
        refresh_neighbours(db, store)
