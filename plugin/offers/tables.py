"""Tables of the offers engine: what was shown, what it earned, codes, bandit counts, collections.

The storefront hot path reads these (exposures for the frequency cap, strategy counts for the
bandit, discount codes, collection membership for pinned-offer triggers); jobs and the event
endpoint write them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models import Base, utcnow


class OfferExposure(Base):
    """One offer shown in one impression, kept flat so the hot path and attribution can query it.

    `Impression.offers` keeps the same facts as JSON; this row makes "how often did this shopper
    see this product lately" and "which offer led to this order" indexed lookups.
    """

    __tablename__ = "offer_exposures"
    # Written once, with its impression, in the same transaction: no unique key needed, and
    # every index here is paid on each storefront answer, so only the two lookups have one.
    __table_args__ = (
        Index("ix_offer_exposures_shopper", "store_id", "platform_customer_id", "shown_at"),
        Index("ix_offer_exposures_product", "store_id", "platform_product_id", "shown_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    impression_id: Mapped[int] = mapped_column(ForeignKey("impressions.id", ondelete="CASCADE"))
    offer_id: Mapped[str] = mapped_column(String(128))
    platform_product_id: Mapped[str] = mapped_column(String(64))
    strategy: Mapped[str] = mapped_column(String(40))
    surface: Mapped[str] = mapped_column(String(20))
    platform_customer_id: Mapped[str | None] = mapped_column(String(64))
    # The order on whose page the offer was shown (the order id alone when it had not arrived).
    platform_order_id: Mapped[str | None] = mapped_column(String(64))
    discount_code: Mapped[str | None] = mapped_column(String(64))
    shown_at: Mapped[datetime] = mapped_column(default=utcnow)


class StrategyStats(Base):
    """The bandit's evidence per (store, surface, strategy): offers shown and offers that worked.

    A success is a shown offer that was clicked or converted, counted once, so successes never
    exceed `shown` and Beta(1 + successes, 1 + shown - successes) is a proper posterior.
    """

    __tablename__ = "offer_strategy_stats"
    __table_args__ = (
        UniqueConstraint("store_id", "surface", "strategy", name="uq_offer_strategy_stats_arm"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    surface: Mapped[str] = mapped_column(String(20))  # "thank_you" or "order_status"
    strategy: Mapped[str] = mapped_column(String(40))
    shown: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    conversions: Mapped[int] = mapped_column(Integer, default=0)
    successes: Mapped[int] = mapped_column(Integer, default=0)


class DiscountCode(Base):
    """A discount code created on the store's platform, shared by every offer of its percent.

    One code per (store, percent) while it is valid: offers reuse it instead of creating one
    per request; a job creates the next one before it expires.
    """

    __tablename__ = "discount_codes"
    __table_args__ = (
        UniqueConstraint("store_id", "code", name="uq_discount_codes_code"),
        Index("ix_discount_codes_usable", "store_id", "percent", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64))
    percent: Mapped[int] = mapped_column(Integer)
    # Shopify's discount node id or WooCommerce's coupon id; None for the demo store.
    platform_discount_id: Mapped[str | None] = mapped_column(String(255))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfferConversion(Base):
    """A later order that bought an offered product: the offer's revenue, net of refunds."""

    __tablename__ = "offer_conversions"
    __table_args__ = (
        UniqueConstraint("impression_id", "offer_id", "order_id", name="uq_offer_conversions_once"),
        # One conversion per product of an order, however many times it had been offered.
        UniqueConstraint("order_id", "platform_product_id", name="uq_offer_conversions_product"),
        Index("ix_offer_conversions_store_converted", "store_id", "converted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    impression_id: Mapped[int] = mapped_column(ForeignKey("impressions.id", ondelete="CASCADE"))
    offer_id: Mapped[str] = mapped_column(String(128))
    platform_product_id: Mapped[str] = mapped_column(String(64))
    strategy: Mapped[str] = mapped_column(String(40))
    surface: Mapped[str] = mapped_column(String(20))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    revenue: Mapped[Decimal]
    refunded: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    currency: Mapped[str] = mapped_column(String(3))
    converted_at: Mapped[datetime]


class CollectionProduct(Base):
    """A product in a merchant collection (category), for pinned offers triggered by one."""

    __tablename__ = "collection_products"
    __table_args__ = (
        UniqueConstraint(
            "store_id",
            "platform_collection_id",
            "platform_product_id",
            name="uq_collection_products_member",
        ),
        Index("ix_collection_products_product", "store_id", "platform_product_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_collection_id: Mapped[str] = mapped_column(String(64))
    platform_product_id: Mapped[str] = mapped_column(String(64))


class CollectionSync(Base):
    """When a collection's members were last read from the platform."""

    __tablename__ = "collection_syncs"
    __table_args__ = (
        UniqueConstraint(
            "store_id", "platform_collection_id", name="uq_collection_syncs_collection"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_collection_id: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)
    product_count: Mapped[int] = mapped_column(Integer, default=0)
