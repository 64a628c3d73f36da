"""How the period's parcels are doing: where they stand, and how delivery compared to the ETA.

- *Shipments by status*: parcels of orders placed in the period, by their current status.
- *Delivery time*: for parcels delivered in the period, mean days from shipped to delivered.
- *Against the ETA*: for those that had an estimated delivery (the carrier's, else Encore's
  most likely day), the share delivered on or
  before the estimated day (the store's calendar day) and the mean days late (negative:
  early), measured to the exact time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.analytics.period import Period
from plugin.models import Order, Shipment, Store
from plugin.tracking.status import TrackingStatus

SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class DeliveryFigures:
    by_status: dict[str, int]  # statuses with parcels only, in the order a parcel goes
    delivered: int
    mean_days_to_deliver: float | None  # shipped → delivered
    with_estimate: int
    on_time: int
    mean_days_late: float | None  # delivered - estimated; negative when early

    @property
    def shipments(self) -> int:
        return sum(self.by_status.values())

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.with_estimate if self.with_estimate else None


def delivery_figures(db: Session, store: Store, period: Period) -> DeliveryFigures:
    statuses: Counter[str] = Counter(
        str(status)
        for status in db.scalars(
            select(Shipment.status)
            .join(Order, Order.id == Shipment.order_id)
            .where(
                Shipment.store_id == store.id,
                Order.placed_at >= period.start,
                Order.placed_at < period.end,
            )
        )
    )
    by_status = {status.value: statuses.pop(status.value, 0) for status in TrackingStatus}
    by_status.update(statuses)  # anything unexpected still shows up
    delivered = db.execute(
        select(Shipment.shipped_at, Shipment.delivered_at, _promised().label("estimate")).where(
            Shipment.store_id == store.id,
            Shipment.delivered_at >= period.start,
            Shipment.delivered_at < period.end,
        )
    ).all()
    transit = [_days(row.shipped_at, row.delivered_at) for row in delivered if row.shipped_at]
    estimated = [row for row in delivered if row.estimate is not None]
    late = [_days(row.estimate, row.delivered_at) for row in estimated]
    on_time = sum(
        1
        for row in estimated
        if period.local_day(row.delivered_at) <= period.local_day(row.estimate)
    )
    return DeliveryFigures(
        by_status={status: count for status, count in by_status.items() if count},
        delivered=len(delivered),
        mean_days_to_deliver=sum(transit) / len(transit) if transit else None,
        with_estimate=len(estimated),
        on_time=on_time,
        mean_days_late=sum(late) / len(late) if late else None,
    )


def _promised() -> Any:
    """The carrier's estimate, else Encore's own most likely day (when tracking records one)."""
    likely = getattr(Shipment, "eta_likely", None)
    if likely is None:
        return Shipment.estimated_delivery
    return func.coalesce(Shipment.estimated_delivery, likely)


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / SECONDS_PER_DAY
