"""Learn from one new order: the shopper's habits, rebuy counts, and what sells together.

Runs inside the order job's transaction, costs a few statements per order (no scan of past
orders), and never needs a batch retrain: the next thank-you page already knows this order.
Co-purchase neighbours are the only derived state; they are marked stale here and rebuilt by
the `recommender.neighbours` job at most once a minute per store.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from itertools import combinations
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from plugin.jobs.queue import add_in_transaction
from plugin.models import InboxEvent, Order, Store, utcnow
from plugin.offers.recommender.blend import WEIGHTS, BlendWeights, aged
from plugin.offers.recommender.tables import (
    ProductPair,
    ProductSignal,
    ShopperProduct,
    ShopperProfile,
)

NEIGHBOURS_JOB = "recommender.neighbours"
# Pairs are counted for the first products of very large orders only: a 200-line wholesale
# order would add 20,000 pairs that say little about what goes together.
MAX_PRODUCTS_PAIRED = 40
NEIGHBOURS_DELAY = timedelta(seconds=60)


def learn_order(db: Session, store: Store, order: Order, weights: BlendWeights = WEIGHTS) -> None:
    """Count a newly created order once (the caller commits, with the order itself)."""
    products = sorted(
        {item.platform_product_id for item in order.line_items if item.platform_product_id}
    )
    if not products:
        return
    repeats = (
        _remember_for_shopper(db, store, order, products, weights)
        if order.customer_id is not None
        else set()
    )
    _count_products(db, store, products, repeats, known_shopper=order.customer_id is not None)
    _count_pairs(db, store, products[:MAX_PRODUCTS_PAIRED])
    _schedule_neighbours(db, store)


def _remember_for_shopper(
    db: Session, store: Store, order: Order, products: list[str], weights: BlendWeights
) -> set[str]:
    """Age and add this order to the shopper's history; returns the products bought before."""
    profile = db.scalar(
        select(ShopperProfile)
        .where(ShopperProfile.customer_id == order.customer_id)
        .with_for_update()  # two orders of one shopper at once must not both be order n
    )
    if profile is None:
        profile = ShopperProfile(store_id=store.id, customer_id=order.customer_id, orders_learned=0)
        db.add(profile)
    number = profile.orders_learned + 1
    known = {
        product_id: (decayed, last_at, times)
        for product_id, decayed, last_at, times in db.execute(
            select(
                ShopperProduct.platform_product_id,
                ShopperProduct.decayed,
                ShopperProduct.last_bought_at_order,
                ShopperProduct.times_bought,
            ).where(
                ShopperProduct.customer_id == order.customer_id,
                ShopperProduct.platform_product_id.in_(products),
            )
        )
    }
    rows = []
    for product_id in products:
        decayed, last_at, times = known.get(product_id, (0.0, number, 0))
        rows.append(
            {
                "store_id": store.id,
                "customer_id": order.customer_id,
                "platform_product_id": product_id,
                "times_bought": times + 1,
                "last_bought_at_order": number,
                "decayed": aged(decayed, last_at, number, weights) + 1.0,
            }
        )
    # One statement for all the order's products (the ORM's unit of work costs more than
    # the arithmetic here).
    db.execute(_shopper_product_upsert(db.get_bind().dialect.name), rows)
    profile.orders_learned = number
    profile.last_order_id = order.id
    return set(known)


def _count_products(
    db: Session, store: Store, products: list[str], repeats: set[str], *, known_shopper: bool
) -> None:
    rows = [
        {
            "store_id": store.id,
            "platform_product_id": product_id,
            "orders": 1,
            # A guest's purchase tells nothing about rebuying: it counts as an order only.
            "first_purchases": int(known_shopper and product_id not in repeats),
            "repeat_purchases": int(product_id in repeats),
            "neighbours": [],
            "neighbours_stale": True,
        }
        for product_id in products
    ]
    db.execute(_signal_upsert(db.get_bind().dialect.name), rows)


def _count_pairs(db: Session, store: Store, products: list[str]) -> None:
    rows = [
        {"store_id": store.id, "product_a": a, "product_b": b, "orders": 1}
        for a, b in combinations(products, 2)  # `products` is sorted: a < b
    ]
    if rows:
        db.execute(_pair_upsert(db.get_bind().dialect.name), rows)


def _schedule_neighbours(db: Session, store: Store) -> None:
    """One neighbours rebuild per store and minute, however many orders arrive in it."""
    minute = utcnow().replace(second=0, microsecond=0)
    key = f"{NEIGHBOURS_JOB}:{store.id}:{minute.isoformat()}"
    # Remembered per session, and looked up before inserting: a burst of orders in one minute
    # costs one indexed read each, not a failed insert each.
    scheduled: set[str] = db.info.setdefault("encore_scheduled_jobs", set())
    if key in scheduled:
        return
    if db.scalar(select(InboxEvent.id).where(InboxEvent.event_key == key)) is None:
        add_in_transaction(
            db,
            kind=NEIGHBOURS_JOB,
            topic=NEIGHBOURS_JOB,
            event_key=key,
            body=json.dumps({"store_id": store.id}),
            store_id=store.id,
            shop_domain=store.domain,
            run_after=minute + NEIGHBOURS_DELAY,
        )
    scheduled.add(key)


def _insert(dialect: str, table: Table) -> Any:
    return (sqlite.insert if dialect == "sqlite" else postgresql.insert)(table)


@cache
def _signal_upsert(dialect: str) -> Any:
    table: Table = ProductSignal.__table__  # type: ignore[assignment]
    statement = _insert(dialect, table)
    return statement.on_conflict_do_update(
        index_elements=["store_id", "platform_product_id"],
        set_={
            "orders": table.c.orders + 1,
            "first_purchases": table.c.first_purchases + statement.excluded.first_purchases,
            "repeat_purchases": table.c.repeat_purchases + statement.excluded.repeat_purchases,
            "neighbours_stale": True,
        },
    )


@cache
def _shopper_product_upsert(dialect: str) -> Any:
    table: Table = ShopperProduct.__table__  # type: ignore[assignment]
    statement = _insert(dialect, table)
    return statement.on_conflict_do_update(
        index_elements=["customer_id", "platform_product_id"],
        set_={
            "times_bought": statement.excluded.times_bought,
            "last_bought_at_order": statement.excluded.last_bought_at_order,
            "decayed": statement.excluded.decayed,
        },
    )


@cache
def _pair_upsert(dialect: str) -> Any:
    table: Table = ProductPair.__table__  # type: ignore[assignment]
    return _insert(dialect, table).on_conflict_do_update(
        index_elements=["store_id", "product_a", "product_b"],
        set_={"orders": table.c.orders + 1},
    )
