"""Tables of the learned recommender: what each shopper buys, and what sells with what.

Everything here is updated one order at a time by `learning.learn_order` (in the order job's
transaction) and read by the offer strategy; nothing is recomputed while a shopper waits except
the arithmetic over a few hundred rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models import Base, utcnow


class ShopperProfile(Base):
    """How many orders Encore has learned from one shopper, to age their purchases."""

    __tablename__ = "shopper_profiles"
    __table_args__ = (UniqueConstraint("customer_id", name="uq_shopper_profiles_customer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    orders_learned: Mapped[int] = mapped_column(Integer, default=0)
    last_order_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ShopperProduct(Base):
    """One product in one shopper's history: how often, how lately (a decayed count)."""

    __tablename__ = "shopper_products"
    __table_args__ = (
        UniqueConstraint("customer_id", "platform_product_id", name="uq_shopper_products"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    platform_product_id: Mapped[str] = mapped_column(String(64))
    times_bought: Mapped[int] = mapped_column(Integer, default=0)
    # The shopper's order count when this product was last bought, and the decayed count as of
    # that order: read as `decayed * RECENCY ** (orders_learned - last_bought_at_order)`.
    last_bought_at_order: Mapped[int] = mapped_column(Integer, default=0)
    decayed: Mapped[float] = mapped_column(Float, default=0.0)


class ProductSignal(Base):
    """Store-wide facts about a product: do shoppers buy it again, what sells with it."""

    __tablename__ = "product_signals"
    __table_args__ = (
        UniqueConstraint("store_id", "platform_product_id", name="uq_product_signals_product"),
        Index("ix_product_signals_stale", "store_id", "neighbours_stale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_product_id: Mapped[str] = mapped_column(String(64))
    orders: Mapped[int] = mapped_column(Integer, default=0)
    first_purchases: Mapped[int] = mapped_column(Integer, default=0)
    repeat_purchases: Mapped[int] = mapped_column(Integer, default=0)
    # Top co-purchased products as [[product id, lift-like score], ...], best first; rebuilt by
    # the neighbours job when `neighbours_stale` is set by a new order.
    neighbours: Mapped[list[Any]] = mapped_column(JSON, default=list)
    neighbours_stale: Mapped[bool] = mapped_column(Boolean, default=False)


class ProductPair(Base):
    """How many orders contained both products (stored once per pair, smaller id first)."""

    __tablename__ = "product_pairs"
    __table_args__ = (
        UniqueConstraint("store_id", "product_a", "product_b", name="uq_product_pairs"),
        Index("ix_product_pairs_b", "store_id", "product_b"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    product_a: Mapped[str] = mapped_column(String(64))
    product_b: Mapped[str] = mapped_column(String(64))
    orders: Mapped[int] = mapped_column(Integer, default=0)
