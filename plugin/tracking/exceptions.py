"""Parcels that need someone's attention: no scan, stalled, late, or a carrier exception.

Rules (checked for parcels still on their way, shipped in the last 30 days):
- `no_scan`: the carrier has not scanned the parcel 48 hours after fulfillment;
- `stalled`: scanned, but nothing has happened for 3 days;
- `late`: the end of its estimated delivery day (store time) has passed;
- `carrier_exception`: the carrier itself reports a problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from plugin.models import Order, Shipment, ShipmentEvent, Store
from plugin.tracking.eta import store_zone
from plugin.tracking.progress import as_tracking_status
from plugin.tracking.status import TrackingStatus

NO_SCAN_AFTER = timedelta(hours=48)
STALLED_AFTER = timedelta(days=3)
WATCH_WINDOW = timedelta(days=30)

KINDS = ("no_scan", "stalled", "late", "carrier_exception")
NOT_A_CARRIER_SCAN = {TrackingStatus.ORDERED, TrackingStatus.CONFIRMED}
DONE = {
    TrackingStatus.DELIVERED,
    TrackingStatus.RETURNED,
    TrackingStatus.CANCELLED,
    TrackingStatus.READY_FOR_PICKUP,
}


@dataclass(frozen=True)
class ShipmentException:
    shipment_id: int
    order_id: int
    order_name: str | None
    carrier: str | None
    tracking_number: str | None
    kind: str  # one of KINDS
    since: datetime


def exception_of(
    shipment: Shipment, events: Sequence[ShipmentEvent], now: datetime, zone: ZoneInfo
) -> tuple[str, datetime] | None:
    """(kind, since) of the parcel's problem, or None. One kind per parcel, most telling first."""
    status = as_tracking_status(shipment.status)
    if status in DONE:
        return None
    if status is TrackingStatus.EXCEPTION:
        flagged = [e.at for e in events if e.status == TrackingStatus.EXCEPTION]
        since = max(flagged) if flagged else shipment.platform_updated_at or shipment.shipped_at
        return "carrier_exception", since or now
    scans = [e.at for e in events if as_tracking_status(e.status) not in NOT_A_CARRIER_SCAN]
    if shipment.shipped_at is not None and not scans and status in NOT_A_CARRIER_SCAN:
        due = shipment.shipped_at + NO_SCAN_AFTER
        if now >= due:
            return "no_scan", due
    if scans:
        last_movement = max(e.at for e in events)
        if now >= last_movement + STALLED_AFTER:
            return "stalled", last_movement + STALLED_AFTER
    latest = shipment.eta_latest or shipment.estimated_delivery
    if latest is not None:
        day = latest.astimezone(zone).date()
        end_of_day = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
        if now >= end_of_day:
            return "late", end_of_day
    return None


def watched_shipments(db: Session, store: Store, now: datetime) -> list[Shipment]:
    """Parcels of the store still on their way and young enough to be watched."""
    since = now - WATCH_WINDOW
    return list(
        db.scalars(
            select(Shipment)
            .join(Order, Order.id == Shipment.order_id)
            .where(
                Shipment.store_id == store.id,
                Shipment.status.not_in([s.value for s in DONE]),
                or_(
                    Shipment.shipped_at >= since,
                    (Shipment.shipped_at.is_(None) & (Order.placed_at >= since)),
                ),
            )
            .options(selectinload(Shipment.events), selectinload(Shipment.order))
            .order_by(Shipment.id)
        )
    )


def open_exceptions(db: Session, store: Store, now: datetime) -> list[ShipmentException]:
    """Every watched parcel of the store with a problem, oldest problem first."""
    zone = store_zone(store)
    found = []
    for shipment in watched_shipments(db, store, now):
        problem = exception_of(shipment, shipment.events, now, zone)
        if problem is None:
            continue
        kind, since = problem
        found.append(
            ShipmentException(
                shipment_id=shipment.id,
                order_id=shipment.order_id,
                order_name=shipment.order.name,
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number or None,
                kind=kind,
                since=since,
            )
        )
    return sorted(found, key=lambda e: (e.since, e.shipment_id))
