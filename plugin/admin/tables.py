"""Tables of the merchant admin (admin users and their stores).

Shopify merchants reach the admin through the Shopify admin itself (a verified id token names
the shop); these tables are for WooCommerce and self-hosted stores, whose merchants log in
with an email and a password.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plugin.models import Base, Store, utcnow


class AdminUser(Base):
    """A person who may log in to the admin; `password_hash` is argon2id, never the password."""

    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so "Ann@Shop.com" and "ann@shop.com" are one account.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list[StoreAdmin]] = relationship(
        back_populates="admin_user", cascade="all, delete-orphan", passive_deletes=True
    )


class StoreAdmin(Base):
    """An admin user may manage this store; a store belongs to its admins only."""

    __tablename__ = "store_admins"
    __table_args__ = (UniqueConstraint("admin_user_id", "store_id", name="uq_store_admins_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    admin_user_id: Mapped[int] = mapped_column(
        ForeignKey("admin_users.id", ondelete="CASCADE"), index=True
    )
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    admin_user: Mapped[AdminUser] = relationship(back_populates="memberships")
    store: Mapped[Store] = relationship()


class AdminLoginAttempt(Base):
    """One try at logging in, kept for the rate limit (shared by every web worker)."""

    __tablename__ = "admin_login_attempts"
    __table_args__ = (
        Index("ix_admin_login_attempts_email", "email", "at"),
        Index("ix_admin_login_attempts_client", "client_address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    client_address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)
