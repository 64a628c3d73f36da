"""What follows when a parcel is saved: carrier and link, estimate, poll schedule, messages.

Called by `plugin.ingest.upsert_shipment` (platform updates) and by polling (carrier updates),
inside the caller's transaction: notification rows are written with the status change and
sent only after it commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from plugin.models import Shipment, Store, utcnow
from plugin.tracking.detection import resolve_carrier
from plugin.tracking.eta import refresh_estimate
from plugin.tracking.polling import schedule_poll


def after_shipment_saved(
    db: Session,
    store: Store,
    shipment: Shipment,
    previous_status: str | None,
    now: datetime | None = None,
) -> None:
    """`previous_status` is None for a parcel seen for the first time."""
    from plugin.notifications.planning import plan_for_status_change

    now = now or utcnow()
    resolved = resolve_carrier(shipment.carrier, shipment.tracking_number, shipment.tracking_url)
    shipment.carrier = resolved.name
    shipment.tracking_url = resolved.tracking_url
    refresh_estimate(db, store, shipment, now)
    schedule_poll(shipment, now)
    if previous_status != shipment.status:
        plan_for_status_change(db, store, shipment, now)
