"""Which messages a parcel's change calls for: one row per (parcel, milestone, channel).

Rows are written in the caller's transaction, next to the status change that causes them,
and sent after it commits (`delivery.py`). A row that exists is never written again, so a
duplicate webhook, a retried job or a second poll finds it and sends nothing new. A row that
cannot be sent is still written, as skipped with its reason, so the merchant can count them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from plugin.models import Order, Platform, Shipment, Store
from plugin.notifications.optouts import is_opted_out
from plugin.notifications.providers import provider_configured
from plugin.notifications.settings import held_until, milestone_enabled, quiet_hours, shopper_zone
from plugin.tracking.progress import as_tracking_status
from plugin.tracking.status import TrackingStatus
from plugin.tracking.tables import Channel, Milestone, Notification, NotificationStatus

# A milestone that happened longer ago than this is old news: not worth a message any more.
STALE_AFTER = timedelta(hours=48)

MILESTONE_FOR_STATUS: dict[TrackingStatus, Milestone] = {
    TrackingStatus.IN_TRANSIT: Milestone.SHIPPED,
    TrackingStatus.OUT_FOR_DELIVERY: Milestone.OUT_FOR_DELIVERY,
    TrackingStatus.DELIVERED: Milestone.DELIVERED,
    TrackingStatus.EXCEPTION: Milestone.DELAYED,
    TrackingStatus.ATTEMPTED_DELIVERY: Milestone.DELAYED,
}
# Once a later milestone is planned, messages of these still waiting are pointless.
SUPERSEDES: dict[Milestone, tuple[Milestone, ...]] = {
    Milestone.OUT_FOR_DELIVERY: (Milestone.SHIPPED,),
    Milestone.DELIVERED: (Milestone.SHIPPED, Milestone.OUT_FOR_DELIVERY, Milestone.DELAYED),
}


def milestone_for(shipment: Shipment) -> Milestone | None:
    status = as_tracking_status(shipment.status)
    if status is TrackingStatus.CONFIRMED and shipment.tracking_number:
        return Milestone.SHIPPED  # the store handed over a tracked parcel
    return MILESTONE_FOR_STATUS.get(status)


def occurred_at(shipment: Shipment, now: datetime) -> datetime:
    """When the parcel's current status happened, as far as we know."""
    status = shipment.status
    times = [e.at for e in shipment.events if e.status == status]
    if status == TrackingStatus.DELIVERED and shipment.delivered_at:
        times.append(shipment.delivered_at)
    return max(times) if times else now


def plan_for_status_change(db: Session, store: Store, shipment: Shipment, now: datetime) -> None:
    milestone = milestone_for(shipment)
    if milestone is not None:
        plan_milestone(db, store, shipment, milestone, now, occurred_at(shipment, now))


def plan_milestone(
    db: Session,
    store: Store,
    shipment: Shipment,
    milestone: Milestone,
    now: datetime,
    happened_at: datetime | None = None,
) -> list[Notification]:
    """Write the rows this milestone calls for (none that exist already); returns new rows."""
    if shipment.id is None:
        db.flush()
    existing = set(
        db.scalars(
            select(Notification.channel).where(
                Notification.shipment_id == shipment.id, Notification.milestone == milestone
            )
        )
    )
    order = shipment.order if shipment.order is not None else db.get(Order, shipment.order_id)
    created = []
    for channel in Channel:
        if channel.value in existing:
            continue
        row = Notification(
            store_id=store.id,
            shipment_id=shipment.id,
            order_id=shipment.order_id,
            milestone=milestone.value,
            channel=channel.value,
            send_after=now,
            created_at=now,
        )
        row.recipient = recipient_of(order, channel)
        reason = skip_reason(db, store, channel, milestone, row.recipient, now, happened_at)
        if reason is not None:
            row.status = NotificationStatus.SKIPPED
            row.skip_reason = reason
        else:
            row.status = NotificationStatus.PENDING
            held = held_until(now, quiet_hours(store), shopper_zone(store))
            if held is not None:
                row.send_after = held
                row.skip_reason = "quiet_hours"  # held, not skipped: cleared when sent
        db.add(row)
        created.append(row)
    _supersede(db, shipment, milestone)
    db.flush()
    if any(row.status == NotificationStatus.PENDING for row in created):
        from plugin.notifications.delivery import deliver_after_commit

        deliver_after_commit(db)
    return created


def recipient_of(order: Order | None, channel: Channel) -> str | None:
    if order is None:
        return None
    customer = order.customer
    if channel is Channel.EMAIL:
        return order.email or (customer.email if customer else None)
    return customer.phone if customer else None


def skip_reason(
    db: Session,
    store: Store,
    channel: Channel,
    milestone: Milestone,
    recipient: str | None,
    now: datetime,
    happened_at: datetime | None,
) -> str | None:
    """Why this message must not go out, or None."""
    if store.platform == Platform.DEMO:
        return "demo_store"  # made-up shoppers: never mail them
    if not milestone_enabled(store, channel.value, milestone.value):
        return "disabled"
    if not recipient:
        return "no_email" if channel is Channel.EMAIL else "no_phone"
    if is_opted_out(db, store, channel.value, recipient):
        return "unsubscribed"
    if happened_at is not None and now - happened_at > STALE_AFTER:
        return "stale"
    if not provider_configured(current_app.config, channel.value):
        return "not_configured"
    return None


def _supersede(db: Session, shipment: Shipment, milestone: Milestone) -> None:
    earlier = SUPERSEDES.get(milestone)
    if not earlier:
        return
    db.execute(
        update(Notification)
        .where(
            Notification.shipment_id == shipment.id,
            Notification.milestone.in_([m.value for m in earlier]),
            Notification.status == NotificationStatus.PENDING,
            Notification.claimed_at.is_(None),
        )
        .values(status=NotificationStatus.SKIPPED, skip_reason="superseded")
        .execution_options(synchronize_session=False)
    )
