"""Ways of finding products worth offering. Each strategy ranks candidates; `selection` decides.

A strategy never checks stock or price (eligibility does that once for all of them), so a new
one (co-purchase, the shopper's history, a trained recommender) only has to rank products.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from plugin.models import Customer, Store
from plugin.offers.popularity import top_products


@dataclass(frozen=True)
class OfferContext:
    """What the shopper just bought (or has in the cart), and who they are when known."""

    order_product_ids: frozenset[str] = field(default_factory=frozenset)
    customer: Customer | None = None


@dataclass(frozen=True)
class Candidate:
    platform_product_id: str
    strategy: str
    reason: str  # shown to the shopper: plain text, no HTML
    # Relevance in [0, 1]: comparable across strategies, so selection can hold a floor.
    score: float = 0.0


Strategy = Callable[[Session, Store, OfferContext, int], list[Candidate]]

POPULAR = "popular"


def popular_at_store(
    db: Session, store: Store, context: OfferContext, limit: int
) -> list[Candidate]:
    """The store's best sellers: works from the first order on, for every shopper."""
    reason = f"Popular at {store.name or 'this shop'}"
    # Ask for more than needed: products in the order or out of stock are filtered out later.
    wanted = limit + len(context.order_product_ids)
    return [
        Candidate(platform_product_id=product_id, strategy=POPULAR, reason=reason)
        for product_id in top_products(db, store, wanted)
        if product_id not in context.order_product_ids
    ]


# Tried in order until enough offers are found; the recommender issue adds its own first.
STRATEGIES: tuple[Strategy, ...] = (popular_at_store,)
