"""What the offers did in a period: showings, clicks, conversions, attributed revenue.

Definitions (each unit-tested on hand-counted fixtures):
- an *impression* is one showing of a surface with at least one offer on it (held-out
  showings carry no offers and are counted apart);
- *offers shown* adds up the offers on those showings;
- *clicks* are distinct (showing, offer) click events of showings in the period, for offers
  that showing had;
- *click-through rate* = clicks / offers shown;
- *conversions* and *attributed revenue* come from the offers engine's conversion records
  (`converted_at` in the period), revenue net of refunds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.analytics import sources
from plugin.analytics.period import Period
from plugin.models import Impression, OfferEvent, OfferEventType, Product, Store

TOP_OFFERS = 5


@dataclass(frozen=True)
class TopOffer:
    product_id: str
    title: str
    shown: int
    clicks: int
    conversions: int
    revenue: Decimal


@dataclass(frozen=True)
class OfferDay:
    day: date
    impressions: int
    clicks: int
    revenue: Decimal


@dataclass(frozen=True)
class OfferFigures:
    impressions: int
    offers_shown: int
    clicks: int
    holdout_showings: int
    # None: the offers engine does not record conversions yet.
    conversions: int | None
    attributed_revenue: Decimal | None
    top_offers: list[TopOffer] = field(default_factory=list)
    daily: list[OfferDay] = field(default_factory=list)

    @property
    def click_through_rate(self) -> float | None:
        return self.clicks / self.offers_shown if self.offers_shown else None


@dataclass(frozen=True)
class Conversion:
    """One attributed purchase, reduced to what the dashboard adds up."""

    product_id: str
    revenue: Decimal  # net of refunds
    converted_at_day: date


def offer_figures(db: Session, store: Store, period: Period) -> OfferFigures:
    showings = db.execute(
        select(Impression.id, Impression.created_at, Impression.in_holdout, Impression.offers)
        .where(
            Impression.store_id == store.id,
            Impression.created_at >= period.start,
            Impression.created_at < period.end,
        )
        .order_by(Impression.id)
    ).all()
    with_offers = {row.id: row for row in showings if not row.in_holdout and row.offers}
    product_of_offer = {
        (row.id, str(offer.get("offer_id"))): str(offer.get("product_id") or "")
        for row in with_offers.values()
        for offer in _offer_list(row.offers)
    }
    # A click counts when it names an offer that showing really had.
    clicks = _clicks(db, list(with_offers)) & set(product_of_offer)
    conversions = conversions_in(db, store, period)

    shown_by_product: Counter[str] = Counter(product_of_offer.values())
    clicks_by_product: Counter[str] = Counter(product_of_offer[click] for click in clicks)
    daily_impressions: Counter[date] = Counter(
        period.local_day(row.created_at) for row in with_offers.values()
    )
    daily_clicks: Counter[date] = Counter(
        period.local_day(with_offers[impression_id].created_at) for impression_id, _ in clicks
    )
    daily_revenue: dict[date, Decimal] = defaultdict(Decimal)
    for conversion in conversions or []:
        daily_revenue[conversion.converted_at_day] += conversion.revenue

    return OfferFigures(
        impressions=len(with_offers),
        offers_shown=len(product_of_offer),
        clicks=len(clicks),
        holdout_showings=sum(1 for row in showings if row.in_holdout),
        conversions=None if conversions is None else len(conversions),
        attributed_revenue=None
        if conversions is None
        else sum((c.revenue for c in conversions), Decimal("0")),
        top_offers=_top_offers(db, store, shown_by_product, clicks_by_product, conversions),
        daily=[
            OfferDay(day, daily_impressions[day], daily_clicks[day], daily_revenue[day])
            for day in period.days
        ],
    )


def _offer_list(offers: Any) -> list[dict[str, Any]]:
    return (
        [offer for offer in offers if isinstance(offer, dict)] if isinstance(offers, list) else []
    )


def _clicks(db: Session, impression_ids: list[int]) -> set[tuple[int, str]]:
    """Distinct (impression, offer) pairs a shopper clicked."""
    found: set[tuple[int, str]] = set()
    for chunk in _chunks(impression_ids):
        rows = db.execute(
            select(OfferEvent.impression_id, OfferEvent.offer_id).where(
                OfferEvent.impression_id.in_(chunk), OfferEvent.type == OfferEventType.CLICK
            )
        )
        found.update((int(impression_id), str(offer_id)) for impression_id, offer_id in rows)
    return found


def conversions_in(db: Session, store: Store, period: Period) -> list[Conversion] | None:
    """Attributed purchases converted in the period; None when conversions are not recorded."""
    table = sources.offer_conversion_table()
    net_revenue = sources.net_revenue_of()
    if table is None or net_revenue is None:
        return None
    rows = db.scalars(
        select(table).where(
            table.store_id == store.id,
            table.converted_at >= period.start,
            table.converted_at < period.end,
        )
    ).all()
    return [
        Conversion(
            product_id=str(row.platform_product_id or ""),
            revenue=Decimal(net_revenue(row)),
            converted_at_day=period.local_day(row.converted_at),
        )
        for row in rows
    ]


def _top_offers(
    db: Session,
    store: Store,
    shown: Counter[str],
    clicks: Counter[str],
    conversions: list[Conversion] | None,
) -> list[TopOffer]:
    converted: Counter[str] = Counter()
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for conversion in conversions or []:
        converted[conversion.product_id] += 1
        revenue[conversion.product_id] += conversion.revenue
    products = (set(shown) | set(converted)) - {""}
    ranked = sorted(
        products, key=lambda p: (revenue[p], converted[p], clicks[p], shown[p], p), reverse=True
    )[:TOP_OFFERS]
    titles = _titles(db, store, ranked)
    return [
        TopOffer(
            product_id=product,
            title=titles.get(product, f"Product {product}"),
            shown=shown[product],
            clicks=clicks[product],
            conversions=converted[product],
            revenue=revenue[product],
        )
        for product in ranked
    ]


def _titles(db: Session, store: Store, product_ids: list[str]) -> dict[str, str]:
    if not product_ids:
        return {}
    rows = db.execute(
        select(Product.platform_product_id, Product.title).where(
            Product.store_id == store.id, Product.platform_product_id.in_(product_ids)
        )
    )
    return {str(product_id): str(title) for product_id, title in rows}


def _chunks(values: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
