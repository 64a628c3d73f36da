"""Self-healing on a schedule, and what the admin's Health page shows about it.

Every store has one pending health check in the inbox. When it runs it first queues the next
one, so the chain survives a failed check; then it repairs the webhooks, resumes a stalled
import or reconciliation, and starts a reconciliation.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.jobs.queue import enqueue
from plugin.models import InboxEvent, InboxStatus, Store, utcnow
from plugin.platforms.woocommerce_client import WooCommerceClient
from plugin.platforms.woocommerce_reconcile import start_reconciliation
from plugin.platforms.woocommerce_runs import resume_stalled, sync_state
from plugin.platforms.woocommerce_webhooks import (
    MISSING,
    TOPICS,
    delivery_url,
    ensure_webhooks,
    subscriptions,
)

log = logging.getLogger(__name__)

HEALTH_KIND = "woocommerce.health"


@dataclass(frozen=True)
class WebhookHealth:
    """One topic as the last check saw it: `active`, `paused` (by the merchant), `disabled`
    (by WooCommerce after failed deliveries) or `missing`."""

    topic: str
    status: str
    delivery_url: str
    checked_at: datetime | None


def last_reconciliation(db: Session, store: Store) -> datetime | None:
    """When a reconciliation of this store last completed."""
    return sync_state(db, store).last_reconciled_at


def webhook_health(db: Session, store: Store) -> list[WebhookHealth]:
    """Each topic Encore needs, with what the last check found (no call to the store)."""
    rows = subscriptions(db, store)
    url = delivery_url(store)
    health = []
    for topic in TOPICS:
        row = rows.get(topic)
        health.append(
            WebhookHealth(
                topic=topic,
                status=row.status if row is not None else MISSING,
                delivery_url=row.uri if row is not None else url,
                checked_at=row.checked_at if row is not None else None,
            )
        )
    return health


def check_interval() -> timedelta:
    return timedelta(
        seconds=float(current_app.config.get("WOOCOMMERCE_HEALTH_INTERVAL_SECONDS", 900))
    )


def schedule_next_check(
    db: Session, store: Store, running: InboxEvent | None = None
) -> InboxEvent | None:
    """Queue the store's next health check (commits), unless one is already waiting.

    The next one is due an interval after the running one was due (or after now, if later),
    so its slot, and with it its dedupe key, always differs from the running one's.
    """
    waiting = db.scalar(
        select(InboxEvent.id).where(
            InboxEvent.kind == HEALTH_KIND,
            InboxEvent.store_id == store.id,
            InboxEvent.status.in_([InboxStatus.PENDING, InboxStatus.RUNNING]),
            InboxEvent.id != (running.id if running is not None else -1),
        )
    )
    if waiting is not None:
        return None
    interval = check_interval()
    base = utcnow() if running is None else max(utcnow(), running.run_after)
    run_after = base + interval
    slot = int(run_after.timestamp() // max(interval.total_seconds(), 1))
    return enqueue(
        db,
        kind=HEALTH_KIND,
        topic="health",
        event_key=f"{HEALTH_KIND}:{store.id}:{slot}",
        body="{}",
        store_id=store.id,
        shop_domain=store.domain,
        run_after=run_after,
    )


def check_store(db: Session, store: Store, client: WooCommerceClient) -> str:
    """Repair webhooks, resume stalled runs, start a reconciliation; a summary line."""
    state = sync_state(db, store)
    now = utcnow()
    try:
        repair = ensure_webhooks(db, store, client)
        resumed = resume_stalled(db, store)
        reconciliation = start_reconciliation(db, store, now)
    except Exception as exc:
        db.rollback()
        state = sync_state(db, store)
        state.last_checked_at = now
        state.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        state.last_error_at = now
        db.commit()
        raise
    state.last_checked_at = now
    state.last_error = None
    db.commit()
    parts = [f"webhooks: {repair.summary()}"]
    if resumed:
        parts.append(f"resumed {resumed} stalled run(s)")
    parts.append("reconciliation queued" if reconciliation else "no reconciliation due")
    return "; ".join(parts)
