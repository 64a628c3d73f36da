"""The `learned` offer strategy: rank products for one shopper from precomputed state only.

Reads, for one request: the shopper's product history (a few hundred rows at most), the stored
neighbours of the order's products, the merchant's links from those products, the store's best
sellers, and the rebuy counts of the candidates. Then it is arithmetic (`blend.relevance`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Customer, Product, Store
from plugin.offers.popularity import BestSellers
from plugin.offers.recommender.blend import (
    POPULAR_CONSIDERED,
    WEIGHTS,
    BlendWeights,
    Evidence,
    aged,
    history_weight,
    rebuy_rate,
    relevance,
    strongest_reason,
)
from plugin.offers.recommender.tables import ProductSignal, ShopperProduct, ShopperProfile

# The shopper's strongest habits considered; older, fainter ones cannot reach the top three.
HISTORY_CONSIDERED = 300


@dataclass(frozen=True)
class Ranked:
    platform_product_id: str
    score: float
    because: str  # "habit" | "together" | "linked" | "popular"


def rank_products(
    db: Session,
    store: Store,
    order_product_ids: Collection[str],
    customer: Customer | None,
    limit: int,
    weights: BlendWeights = WEIGHTS,
    best_sellers: BestSellers | None = None,
) -> list[Ranked]:
    """The `limit` most relevant products not in the order, best first (ties by product id).

    `best_sellers` shares the store's best-seller read with the other strategies of a showing.
    """
    best_sellers = best_sellers or BestSellers()
    in_order = set(order_product_ids)
    habits = _habits(db, customer, in_order, weights)
    together = _together(db, store, in_order)
    linked = _linked(db, store, in_order)
    popular = {
        product_id: 1 - rank / POPULAR_CONSIDERED
        for rank, product_id in enumerate(best_sellers.top(db, store, POPULAR_CONSIDERED))
    }
    candidates = (set(habits) | set(together) | linked | set(popular)) - in_order
    rebuy = _rebuy_rates(db, store, habits.keys() - in_order, weights)
    ranked = []
    for product_id in candidates:
        evidence = Evidence(
            platform_product_id=product_id,
            habit=habits.get(product_id, 0.0),
            rebuy_rate=rebuy.get(product_id, 0.0),
            together=together.get(product_id, 0.0),
            linked=product_id in linked,
            popular=popular.get(product_id, 0.0),
        )
        ranked.append(
            Ranked(product_id, relevance(evidence, weights), strongest_reason(evidence, weights))
        )
    ranked.sort(key=lambda r: (-r.score, r.platform_product_id))
    return ranked[:limit]


def _habits(
    db: Session, customer: Customer | None, in_order: set[str], weights: BlendWeights
) -> dict[str, float]:
    """Each past product's share of the shopper's recency-weighted orders, in [0, 1]."""
    if customer is None or customer.id is None:
        return {}
    # One read: the shopper's strongest recent products, each with their learned order count.
    rows = db.execute(
        select(
            ShopperProduct.platform_product_id,
            ShopperProduct.decayed,
            ShopperProduct.last_bought_at_order,
            ShopperProfile.orders_learned,
        )
        .join(ShopperProfile, ShopperProfile.customer_id == ShopperProduct.customer_id)
        .where(ShopperProduct.customer_id == customer.id)
        .order_by(
            ShopperProduct.last_bought_at_order.desc(),
            ShopperProduct.decayed.desc(),
            ShopperProduct.platform_product_id,
        )
        .limit(HISTORY_CONSIDERED)
    ).all()
    if not rows:
        return {}
    orders = int(rows[0][3])
    last = {product_id: at for product_id, _, at, _ in rows}
    # When the order on the page is not learned yet (its webhook is still on the way), age the
    # history as if it were: the answer is the same before and after the job runs.
    if in_order and any(last.get(product_id) != orders for product_id in in_order):
        orders += 1
    total = history_weight(orders, weights)
    return {
        product_id: aged(decayed, at, orders, weights) / total
        for product_id, decayed, at, _ in rows
    }


def _together(db: Session, store: Store, in_order: set[str]) -> dict[str, float]:
    """Mean co-purchase score of each neighbour with the order's products."""
    if not in_order:
        return {}
    sums: dict[str, float] = {}
    for neighbours in db.scalars(
        select(ProductSignal.neighbours).where(
            ProductSignal.store_id == store.id,
            ProductSignal.platform_product_id.in_(in_order),
        )
    ):
        for product_id, score in neighbours or ():
            sums[str(product_id)] = sums.get(str(product_id), 0.0) + float(score)
    return {product_id: total / len(in_order) for product_id, total in sums.items()}


def _linked(db: Session, store: Store, in_order: set[str]) -> set[str]:
    """Products the merchant links to the order's products (WooCommerce upsells/cross-sells)."""
    if not in_order:
        return set()
    linked: set[str] = set()
    for ids in db.scalars(
        select(Product.linked_product_ids).where(
            Product.store_id == store.id, Product.platform_product_id.in_(in_order)
        )
    ):
        linked.update(str(product_id) for product_id in ids or ())
    return linked


def _rebuy_rates(
    db: Session, store: Store, product_ids: Iterable[str], weights: BlendWeights
) -> dict[str, float]:
    wanted = list(product_ids)
    if not wanted:
        return {}
    rows = db.execute(
        select(
            ProductSignal.platform_product_id,
            ProductSignal.first_purchases,
            ProductSignal.repeat_purchases,
        ).where(ProductSignal.store_id == store.id, ProductSignal.platform_product_id.in_(wanted))
    )
    rates = {product_id: rebuy_rate(first, repeat, weights) for product_id, first, repeat in rows}
    return {product_id: rates.get(product_id, rebuy_rate(0, 0, weights)) for product_id in wanted}
