"""Tables of tracking (carrier accounts, notifications, opt-outs, feedback)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models import Base, utcnow


class CarrierAccount(Base):
    """A merchant's API credentials for one carrier, sealed with the app's Fernet key.

    `credentials_sealed` is the Fernet ciphertext of a JSON object (client id/secret or API
    key, see `plugin.tracking.carrier_api`); the plaintext is never stored or logged.
    """

    __tablename__ = "carrier_accounts"
    __table_args__ = (UniqueConstraint("store_id", "carrier", name="uq_carrier_accounts_carrier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    carrier: Mapped[str] = mapped_column(String(32))  # a carrier code: "ups", "usps", ...
    credentials_sealed: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Milestone(StrEnum):
    SHIPPED = "shipped"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    DELAYED = "delayed"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


class Notification(Base):
    """One shipping message to one shopper: the row exists before anything is sent.

    Unique per (shipment, milestone, channel), so a duplicate webhook or a retried job finds
    the row instead of sending again. `claimed_at` is set (and committed) right before the
    provider is called; see `plugin.notifications.delivery` for what a crash there means.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("shipment_id", "milestone", "channel", name="uq_notifications_once"),
        Index("ix_notifications_due", "status", "send_after"),
        Index("ix_notifications_store_created", "store_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    # Null for the admin's test sends, which belong to no parcel.
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    milestone: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=NotificationStatus.PENDING)
    # Why it was skipped (no_email, no_phone, disabled, unsubscribed, stale, superseded,
    # not_configured, demo_store) or is held (quiet_hours); why it failed (unconfirmed, ...).
    skip_reason: Mapped[str | None] = mapped_column(String(40))
    recipient: Mapped[str | None] = mapped_column(String(320))  # blanked by customers/redact
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    send_after: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[str | None] = mapped_column(String(255))  # Message-ID or SMS sid
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class NotificationOptOut(Base):
    """A shopper asked for no more shipping messages from this store on one channel.

    Kept as a SHA-256 of the normalised address, so the opt-out outlives a redaction without
    keeping the address itself.
    """

    __tablename__ = "notification_optouts"
    __table_args__ = (
        UniqueConstraint("store_id", "channel", "recipient_hash", name="uq_notification_optouts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    recipient_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Feedback(Base):
    """A shopper's rating of their order after delivery: one per order."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_store_created", "store_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
