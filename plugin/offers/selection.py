"""Choose the offers one shopper sees: strategies suggest, eligibility filters, incentives apply."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from plugin.models import Customer, Product, Store
from plugin.offers.eligibility import offerable_variant
from plugin.offers.incentives import incentive_for
from plugin.offers.strategies import STRATEGIES, Candidate, OfferContext, Strategy

MAX_OFFERS = 3


@dataclass(frozen=True)
class Offer:
    """One product offered to one shopper, with everything a surface needs to show it."""

    offer_id: str
    platform_product_id: str
    platform_variant_id: str
    title: str
    image_url: str | None
    price: Decimal
    compare_at_price: Decimal | None
    currency: str
    discount_percent: int
    discount_code: str | None
    reason: str
    strategy: str


def pick_offers(
    db: Session,
    store: Store,
    order_product_ids: Collection[str],
    customer: Customer | None,
    limit: int = MAX_OFFERS,
    strategies: Sequence[Strategy] = STRATEGIES,
) -> list[Offer]:
    """Up to `limit` offers, best first; fewer (or none) when nothing eligible is left."""
    limit = max(0, min(limit, MAX_OFFERS))
    if limit == 0:
        return []
    context = OfferContext(order_product_ids=frozenset(order_product_ids), customer=customer)
    offers: list[Offer] = []
    seen: set[str] = set(context.order_product_ids)
    for strategy in strategies:
        candidates = [
            c for c in strategy(db, store, context, limit * 3) if c.platform_product_id not in seen
        ]
        offers.extend(_eligible_offers(db, store, candidates, context, limit - len(offers)))
        seen.update(c.platform_product_id for c in candidates)
        if len(offers) >= limit:
            break
    return offers[:limit]


def _eligible_offers(
    db: Session,
    store: Store,
    candidates: list[Candidate],
    context: OfferContext,
    wanted: int,
) -> list[Offer]:
    if not candidates or wanted <= 0:
        return []
    products = {
        p.platform_product_id: p
        for p in db.scalars(
            select(Product)
            .where(
                Product.store_id == store.id,
                Product.platform_product_id.in_({c.platform_product_id for c in candidates}),
            )
            # One query: a dozen products with a few variants each is a small join.
            .options(joinedload(Product.variants))
        ).unique()
    }
    incentive = incentive_for(store)
    offers: list[Offer] = []
    for candidate in candidates:
        product = products.get(candidate.platform_product_id)
        variant = offerable_variant(product, context.order_product_ids) if product else None
        if product is None or variant is None:
            continue
        compare_at = variant.compare_at_price
        offers.append(
            Offer(
                offer_id=f"{candidate.strategy}:{product.platform_product_id}",
                platform_product_id=product.platform_product_id,
                platform_variant_id=variant.platform_variant_id,
                title=product.title,
                image_url=product.image_url,
                price=variant.price,
                # Only a real "was" price: equal or lower would mislead the shopper.
                compare_at_price=compare_at if compare_at and compare_at > variant.price else None,
                currency=store.currency,
                discount_percent=incentive.discount_percent,
                discount_code=incentive.discount_code,
                reason=candidate.reason,
                strategy=candidate.strategy,
            )
        )
        if len(offers) >= wanted:
            break
    return offers
