"""Shoppers who asked for no more shipping messages (one-click unsubscribe)."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Store
from plugin.tracking.tables import NotificationOptOut


def recipient_hash(channel: str, recipient: str) -> str:
    """SHA-256 of the normalised address: lower-cased email, digits-only phone."""
    text = recipient.strip().lower()
    if channel == "sms":
        text = re.sub(r"[^\d+]", "", text)
    return hashlib.sha256(f"{channel}:{text}".encode()).hexdigest()


def is_opted_out(db: Session, store: Store, channel: str, recipient: str) -> bool:
    return (
        db.scalar(
            select(NotificationOptOut.id).where(
                NotificationOptOut.store_id == store.id,
                NotificationOptOut.channel == channel,
                NotificationOptOut.recipient_hash == recipient_hash(channel, recipient),
            )
        )
        is not None
    )


def opt_out(db: Session, store: Store, channel: str, recipient: str) -> bool:
    """Record the opt-out (once); True when it is new."""
    if is_opted_out(db, store, channel, recipient):
        return False
    db.add(
        NotificationOptOut(
            store_id=store.id, channel=channel, recipient_hash=recipient_hash(channel, recipient)
        )
    )
    return True
