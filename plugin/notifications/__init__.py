"""Proactive shipping messages (email and SMS): planned once, sent after commit, never twice.

- `planning.py`: which rows a parcel's change calls for (and why some are skipped);
- `delivery.py`: claim, send, mark; what a crash in between means;
- `messages.py`, `templates/notifications/`: what the messages say;
- `providers.py`: SMTP and Twilio;
- `optouts.py`: one-click unsubscribe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import current_app
from sqlalchemy import update
from sqlalchemy.orm import Session

from plugin.models import Store, utcnow
from plugin.notifications.delivery import mark_sent, send_message
from plugin.notifications.messages import MessageFacts
from plugin.notifications.providers import SendError, provider_configured
from plugin.notifications.settings import ALL_CHANNELS, ALL_MILESTONES, EMAIL
from plugin.tracking.tables import Channel, Notification, NotificationStatus

PHONE = re.compile(r"\+[1-9]\d{6,14}")


class NotificationError(RuntimeError):
    """A message cannot be sent; the message says what to fix."""


def _check_configured(channel: str) -> None:
    if provider_configured(current_app.config, channel):
        return
    if channel == Channel.EMAIL:
        raise NotificationError(
            "Email is not set up: set SMTP_HOST and MAIL_FROM (and SMTP_USERNAME, "
            "SMTP_PASSWORD if your mail server needs them) in Encore's configuration."
        )
    raise NotificationError(
        "Texts are not set up: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM "
        "in Encore's configuration."
    )


def sample_facts(store: Store, milestone: str) -> MessageFacts:
    """A made-up order, so the merchant sees their template and branding."""
    app_url = current_app.config["APP_URL"]
    return MessageFacts(
        store=store,
        milestone=milestone,
        order_name="#1001",
        first_name="Alex",
        tracking_url=f"{app_url}/t/sample-tracking-link",
        unsubscribe_url=None,
        carrier="UPS",
        tracking_number="1Z999AA10123456784",
        carrier_url="https://www.ups.com/track?tracknum=1Z999AA10123456784",
        status="in_transit",
        eta="by Friday",
        feedback_urls=[f"{app_url}/t/sample-tracking-link?rating={n}" for n in range(1, 6)]
        if milestone == "delivered"
        else [],
    )


def send_test_notification(
    db: Session, store: Store, channel: str, milestone: str, recipient: str
) -> None:
    """Send one sample message now (the admin's "send test" button). Raises NotificationError."""
    if channel not in ALL_CHANNELS:
        raise NotificationError(f"Choose a channel: {', '.join(ALL_CHANNELS)}.")
    if milestone not in ALL_MILESTONES:
        raise NotificationError(f"Choose a milestone: {', '.join(ALL_MILESTONES)}.")
    recipient = (recipient or "").strip()
    if channel == Channel.EMAIL and not EMAIL.fullmatch(recipient):
        raise NotificationError("Enter an email address to send the test to.")
    if channel == Channel.SMS and not PHONE.fullmatch(recipient):
        raise NotificationError("Enter a phone number in international form, like +15551234567.")
    _check_configured(channel)
    now = utcnow()
    row = Notification(
        store_id=store.id,
        shipment_id=None,
        order_id=None,
        milestone=milestone,
        channel=channel,
        recipient=recipient,
        status=NotificationStatus.PENDING,
        attempts=1,
        claimed_at=now,
        send_after=now,
        created_at=now,
    )
    db.add(row)
    db.commit()
    try:
        provider_id = send_message(row, sample_facts(store, milestone), current_app.config)
    except SendError as exc:
        row.status = NotificationStatus.FAILED
        row.last_error = str(exc)
        db.commit()
        hint = (
            "check SMTP_HOST, SMTP_PORT and TLS settings"
            if channel == "email"
            else ("check the Twilio account, token and sending number")
        )
        raise NotificationError(f"The test {channel} was not sent: {exc}; {hint}.") from exc
    mark_sent(db, row.id, provider_id, utcnow())
    db.refresh(row)


def redact_recipients(db: Session, store: Store, order_ids: Iterable[int]) -> int:
    """customers/redact: forget where these orders' messages went (the rows stay, counted)."""
    ids = list(order_ids)
    if not ids:
        return 0
    result = db.execute(
        update(Notification)
        .where(Notification.store_id == store.id, Notification.order_id.in_(ids))
        .values(recipient=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


__all__ = ["NotificationError", "redact_recipients", "send_test_notification"]
