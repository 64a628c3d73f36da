"""The rows of each CSV export: impressions, conversions, shipments, feedback of a period.

Rows are produced lazily (in id order, a batch at a time) so a year of a busy store streams
without being held in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.analytics import sources
from plugin.analytics.period import Period
from plugin.models import Impression, OfferEvent, OfferEventType, Order, Shipment, Store

BATCH = 500


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    header: Sequence[str]
    rows: Callable[[Session, Store, Period], Iterator[Sequence[Any]]]


def _batches(db: Session, query: Any, id_column: Any) -> Iterator[Sequence[Any]]:
    """A Select's rows in id order, BATCH at a time (keyset paging: constant memory, no OFFSET).

    The first column of each row must be the entity whose `id_column` orders the pages.
    """
    last_id = 0
    while True:
        batch = db.execute(query.where(id_column > last_id).order_by(id_column).limit(BATCH)).all()
        if not batch:
            return
        yield batch
        last_id = batch[-1][0].id


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def impression_rows(db: Session, store: Store, period: Period) -> Iterator[Sequence[Any]]:
    query = (
        select(Impression, Order.name)
        .outerjoin(Order, Order.id == Impression.order_id)
        .where(
            Impression.store_id == store.id,
            Impression.created_at >= period.start,
            Impression.created_at < period.end,
        )
    )
    for batch in _batches(db, query, Impression.id):
        clicks = _clicks_by_impression(db, [impression.id for impression, _ in batch])
        for impression, order_name in batch:
            offers = impression.offers if isinstance(impression.offers, list) else []
            yield (
                impression.public_id,
                _time(impression.created_at),
                impression.surface,
                order_name or "",
                impression.platform_order_id or "",
                impression.platform_customer_id or "",
                "yes" if impression.in_holdout else "no",
                len(offers),
                " ".join(str(o.get("product_id", "")) for o in offers if isinstance(o, dict)),
                clicks.get(impression.id, 0),
            )


def _clicks_by_impression(db: Session, ids: list[int]) -> dict[int, int]:
    rows = db.execute(
        select(OfferEvent.impression_id, func.count())
        .where(OfferEvent.impression_id.in_(ids), OfferEvent.type == OfferEventType.CLICK)
        .group_by(OfferEvent.impression_id)
    )
    return {int(impression_id): int(count) for impression_id, count in rows}


def conversion_rows(db: Session, store: Store, period: Period) -> Iterator[Sequence[Any]]:
    table = sources.offer_conversion_table()
    net_revenue = sources.net_revenue_of()
    if table is None or net_revenue is None:
        return
    query = (
        select(table, Order.name)
        .outerjoin(Order, Order.id == table.order_id)
        .where(
            table.store_id == store.id,
            table.converted_at >= period.start,
            table.converted_at < period.end,
        )
    )
    for batch in _batches(db, query, table.id):
        for conversion, order_name in batch:
            yield (
                _time(conversion.converted_at),
                order_name or "",
                conversion.platform_product_id,
                conversion.offer_id,
                conversion.strategy,
                conversion.surface,
                f"{conversion.revenue:.2f}",
                f"{conversion.refunded:.2f}",
                f"{net_revenue(conversion):.2f}",
                conversion.currency,
            )


def shipment_rows(db: Session, store: Store, period: Period) -> Iterator[Sequence[Any]]:
    """Parcels of the orders placed in the period."""
    query = (
        select(Shipment, Order.name, Order.placed_at)
        .join(Order, Order.id == Shipment.order_id)
        .where(
            Shipment.store_id == store.id,
            Order.placed_at >= period.start,
            Order.placed_at < period.end,
        )
    )
    for batch in _batches(db, query, Shipment.id):
        for shipment, order_name, placed_at in batch:
            yield (
                order_name or "",
                _time(placed_at),
                shipment.carrier or "",
                shipment.tracking_number,
                shipment.status,
                _time(shipment.shipped_at),
                _time(shipment.estimated_delivery),
                _time(shipment.delivered_at),
            )


def feedback_rows(db: Session, store: Store, period: Period) -> Iterator[Sequence[Any]]:
    table = sources.feedback_table()
    if table is None:
        return
    query = (
        select(table, Order.name)
        .join(Order, Order.id == table.order_id)
        .where(
            Order.store_id == store.id,
            table.created_at >= period.start,
            table.created_at < period.end,
        )
    )
    for batch in _batches(db, query, table.id):
        for feedback, order_name in batch:
            yield (
                _time(feedback.created_at),
                order_name or "",
                feedback.rating,
                feedback.comment or "",
            )


EXPORTS: dict[str, Export] = {
    export.name: export
    for export in (
        Export(
            "impressions",
            "Impressions",
            (
                "impression_id",
                "shown_at",
                "surface",
                "order",
                "platform_order_id",
                "platform_customer_id",
                "holdout",
                "offers_shown",
                "product_ids",
                "clicks",
            ),
            impression_rows,
        ),
        Export(
            "conversions",
            "Conversions",
            (
                "converted_at",
                "order",
                "product_id",
                "offer_id",
                "strategy",
                "surface",
                "revenue",
                "refunded",
                "net_revenue",
                "currency",
            ),
            conversion_rows,
        ),
        Export(
            "shipments",
            "Shipments",
            (
                "order",
                "order_placed_at",
                "carrier",
                "tracking_number",
                "status",
                "shipped_at",
                "estimated_delivery",
                "delivered_at",
            ),
            shipment_rows,
        ),
        Export("feedback", "Feedback", ("given_at", "order", "rating", "comment"), feedback_rows),
    )
}
