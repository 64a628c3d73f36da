"""The inbox sweep (JOBS_BACKEND=celery): publish again what no task is going to finish.

The inbox, not the broker, is the source of truth. A message can be lost (Redis restarted
without its data, a publish failed while the broker was down, a queue was purged) and some
rows are never published on purpose (due further ahead than a message may wait). So every
JOBS_SWEEP_SECONDS the sweep publishes, oldest first and at most JOBS_SWEEP_LIMIT of them,
the rows that have been due for longer than JOBS_SWEEP_GRACE_SECONDS and the rows whose
worker's lease ran out. Publishing a row twice is harmless: the claim lets one run through.

With the embedded worker (JOBS_BACKEND=db) there is no broker to lose anything: the worker
polls the inbox itself, and the sweep does nothing.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from plugin.jobs.periodic import periodic
from plugin.jobs.publish import publish
from plugin.models import InboxEvent, InboxStatus

log = logging.getLogger(__name__)


def unfinished_rows(db: Session, now: datetime, grace_seconds: float, limit: int) -> list[int]:
    """Ids of rows due for longer than the grace, or running on an expired lease, oldest first."""
    overdue = now - timedelta(seconds=grace_seconds)
    query = (
        select(InboxEvent.id)
        .where(
            or_(
                and_(InboxEvent.status == InboxStatus.PENDING, InboxEvent.run_after <= overdue),
                and_(InboxEvent.status == InboxStatus.RUNNING, InboxEvent.lease_until < now),
            )
        )
        .order_by(InboxEvent.run_after, InboxEvent.id)
        .limit(limit)
    )
    return list(db.scalars(query))


def sweep(app: Flask, db: Session, now: datetime) -> int:
    """Publish the unfinished rows; returns how many the broker took (stops when it refuses)."""
    config = app.config
    published = 0
    rows = unfinished_rows(
        db, now, float(config["JOBS_SWEEP_GRACE_SECONDS"]), int(config["JOBS_SWEEP_LIMIT"])
    )
    for event_id in rows:
        if not publish(app, event_id):
            break  # the broker is down: the next sweep tries again
        published += 1
    if rows:
        log.info("inbox sweep: published %s of %s unfinished row(s)", published, len(rows))
    return published


@periodic("jobs.sweep", "JOBS_SWEEP_SECONDS")
def sweep_inbox(db: Session, now: datetime) -> None:
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["JOBS_BACKEND"] == "celery":
        sweep(app, db, now)
