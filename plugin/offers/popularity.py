"""What sells at a store, counted one order at a time as orders arrive.

The storefront reads the precomputed counts (`top_products`); nothing is aggregated while a
shopper waits. It is also the cold-start strategy: it needs no history of the shopper.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from plugin.models import Order, ProductPopularity, Store


def record_order(db: Session, store: Store, order: Order) -> None:
    """Count a newly created order once for each distinct product in it (the caller commits)."""
    product_ids = sorted(
        {item.platform_product_id for item in order.line_items if item.platform_product_id}
    )
    if not product_ids:
        return
    rows = [
        {
            "store_id": store.id,
            "platform_product_id": product_id,
            "order_count": 1,
            "last_ordered_at": order.placed_at,
        }
        for product_id in product_ids
    ]
    # One upsert per product, sent as one batch: no read-then-write race between jobs, and
    # cheap enough that bulk imports (the demo history) barely notice it.
    db.execute(_upsert(db.get_bind().dialect.name), rows)


@cache
def _upsert(dialect: str) -> Any:
    """Add one to a product's count, or start it at one; built once, run for many rows.

    Encore runs on SQLite and PostgreSQL (DESIGN.md), which share the ON CONFLICT syntax.
    """
    table: Table = ProductPopularity.__table__  # type: ignore[assignment]
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    statement = insert(table)
    latest = func.coalesce(statement.excluded.last_ordered_at, table.c.last_ordered_at)
    # An older order arriving late must not move the date backwards.
    newest = (
        func.max(func.coalesce(table.c.last_ordered_at, latest), latest)
        if dialect == "sqlite"
        else func.greatest(table.c.last_ordered_at, latest)
    )
    return statement.on_conflict_do_update(
        index_elements=["store_id", "platform_product_id"],
        set_={"order_count": table.c.order_count + 1, "last_ordered_at": newest},
    )


def top_products(db: Session, store: Store, limit: int) -> list[str]:
    """The store's most ordered products (platform ids), most popular first."""
    if limit <= 0:
        return []
    return list(
        db.scalars(
            select(ProductPopularity.platform_product_id)
            .where(ProductPopularity.store_id == store.id)
            .order_by(
                ProductPopularity.order_count.desc(),
                # Spelled out: SQLite and PostgreSQL put NULLs at opposite ends by default.
                ProductPopularity.last_ordered_at.desc().nulls_last(),
                ProductPopularity.platform_product_id,
            )
            .limit(limit)
        )
    )


class BestSellers:
    """The store's top products for one showing: read once, shared by the strategies.

    The first ask reads at least `least` products and a shorter ask later is a slice of that
    read. A longer ask reads again, unless the last read came back short: it already holds
    every product the store has counted.
    """

    def __init__(self, least: int = 0) -> None:
        self._least = least
        self._asked = 0
        self._read: list[str] = []

    def top(self, db: Session, store: Store, limit: int) -> list[str]:
        if limit > self._asked and len(self._read) == self._asked:
            self._asked = max(limit, self._least)
            self._read = top_products(db, store, self._asked)
        return self._read[:limit]
