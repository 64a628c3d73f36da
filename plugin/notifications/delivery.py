"""Sending planned messages, each at most once.

A row is sent in three steps, each its own commit:
1. claim: `claimed_at` is set on a pending, unclaimed row (a conditional UPDATE only one
   worker can win), and committed;
2. send: the message goes to the SMTP server or Twilio;
3. mark: the row becomes `sent` (or is released for a retry after a transient error, or
   `failed` after a permanent one), and committed.

A crash between 2 and 3 leaves a claimed, unconfirmed row. We cannot know whether the
provider took the message, and a shopper getting the same email twice is worse for a shop
than a missed one it can see in its log, so such a row is never sent again: once the claim is
older than NOTIFY_CLAIM_SECONDS it is marked `failed` with reason `unconfirmed` (at most
once). The Message-ID is derived from the row, so even a resend by hand would be recognised
by mail clients as the same message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from plugin.models import Order, Shipment, Store, utcnow
from plugin.notifications.messages import MessageFacts, build_email, build_sms, facts_for
from plugin.notifications.providers import SendError, SmtpSender, TwilioSms
from plugin.tracking.tables import Channel, Notification, NotificationStatus

log = logging.getLogger(__name__)

_LISTENING = "encore_notify_listening"
_PENDING = "encore_notify_pending"


def deliver_after_commit(db: Session) -> None:
    """Send what is due once the caller's transaction commits (never before)."""
    db.info[_PENDING] = True
    if not db.info.get(_LISTENING):
        db.info[_LISTENING] = True
        event.listen(db, "after_commit", _deliver_now)


def _deliver_now(committed: Session) -> None:
    # A savepoint's release fires after_commit too, while the real transaction (and SQLite's
    # write lock) is still open: wait for the outermost commit.
    if committed.in_nested_transaction() or not committed.info.pop(_PENDING, False):
        return
    if not has_app_context():
        return
    from plugin.db import get_db

    try:
        with get_db().new_session() as db:
            deliver_due(db, utcnow())
    except Exception:  # the periodic tick tries again; the committed change stands
        log.exception("sending notifications after commit failed")


@dataclass
class DeliverySummary:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unconfirmed: int = 0


def message_id(row: Notification, mail_from: str) -> str:
    domain = mail_from.rsplit("@", 1)[-1].strip(" >") or "encore.invalid"
    return f"<encore.notification.{row.id}.{row.attempts}@{domain}>"


def release_unconfirmed(db: Session, now: datetime) -> int:
    """Claims older than the lease: the process died around the send. Never resent."""
    lease = timedelta(seconds=float(current_app.config["NOTIFY_CLAIM_SECONDS"]))
    result = db.execute(
        update(Notification)
        .where(
            Notification.status == NotificationStatus.PENDING,
            Notification.claimed_at < now - lease,
        )
        .values(
            status=NotificationStatus.FAILED,
            skip_reason="unconfirmed",
            last_error="the sender stopped between sending and recording it; not resent",
        )
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def due_ids(db: Session, now: datetime, limit: int) -> list[int]:
    return list(
        db.scalars(
            select(Notification.id)
            .where(
                Notification.status == NotificationStatus.PENDING,
                Notification.claimed_at.is_(None),
                Notification.send_after <= now,
                Notification.shipment_id.is_not(None),
            )
            .order_by(Notification.send_after, Notification.id)
            .limit(limit)
        )
    )


def deliver_due(db: Session, now: datetime, limit: int = 100) -> DeliverySummary:
    """Send every pending message whose time has come."""
    summary = DeliverySummary(unconfirmed=release_unconfirmed(db, now))
    for notification_id in due_ids(db, now, limit):
        outcome = deliver_one(db, notification_id, now)
        if outcome == "sent":
            summary.sent += 1
        elif outcome == "retry":
            summary.retried += 1
        elif outcome == "failed":
            summary.failed += 1
    return summary


def _claim(db: Session, notification_id: int, now: datetime) -> bool:
    won = db.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.status == NotificationStatus.PENDING,
            Notification.claimed_at.is_(None),
        )
        .values(claimed_at=now, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return bool(won.rowcount == 1)  # type: ignore[attr-defined]


def _finish(db: Session, notification_id: int, **values: Any) -> None:
    db.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.commit()


def mark_sent(db: Session, notification_id: int, provider_id: str, now: datetime) -> None:
    _finish(
        db,
        notification_id,
        status=NotificationStatus.SENT,
        sent_at=now,
        provider_id=provider_id[:255] or None,
        skip_reason=None,
        last_error=None,
    )


def _facts(db: Session, row: Notification) -> tuple[Store, MessageFacts] | None:
    store = db.get(Store, row.store_id)
    order = db.get(Order, row.order_id) if row.order_id else None
    shipment = db.get(Shipment, row.shipment_id) if row.shipment_id else None
    if store is None or order is None or not store.is_installed:
        return None
    return store, facts_for(db, store, order, shipment, row.milestone)


def send_message(row: Notification, facts: MessageFacts, config: Any) -> str:
    """Hand one message to its provider; returns the provider's id. Raises SendError."""
    if row.recipient is None:
        raise SendError("the recipient was erased", transient=False)
    if row.channel == Channel.EMAIL:
        mail_from = str(config["MAIL_FROM"])
        message = build_email(facts, row.recipient, message_id(row, mail_from), mail_from)
        return SmtpSender.from_config(config).send(message)
    return TwilioSms.from_config(config).send(row.recipient, build_sms(facts))


def deliver_one(db: Session, notification_id: int, now: datetime) -> str:
    """Send one row: "sent", "retry", "failed", or "skipped" (nothing to do, or not ours)."""
    config = current_app.config
    row = db.get(Notification, notification_id, populate_existing=True)
    if row is None or row.status != NotificationStatus.PENDING or row.claimed_at is not None:
        return "skipped"
    found = _facts(db, row)  # composed before the claim: a failure here sends nothing
    if found is None:
        _finish(db, notification_id, status=NotificationStatus.SKIPPED, skip_reason="uninstalled")
        return "skipped"
    _store, facts = found
    if not _claim(db, notification_id, now):
        return "skipped"
    db.refresh(row)
    try:
        provider_id = send_message(row, facts, config)
    except SendError as exc:
        return _after_failure(db, row, exc, now)
    mark_sent(db, notification_id, provider_id, now)
    log.info("notification %s (%s, %s) sent", row.id, row.milestone, row.channel)
    return "sent"


def _after_failure(db: Session, row: Notification, exc: SendError, now: datetime) -> str:
    config = current_app.config
    if exc.transient and row.attempts < int(config["NOTIFY_MAX_ATTEMPTS"]):
        delay = float(config["NOTIFY_RETRY_SECONDS"]) * 2 ** max(row.attempts - 1, 0)
        _finish(
            db,
            row.id,
            claimed_at=None,
            send_after=now + timedelta(seconds=delay),
            last_error=str(exc)[:2000],
        )
        log.warning("notification %s: %s; retrying in %.0fs", row.id, exc, delay)
        return "retry"
    _finish(db, row.id, status=NotificationStatus.FAILED, last_error=str(exc)[:2000])
    log.warning("notification %s failed: %s", row.id, exc)
    return "failed"
