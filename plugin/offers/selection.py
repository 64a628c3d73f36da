"""Choose the offers one shopper sees: pins first, then strategies in the bandit's order.

1. The merchant's pinned offers whose trigger matches the order take the first slots.
2. If the merchant lets recommendations fill the rest (`recommendations_fill`), every strategy
   proposes candidates; those at or below the relevance floor are dropped, and the bandit
   samples which strategy fills the remaining slots first.
3. Eligibility (in the order, stock, exclusions, frequency cap, price) filters all of them.
4. Incentives attach the store's valid discount code for each percent.

Reads only precomputed state: products, strategy counts, exposures, codes. Anything missing
(a code, a collection's members) is written into `wanted` for the caller to queue.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from plugin.models import Customer, Product, Store, Surface, Variant, utcnow
from plugin.offers import bandit
from plugin.offers.eligibility import (
    DEFAULT_MAX_PRICE_RATIO,
    EligibilityRules,
    max_price_for,
    sellable_variant,
    why_not,
)
from plugin.offers.exposures import capped_products
from plugin.offers.incentives import Incentive, incentives_for
from plugin.offers.job_requests import Wanted
from plugin.offers.pins import pin_candidate, triggered_pins
from plugin.offers.settings import (
    excluded_product_ids,
    frequency_cap,
    offer_discount_percent,
    recommendations_fill,
)
from plugin.offers.strategies import STRATEGIES, Candidate, OfferContext, Strategy

MAX_OFFERS = 3
# Candidates must score above this relevance (config key OFFERS_RELEVANCE_FLOOR): at the
# default, a candidate with no evidence at all is never shown, even while exploring.
DEFAULT_RELEVANCE_FLOOR = 0.0

_shared_rng = random.Random()


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


@dataclass(frozen=True)
class _Pick:
    candidate: Candidate
    product: Product
    variant: Variant
    percent: int


def pick_offers(
    db: Session,
    store: Store,
    order_product_ids: Collection[str],
    customer: Customer | None,
    limit: int = MAX_OFFERS,
    strategies: Sequence[Strategy] = STRATEGIES,
    *,
    surface: Surface | str = Surface.THANK_YOU,
    order_value: Decimal | None = None,
    current_order_id: str | None = None,
    rng: random.Random | None = None,
    now: datetime | None = None,
    wanted: Wanted | None = None,
    relevance_floor: float | None = None,
) -> list[Offer]:
    """Up to `limit` offers, best first; fewer (or none) when nothing eligible is left.

    `order_value` (what the shopper just spent) enables the price sanity rule;
    `current_order_id` keeps the order's own page out of its frequency cap; `rng` makes the
    bandit reproducible (tests); `wanted` collects codes and collections to create later.
    """
    limit = max(0, min(limit, MAX_OFFERS))
    if limit == 0:
        return []
    now = now or utcnow()
    context = OfferContext(order_product_ids=frozenset(order_product_ids), customer=customer)
    rules = _rules(db, store, context, order_value, current_order_id, now)

    rng = rng or _showing_rng(store, surface, current_order_id)
    triggered = triggered_pins(db, store, surface, context.order_product_ids, now)
    if wanted is not None:
        wanted.collection_ids.update(triggered.collections_to_sync)
    pin_percents = {pin.platform_product_id: pin.discount_percent for pin in triggered.pins}
    picks = _eligible_offers(
        db, store, [pin_candidate(store, pin) for pin in triggered.pins], rules, limit, pin_percents
    )

    if len(picks) < limit and recommendations_fill(store, surface):
        taken = {pick.product.platform_product_id for pick in picks}
        ranked = _recommendations(
            db, store, surface, context, strategies, limit, taken, rng, relevance_floor
        )
        picks += _eligible_offers(db, store, ranked, rules, limit - len(picks), {})
    return _with_incentives(db, store, picks[:limit], now, wanted)


def _rules(
    db: Session,
    store: Store,
    context: OfferContext,
    order_value: Decimal | None,
    current_order_id: str | None,
    now: datetime,
) -> EligibilityRules:
    customer_id = context.customer.platform_customer_id if context.customer else None
    return EligibilityRules(
        order_product_ids=context.order_product_ids,
        excluded_product_ids=excluded_product_ids(store),
        capped_product_ids=capped_products(
            db, store, customer_id, frequency_cap(store), now, current_order_id
        ),
        max_price=max_price_for(order_value, _max_price_ratio()),
    )


def _recommendations(
    db: Session,
    store: Store,
    surface: Surface | str,
    context: OfferContext,
    strategies: Sequence[Strategy],
    limit: int,
    taken: set[str],
    rng: random.Random,
    relevance_floor: float | None,
) -> list[Candidate]:
    """All strategies' relevant candidates, grouped by strategy in the bandit's sampled order."""
    floor = _floor() if relevance_floor is None else relevance_floor
    unwanted = set(context.order_product_ids) | taken
    by_strategy: dict[str, list[Candidate]] = {}
    for strategy in strategies:
        for candidate in strategy(db, store, context, limit * 3):
            if candidate.score > floor and candidate.platform_product_id not in unwanted:
                by_strategy.setdefault(candidate.strategy, []).append(candidate)
    if len(by_strategy) > 1:
        evidence = bandit.posteriors(db, store, surface)
        order = bandit.strategy_order(by_strategy, evidence, rng)
    else:
        order = list(by_strategy)
    ranked: list[Candidate] = []
    seen: set[str] = set()
    for name in order:
        for candidate in by_strategy[name]:
            if candidate.platform_product_id not in seen:
                seen.add(candidate.platform_product_id)
                ranked.append(candidate)
    return ranked


def _eligible_offers(
    db: Session,
    store: Store,
    candidates: list[Candidate],
    rules: EligibilityRules,
    wanted: int,
    pin_percents: Mapping[str, int],
) -> list[_Pick]:
    """The first `wanted` eligible candidates, in order, with their products (one query)."""
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
    store_percent = offer_discount_percent(store)
    picks: list[_Pick] = []
    for candidate in candidates:
        product = products.get(candidate.platform_product_id)
        pinned = candidate.platform_product_id in pin_percents
        if product is None or why_not(product, rules, check_price=not pinned) is not None:
            continue
        variant = sellable_variant(product)
        assert variant is not None  # why_not() checked there is one
        percent = pin_percents.get(candidate.platform_product_id, store_percent)
        picks.append(_Pick(candidate, product, variant, percent))
        if len(picks) >= wanted:
            break
    return picks


def _with_incentives(
    db: Session, store: Store, picks: list[_Pick], now: datetime, wanted: Wanted | None
) -> list[Offer]:
    incentives = incentives_for(db, store, {pick.percent for pick in picks}, now, wanted)
    return [_offer(store, pick, incentives.get(pick.percent, Incentive())) for pick in picks]


def _offer(store: Store, pick: _Pick, incentive: Incentive) -> Offer:
    product, variant, candidate = pick.product, pick.variant, pick.candidate
    compare_at = variant.compare_at_price
    return Offer(
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


def _showing_rng(store: Store, surface: Surface | str, order_id: str | None) -> random.Random:
    """The bandit's draws for one order's page: the same on every reload of that page.

    Different orders still draw independently, which is all Thompson sampling needs; a
    showing without an order (a cart) draws fresh each time.
    """
    if order_id is None:
        return _shared_rng
    return random.Random(f"{store.id}:{surface}:{order_id}")


def _floor() -> float:
    if not has_app_context():
        return DEFAULT_RELEVANCE_FLOOR
    return float(current_app.config.get("OFFERS_RELEVANCE_FLOOR", DEFAULT_RELEVANCE_FLOOR))


def _max_price_ratio() -> Decimal:
    if not has_app_context():
        return DEFAULT_MAX_PRICE_RATIO
    return Decimal(str(current_app.config.get("OFFERS_MAX_PRICE_RATIO", DEFAULT_MAX_PRICE_RATIO)))
