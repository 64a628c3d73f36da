"""Ways of finding products worth offering. Each strategy ranks candidates; `selection` decides.

A strategy never checks stock or price (eligibility does that once for all of them), so a new
one (co-purchase, the shopper's history, a trained recommender) only has to rank products.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from plugin.models import Customer, Store
from plugin.offers.popularity import BestSellers
from plugin.offers.recommender.blend import POPULAR_CONSIDERED, WEIGHTS
from plugin.offers.recommender.strategy import rank_products


@dataclass(frozen=True)
class OfferContext:
    """What the shopper just bought (or has in the cart), and who they are when known."""

    order_product_ids: frozenset[str] = field(default_factory=frozenset)
    customer: Customer | None = None
    # The store's best sellers, read once for all strategies of one showing.
    best_sellers: BestSellers = field(
        default_factory=lambda: BestSellers(POPULAR_CONSIDERED), compare=False
    )


@dataclass(frozen=True)
class Candidate:
    platform_product_id: str
    strategy: str
    reason: str  # shown to the shopper: plain text, no HTML
    # Relevance in [0, 1]: comparable across strategies, so selection can hold a floor.
    score: float = 0.0


Strategy = Callable[[Session, Store, OfferContext, int], list[Candidate]]

POPULAR = "popular"
LEARNED = "learned"

# What the shopper reads under a learned offer, by the signal that carried it.
LEARNED_REASONS = {
    "habit": "You buy this regularly",
    "together": "Often bought with what you just ordered",
    "linked": "Goes with your order",
}


def learned_for_shopper(
    db: Session, store: Store, context: OfferContext, limit: int
) -> list[Candidate]:
    """The recommender's blend of the shopper's habits, co-purchase, links and popularity."""
    return [
        Candidate(
            platform_product_id=ranked.platform_product_id,
            strategy=LEARNED,
            reason=LEARNED_REASONS.get(ranked.because) or _popular_reason(store),
            score=ranked.score,
        )
        for ranked in rank_products(
            db,
            store,
            context.order_product_ids,
            context.customer,
            limit,
            best_sellers=context.best_sellers,
        )
    ]


def _popular_reason(store: Store) -> str:
    return f"Popular at {store.name or 'this shop'}"


def popular_at_store(
    db: Session, store: Store, context: OfferContext, limit: int
) -> list[Candidate]:
    """The store's best sellers: works from the first order on, for every shopper."""
    reason = _popular_reason(store)
    # Ask for more than needed: products in the order or out of stock are filtered out later.
    wanted = limit + len(context.order_product_ids)
    return [
        Candidate(
            platform_product_id=product_id,
            strategy=POPULAR,
            reason=reason,
            # On the learned blend's scale, where popularity alone is a faint signal.
            score=WEIGHTS.popular * max(0.0, 1 - rank / POPULAR_CONSIDERED),
        )
        for rank, product_id in enumerate(context.best_sellers.top(db, store, wanted))
        if product_id not in context.order_product_ids
    ]


# Tried in order until enough offers are found (selection may reorder them).
STRATEGIES: tuple[Strategy, ...] = (learned_for_shopper, popular_at_store)
