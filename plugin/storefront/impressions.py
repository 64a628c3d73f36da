"""Every showing of a surface is logged once, with exactly what it showed (or that it was held
out), so clicks and later orders can be attributed and lift measured against the holdout."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from plugin.models import Impression, Store, Surface, utcnow
from plugin.offers.exposures import record_exposures
from plugin.offers.selection import Offer


def shown_offer(offer: Offer) -> dict[str, Any]:
    """What attribution needs to remember about one offer, as it was at that moment."""
    return {
        "offer_id": offer.offer_id,
        "product_id": offer.platform_product_id,
        "variant_id": offer.platform_variant_id,
        "price": f"{offer.price:.2f}",
        "currency": offer.currency,
        "discount_percent": offer.discount_percent,
        "discount_code": offer.discount_code,
        "strategy": offer.strategy,
    }


def record_impression(
    db: Session,
    store: Store,
    surface: Surface,
    *,
    order_id: int | None,
    platform_order_id: str | None,
    platform_customer_id: str | None,
    in_holdout: bool,
    offers: Sequence[Offer],
    at: datetime | None = None,
) -> Impression:
    """Log one showing and commit it, so its id is valid for events right away.

    The offers shown are also kept as exposures (frequency cap, attribution) and counted as
    bandit trials, in the same transaction.
    """
    impression = Impression(
        store_id=store.id,
        order_id=order_id,
        platform_order_id=platform_order_id,
        surface=surface.value,
        platform_customer_id=platform_customer_id,
        in_holdout=in_holdout,
        offers=[shown_offer(offer) for offer in offers],
        created_at=at or utcnow(),
    )
    db.add(impression)
    record_exposures(db, impression, impression.offers)
    db.commit()
    return impression
