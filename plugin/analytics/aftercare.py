"""After the purchase: tracking-page views, notifications sent, feedback, parcels to act on.

- *Tracking-page views* (the WISMO deflection figure): each view of Encore's tracking page is a
  "where is my order?" the shopper answered without writing to the store. Shown with the
  number of distinct orders looked up and views per shipped order of the period.
- *Notifications sent*: notifications with status `sent` and `sent_at` in the period, by
  channel and milestone; failed ones are counted apart.
- *Feedback score*: mean rating (1-5) of feedback given in the period, with the count per star.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from plugin.analytics import sources
from plugin.analytics.period import Period
from plugin.models import Impression, Order, Shipment, Store, Surface


@dataclass(frozen=True)
class TrackingPageViews:
    views: int
    orders_looked_up: int
    shipped_orders: int  # orders of the period with at least one parcel

    @property
    def views_per_shipped_order(self) -> float | None:
        return self.views / self.shipped_orders if self.shipped_orders else None


@dataclass(frozen=True)
class NotificationFigures:
    sent: int
    failed: int
    by_channel: dict[str, int] = field(default_factory=dict)
    by_milestone: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class FeedbackFigures:
    responses: int
    stars: dict[int, int]  # rating → count, 1..5 always present

    @property
    def average(self) -> float | None:
        if not self.responses:
            return None
        return sum(rating * count for rating, count in self.stars.items()) / self.responses


def tracking_page_views(db: Session, store: Store, period: Period) -> TrackingPageViews:
    in_period = (
        Impression.store_id == store.id,
        Impression.surface == Surface.TRACKING_PAGE.value,
        Impression.created_at >= period.start,
        Impression.created_at < period.end,
    )
    views, orders = db.execute(
        select(func.count(), func.count(distinct(Impression.order_id))).where(*in_period)
    ).one()
    shipped = db.scalar(
        select(func.count(distinct(Order.id)))
        .join(Shipment, Shipment.order_id == Order.id)
        .where(
            Order.store_id == store.id,
            Order.placed_at >= period.start,
            Order.placed_at < period.end,
        )
    )
    return TrackingPageViews(int(views or 0), int(orders or 0), int(shipped or 0))


def notification_figures(db: Session, store: Store, period: Period) -> NotificationFigures | None:
    """None until the tracking feature records notifications."""
    table = sources.notification_table()
    if table is None:
        return None
    sent = db.execute(
        of_store(select(table.channel, table.milestone), table, store).where(
            table.status == "sent",
            table.sent_at >= period.start,
            table.sent_at < period.end,
        )
    ).all()
    failed = db.scalar(
        of_store(select(func.count()).select_from(table), table, store).where(
            table.status == "failed",
            table.created_at >= period.start,
            table.created_at < period.end,
        )
    )
    return NotificationFigures(
        sent=len(sent),
        failed=int(failed or 0),
        by_channel=dict(Counter(str(channel) for channel, _ in sent)),
        by_milestone=dict(Counter(str(milestone) for _, milestone in sent)),
    )


def feedback_figures(db: Session, store: Store, period: Period) -> FeedbackFigures | None:
    """None until the tracking feature records feedback."""
    table = sources.feedback_table()
    if table is None:
        return None
    ratings = db.scalars(
        of_store(select(table.rating), table, store).where(
            table.created_at >= period.start, table.created_at < period.end
        )
    ).all()
    counted = Counter(int(r) for r in ratings if r is not None and 1 <= int(r) <= 5)
    return FeedbackFigures(
        responses=sum(counted.values()), stars={star: counted[star] for star in range(1, 6)}
    )


def of_store(statement: Select[Any], table: Any, store: Store) -> Select[Any]:
    """Rows of this store: by their own `store_id`, else through their order or parcel."""
    if hasattr(table, "store_id"):
        return statement.where(table.store_id == store.id)
    if hasattr(table, "order_id"):
        return statement.join(Order, Order.id == table.order_id).where(Order.store_id == store.id)
    return statement.join(Shipment, Shipment.id == table.shipment_id).where(
        Shipment.store_id == store.id
    )


@dataclass(frozen=True)
class ParcelToActOn:
    shipment_id: int
    order_id: int | None
    order_name: str | None
    carrier: str | None
    tracking_number: str | None
    kind: str
    since: datetime | None


def parcels_to_act_on(db: Session, store: Store, now: datetime) -> list[ParcelToActOn] | None:
    """The tracking feature's open exceptions (stuck, failed, returned…); None until it lands."""
    open_exceptions = sources.open_exceptions_of()
    if open_exceptions is None:
        return None
    return [_parcel(found) for found in open_exceptions(db, store, now)]


def _parcel(found: Any) -> ParcelToActOn:
    return ParcelToActOn(
        shipment_id=int(found.shipment_id),
        order_id=getattr(found, "order_id", None),
        order_name=getattr(found, "order_name", None),
        carrier=getattr(found, "carrier", None),
        tracking_number=getattr(found, "tracking_number", None),
        kind=str(getattr(found, "kind", "exception")),
        since=getattr(found, "since", None),
    )
