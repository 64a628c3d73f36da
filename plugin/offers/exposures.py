"""What each shopper was shown: written with every impression, read for the frequency cap.

A product counts once per order page it appeared on (thank-you and order-status of the same
order, and their reloads, are one showing), so reloading a page never changes its offers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, func, insert, or_, select
from sqlalchemy.orm import Session

from plugin.models import Impression, Store
from plugin.offers import bandit
from plugin.offers.settings import FrequencyCap
from plugin.offers.tables import OfferExposure


def record_exposures(db: Session, impression: Impression, shown: Sequence[dict[str, Any]]) -> None:
    """Flat rows for the offers of a just-added impression, and one bandit trial each.

    Runs in the impression's transaction, so an impression and what it counted land together.
    """
    if not shown:
        return
    db.flush()  # the impression needs its id
    rows = [
        {
            "store_id": impression.store_id,
            "impression_id": impression.id,
            "offer_id": str(offer["offer_id"]),
            "platform_product_id": str(offer["product_id"]),
            "strategy": str(offer.get("strategy") or "unknown"),
            "surface": impression.surface,
            "platform_customer_id": impression.platform_customer_id,
            "platform_order_id": impression.platform_order_id,
            "discount_code": offer.get("discount_code"),
            "shown_at": impression.created_at,
        }
        for offer in shown
    ]
    db.execute(insert(OfferExposure), rows)  # one statement, no ORM bookkeeping per row
    strategies = Counter(str(offer.get("strategy") or "unknown") for offer in shown)
    bandit.count_shown(db, impression.store_id, impression.surface, strategies)


def capped_products(
    db: Session,
    store: Store,
    platform_customer_id: str | None,
    cap: FrequencyCap,
    now: datetime,
    current_order_id: str | None = None,
) -> frozenset[str]:
    """Products this shopper already saw on `cap.max_impressions` other orders lately.

    Guests (no customer id) cannot be recognised across orders, so nothing is capped for them.
    The order being shown does not count against itself: its page keeps its own offers.
    """
    if not platform_customer_id:
        return frozenset()
    # One showing per order page; a showing without an order counts per impression.
    showing = func.coalesce(
        OfferExposure.platform_order_id, "impression:" + cast(OfferExposure.impression_id, String)
    )
    query = (
        select(OfferExposure.platform_product_id)
        .where(
            OfferExposure.store_id == store.id,
            OfferExposure.platform_customer_id == platform_customer_id,
            OfferExposure.shown_at >= now - timedelta(days=cap.days),
        )
        .group_by(OfferExposure.platform_product_id)
        .having(func.count(func.distinct(showing)) >= cap.max_impressions)
    )
    if current_order_id is not None:
        query = query.where(
            or_(
                OfferExposure.platform_order_id.is_(None),
                OfferExposure.platform_order_id != current_order_id,
            )
        )
    return frozenset(db.scalars(query))
