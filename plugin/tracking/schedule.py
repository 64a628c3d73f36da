"""The tracking schedule: poll carriers, look for late parcels, send held messages.

Run by `encore tracking tick` (or its parts: `poll`, `check-exceptions`, `send`) and every
TRACKING_TICK_SECONDS by the embedded worker. Each part commits its own work, so a tick cut
short loses nothing that finished.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Shipment, Store, StoreStatus
from plugin.notifications.delivery import DeliverySummary, deliver_due
from plugin.notifications.planning import plan_milestone
from plugin.tracking.exceptions import open_exceptions
from plugin.tracking.polling import PollSummary, poll_due
from plugin.tracking.tables import Milestone

log = logging.getLogger(__name__)


def check_exceptions(db: Session, now: datetime) -> int:
    """Plan a "delayed" message for every parcel with an open problem (once per parcel)."""
    planned = 0
    stores = db.scalars(select(Store).where(Store.status == StoreStatus.INSTALLED)).all()
    for store in stores:
        for problem in open_exceptions(db, store, now):
            shipment = db.get(Shipment, problem.shipment_id)
            if shipment is None:
                continue
            rows = plan_milestone(db, store, shipment, Milestone.DELAYED, now, problem.since)
            planned += len(rows)
        db.commit()
    return planned


@dataclass
class TickSummary:
    polls: PollSummary = field(default_factory=PollSummary)
    delayed_planned: int = 0
    delivery: DeliverySummary = field(default_factory=DeliverySummary)

    def lines(self) -> list[str]:
        return [
            f"carriers: {self.polls.polled} polled, {self.polls.changed} changed, "
            f"{self.polls.failed} failed",
            f"exceptions: {self.delayed_planned} delayed message(s) planned",
            f"messages: {self.delivery.sent} sent, {self.delivery.retried} to retry, "
            f"{self.delivery.failed} failed, {self.delivery.unconfirmed} unconfirmed",
        ]


def tick(db: Session, now: datetime) -> TickSummary:
    timeout = float(current_app.config.get("HTTP_TIMEOUT_SECONDS", 10.0))
    summary = TickSummary()
    summary.polls = poll_due(db, now, timeout=timeout)
    summary.delayed_planned = check_exceptions(db, now)
    summary.delivery = deliver_due(db, now)
    return summary
