"""Rebuild the co-purchase neighbours of products whose counts changed (a background job).

The offer strategy reads `ProductSignal.neighbours` for the products of an order: one row per
product, already ranked, so choosing offers never aggregates pairs while a shopper waits.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select
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
        companions = _companions(db, store, [signal.platform_product_id for signal in stale])
        orders_of = _orders_of(
            db, store, {other for found in companions.values() for other, _ in found}
        )
        for signal in stale:
            signal.neighbours = _ranked(
                signal, companions.get(signal.platform_product_id, []), orders_of
            )
            signal.neighbours_stale = False
        db.flush()
        rebuilt += len(stale)
        if progress is not None:
            progress(rebuilt)


def _companions(db: Session, store: Store, products: list[str]) -> dict[str, list[tuple[str, int]]]:
    """For each product, its strongest companions (most orders together), by two index reads."""
    together: dict[str, dict[str, int]] = defaultdict(dict)
    for mine, theirs in (
        (ProductPair.product_a, ProductPair.product_b),
        (ProductPair.product_b, ProductPair.product_a),
    ):
        for product, other, orders in db.execute(
            select(mine, theirs, ProductPair.orders).where(
                ProductPair.store_id == store.id, mine.in_(products)
            )
        ):
            together[product][other] = orders
    return {
        product: sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:NEIGHBOURS_KEPT]
        for product, found in together.items()
    }


def _orders_of(db: Session, store: Store, products: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    wanted = sorted(products)
    for start in range(0, len(wanted), 900):  # stay under SQLite's bound-parameter limit
        rows = db.execute(
            select(ProductSignal.platform_product_id, ProductSignal.orders).where(
                ProductSignal.store_id == store.id,
                ProductSignal.platform_product_id.in_(wanted[start : start + 900]),
            )
        )
        found.update((product, orders) for product, orders in rows)
    return found


def _ranked(
    signal: ProductSignal, strongest: list[tuple[str, int]], orders_of: dict[str, int]
) -> list[list[object]]:
    """The most frequent companions, normalised against popularity: a product bought with
    everything (bananas) ranks below one bought with this product in particular."""
    scored = [
        (other, round(together_score(both, signal.orders, orders_of.get(other, 0)), 6))
        for other, both in strongest
    ]
    scored.sort(key=lambda entry: (-entry[1], entry[0]))
    return [[other, score] for other, score in scored]


@job(NEIGHBOURS_JOB)
def rebuild_store_neighbours(db: Session, event: InboxEvent) -> None:
    """Inbox job queued by `learning.learn_order`: at most one per store and minute."""
    store = db.get(Store, json.loads(event.body)["store_id"])
    if store is not None:  # the shop may have been redacted since
        refresh_neighbours(db, store)
