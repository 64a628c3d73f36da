"""Asking carriers about parcels, on a schedule that follows how close each parcel is.

`next_poll_at` on each parcel says when to ask next: hourly once it is out for delivery,
every few hours while it moves, backing off to daily when it goes quiet, and never again
once it is delivered (or returned, cancelled) or 30 days after it shipped. Only parcels of
carriers the merchant gave credentials for are polled.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Shipment, ShipmentEvent, Store, StoreStatus
from plugin.tracking.accounts import carrier_accounts, client_for
from plugin.tracking.carrier_api import ACCOUNT_FOR_CARRIER, CarrierApiError, TrackResult
from plugin.tracking.carriers import carrier_named
from plugin.tracking.progress import as_tracking_status
from plugin.tracking.status import TrackingStatus

log = logging.getLogger(__name__)

STOP_AFTER = timedelta(days=30)
OUT_FOR_DELIVERY_EVERY = timedelta(hours=1)
PROBLEM_EVERY = timedelta(hours=4)
NO_SCAN_EVERY = timedelta(hours=6)
MOVING_EVERY = timedelta(hours=4)
QUIET_MAX = timedelta(hours=24)


def next_poll_at(
    status: str, shipped_at: datetime | None, last_movement: datetime | None, now: datetime
) -> datetime | None:
    """When to ask the carrier next about a parcel at `status`; None: stop asking."""
    current = as_tracking_status(status)
    if current.is_final:
        return None
    if shipped_at is not None and now - shipped_at >= STOP_AFTER:
        return None
    if current is TrackingStatus.OUT_FOR_DELIVERY:
        return now + OUT_FOR_DELIVERY_EVERY
    if current in (
        TrackingStatus.EXCEPTION,
        TrackingStatus.ATTEMPTED_DELIVERY,
        TrackingStatus.READY_FOR_PICKUP,
    ):
        return now + PROBLEM_EVERY
    if current in (TrackingStatus.ORDERED, TrackingStatus.CONFIRMED):
        return now + NO_SCAN_EVERY
    quiet = now - (last_movement or shipped_at or now)
    if quiet < timedelta(hours=24):
        return now + MOVING_EVERY
    # Quiet parcels: 8 h after a quiet day, 16 h after two, then daily.
    backoff: timedelta = min(QUIET_MAX, MOVING_EVERY * 2 ** min(quiet.days, 3))
    return now + backoff


def schedule_poll(shipment: Shipment, now: datetime) -> None:
    last = max((e.at for e in shipment.events), default=None)
    shipment.next_poll_at = next_poll_at(shipment.status, shipment.shipped_at, last, now)


def apply_result(shipment: Shipment, result: TrackResult) -> bool:
    """Merge what the carrier said into the parcel; True when anything changed."""
    changed = False
    known = {(e.at, e.status) for e in shipment.events}
    for event in result.events:
        if (event.at, event.status.value) not in known:
            shipment.events.append(
                ShipmentEvent(
                    at=event.at,
                    status=event.status.value,
                    message=event.message,
                    location=event.location,
                )
            )
            known.add((event.at, event.status.value))
            changed = True
    if result.status.value != shipment.status:
        shipment.status = result.status.value
        changed = True
    if result.estimated_delivery and result.estimated_delivery != shipment.estimated_delivery:
        shipment.estimated_delivery = result.estimated_delivery
        changed = True
    if result.delivered_at and shipment.delivered_at is None:
        shipment.delivered_at = result.delivered_at
        changed = True
    if shipment.shipped_at is None:
        first_scan = next(
            (e.at for e in result.events if e.status is not TrackingStatus.CONFIRMED), None
        )
        shipment.shipped_at = first_scan
    shipment.service = result.service or shipment.service
    shipment.platform_status = result.carrier_status or shipment.platform_status
    return changed


@dataclass
class PollSummary:
    polled: int = 0
    changed: int = 0
    failed: int = 0


def account_code(carrier: str | None) -> str | None:
    known = carrier_named(carrier)
    return ACCOUNT_FOR_CARRIER.get(known.code) if known else None


def due_shipments(db: Session, now: datetime, limit: int) -> list[Shipment]:
    return list(
        db.scalars(
            select(Shipment)
            .join(Store, Store.id == Shipment.store_id)
            .where(
                Shipment.next_poll_at <= now,
                Shipment.tracking_number != "",
                Store.status == StoreStatus.INSTALLED,
            )
            .order_by(Shipment.next_poll_at, Shipment.id)
            .limit(limit)
        )
    )


def poll_due(db: Session, now: datetime, limit: int = 200, timeout: float = 10.0) -> PollSummary:
    """Ask carriers about every parcel whose time has come; commits after each parcel."""
    from plugin.tracking.changes import after_shipment_saved

    summary = PollSummary()
    for shipment in due_shipments(db, now, limit):
        store = db.get(Store, shipment.store_id)
        code = account_code(shipment.carrier)
        account = carrier_accounts(db, store).get(code) if store and code else None
        if store is None or account is None:
            shipment.next_poll_at = None  # nobody to ask; a platform update reschedules it
            db.commit()
            continue
        previous = shipment.status
        summary.polled += 1
        try:
            result = client_for(account, timeout=timeout).track(shipment.tracking_number)
        except CarrierApiError as exc:
            summary.failed += 1
            account.last_error = str(exc)
            log.warning("polling %s for shipment %s failed: %s", code, shipment.id, exc)
            schedule_poll(shipment, now)
            if not exc.transient and shipment.next_poll_at is not None:
                shipment.next_poll_at = now + QUIET_MAX
            db.commit()
            continue
        shipment.last_polled_at = now
        if apply_result(shipment, result):
            summary.changed += 1
        after_shipment_saved(db, store, shipment, previous, now=now)
        db.commit()
    return summary
