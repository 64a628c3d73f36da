"""Domain models: what Encore knows about each store, in one language for every platform.

Platform ids are kept as strings (`platform_*_id`) next to our own integer keys, so nothing
outside `plugin/platforms/` needs to know how a platform spells its ids.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from plugin.tracking.status import TrackingStatus


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores UTC without a zone (portable), always hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


MONEY_PLACES = Decimal("0.0001")
CENTS = Decimal("0.01")


def canonical_money(value: Decimal | str | int) -> Decimal:
    """An amount as every engine hands it back: 4 places at most, trailing zeros cut to cents.

    PostgreSQL answers `29.4600` for what SQLite keeps as `29.46`; both become `29.46`, and
    `29` becomes `29.00`, so pages, JSON and exports read the same on either engine.
    """
    amount = Decimal(value).quantize(MONEY_PLACES, rounding=ROUND_HALF_UP).normalize()
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        return amount.quantize(CENTS)
    return amount


class Money(TypeDecorator[Decimal]):
    """A decimal amount in the store's currency, exact on every engine (4 places)."""

    impl = Numeric(14, 4)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            # SQLite has no exact decimal type: keep the exact text instead of a float.
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(Numeric(14, 4))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = canonical_money(value)
        return str(amount) if dialect.name == "sqlite" else amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return canonical_money(str(value))


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, Decimal: Money, dict[str, Any]: JSON}


class Platform(StrEnum):
    SHOPIFY = "shopify"
    WOOCOMMERCE = "woocommerce"
    DEMO = "demo"


class StoreStatus(StrEnum):
    INSTALLED = "installed"
    UNINSTALLED = "uninstalled"


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


def new_tracking_token() -> str:
    """The secret in a shopper's `/t/<token>` link: 192 random bits, never derived from ids."""
    return secrets.token_urlsafe(24)


class Store(Base):
    __tablename__ = "stores"
    __table_args__ = (UniqueConstraint("platform", "domain", name="uq_stores_platform_domain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    platform: Mapped[str] = mapped_column(String(20))
    # Shopify: the myshopify domain; WooCommerce: the store's base URL.
    domain: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    timezone: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default=StoreStatus.INSTALLED)
    installed_at: Mapped[datetime | None]
    uninstalled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Merchant choices for the storefront: logo_url, accent_color, support_url, returns_url,
    # offer_discount_percent. Mutable so `store.settings["x"] = y` is saved like any change.
    settings: Mapped[dict[str, Any]] = mapped_column(MutableDict.as_mutable(JSON), default=dict)

    credential: Mapped[StoreCredential | None] = relationship(
        back_populates="store", cascade="all, delete-orphan", uselist=False
    )

    @property
    def is_installed(self) -> bool:
        return self.status == StoreStatus.INSTALLED


class StoreCredential(Base):
    """API credentials of one store. Secret columns hold Fernet ciphertext, never plaintext."""

    __tablename__ = "store_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), unique=True)
    access_token_sealed: Mapped[str | None] = mapped_column(Text)
    access_expires_at: Mapped[datetime | None]
    refresh_token_sealed: Mapped[str | None] = mapped_column(Text)
    refresh_expires_at: Mapped[datetime | None]
    scopes: Mapped[str | None] = mapped_column(Text)
    # WooCommerce REST keys (consumer key and secret), sealed the same way.
    consumer_key_sealed: Mapped[str | None] = mapped_column(Text)
    consumer_secret_sealed: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    store: Mapped[Store] = relationship(back_populates="credential")


class WebhookSubscription(Base):
    """A webhook topic this store sends us, as registered on the platform."""

    __tablename__ = "webhook_subscriptions"
    __table_args__ = (UniqueConstraint("store_id", "topic", name="uq_webhook_subscriptions_topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(64))
    platform_subscription_id: Mapped[str | None] = mapped_column(String(255))
    uri: Mapped[str] = mapped_column(String(1024))
    secret_sealed: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


class OAuthState(Base):
    """A one-time install state: created when the flow starts, spent by the callback."""

    __tablename__ = "oauth_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(128), unique=True)
    platform: Mapped[str] = mapped_column(String(20))
    shop: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class Customer(Base):
    """A shopper. Only the platform id unless the app may read protected customer data."""

    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("store_id", "platform_customer_id", name="uq_customers_platform_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_customer_id: Mapped[str] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    first_name: Mapped[str | None] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))
    accepts_marketing: Mapped[bool] = mapped_column(Boolean, default=False)
    platform_updated_at: Mapped[datetime | None]
    redacted_at: Mapped[datetime | None]


class ProductStatus(StrEnum):
    ACTIVE = "active"
    DRAFT = "draft"
    ARCHIVED = "archived"
    DELETED = "deleted"


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("store_id", "platform_product_id", name="uq_products_platform_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_product_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(512))
    handle: Mapped[str | None] = mapped_column(String(255))
    vendor: Mapped[str | None] = mapped_column(String(255))
    product_type: Mapped[str | None] = mapped_column(String(255))
    tags: Mapped[str | None] = mapped_column(Text)
    image_url: Mapped[str | None] = mapped_column(String(1024))
    status: Mapped[str] = mapped_column(String(20), default=ProductStatus.ACTIVE)
    # Merchant-curated links (WooCommerce upsell/cross-sell ids), platform product ids.
    linked_product_ids: Mapped[list[str] | None] = mapped_column(JSON)
    platform_updated_at: Mapped[datetime | None]

    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Variant.position"
    )

    @property
    def is_available(self) -> bool:
        return self.status == ProductStatus.ACTIVE and any(v.available for v in self.variants)


class Variant(Base):
    __tablename__ = "variants"
    __table_args__ = (
        UniqueConstraint("store_id", "platform_variant_id", name="uq_variants_platform_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    platform_variant_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(255))
    sku: Mapped[str | None] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(Integer, default=1)
    price: Mapped[Decimal]
    compare_at_price: Mapped[Decimal | None]
    inventory_quantity: Mapped[int | None]
    available: Mapped[bool] = mapped_column(Boolean, default=True)

    product: Mapped[Product] = relationship(back_populates="variants")


class OrderStatus(StrEnum):
    """Where an order stands, whatever the platform calls it."""

    PENDING = "pending"
    PAID = "paid"
    ON_HOLD = "on_hold"
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    FAILED = "failed"


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("store_id", "platform_order_id", name="uq_orders_platform_id"),
        Index("ix_orders_customer_placed", "customer_id", "placed_at"),
        Index("ix_orders_store_placed", "store_id", "placed_at"),
        # Storefront lookups: an order id seen under another shop, an order number typed in.
        Index("ix_orders_platform_order_id", "platform_order_id"),
        Index("ix_orders_store_name", "store_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_order_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(64))  # what the shopper sees: "#1001"
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    email: Mapped[str | None] = mapped_column(String(320))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    subtotal_price: Mapped[Decimal | None]
    total_price: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.PAID)
    financial_status: Mapped[str | None] = mapped_column(String(32))
    fulfillment_status: Mapped[str | None] = mapped_column(String(32))
    # WooCommerce's order key, which lets the shopper's own browser read the order.
    order_key: Mapped[str | None] = mapped_column(String(64))
    checkout_token: Mapped[str | None] = mapped_column(String(255))
    placed_at: Mapped[datetime]
    cancelled_at: Mapped[datetime | None]
    platform_updated_at: Mapped[datetime | None]
    source: Mapped[str] = mapped_column(String(20), default="webhook")
    # Discount codes the shopper used, as typed (attribution: an Encore code means an offer).
    discount_codes: Mapped[list[str] | None] = mapped_column(JSON)
    tracking_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_tracking_token)

    line_items: Mapped[list[LineItem]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="LineItem.id"
    )
    shipments: Mapped[list[Shipment]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="Shipment.id"
    )
    customer: Mapped[Customer | None] = relationship()


class LineItem(Base):
    __tablename__ = "line_items"
    __table_args__ = (Index("ix_line_items_product", "store_id", "platform_product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_line_item_id: Mapped[str | None] = mapped_column(String(64))
    platform_product_id: Mapped[str | None] = mapped_column(String(64))
    platform_variant_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(512))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    price: Mapped[Decimal]
    # Refunded so far (later refunds arrive as order updates): attribution counts revenue net.
    refunded_quantity: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    refunded_amount: Mapped[Decimal] = mapped_column(default=Decimal("0"), server_default="0")

    order: Mapped[Order] = relationship(back_populates="line_items")


class Checkout(Base):
    """A checkout (abandoned or completed); kept for cart context before the order arrives."""

    __tablename__ = "checkouts"
    __table_args__ = (
        UniqueConstraint("store_id", "platform_checkout_id", name="uq_checkouts_platform_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_checkout_id: Mapped[str] = mapped_column(String(255))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    email: Mapped[str | None] = mapped_column(String(320))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    total_price: Mapped[Decimal | None]
    platform_product_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    completed_at: Mapped[datetime | None]
    platform_updated_at: Mapped[datetime | None]


class Shipment(Base):
    """One tracked parcel: a fulfillment's tracking number (a fulfillment may have several)."""

    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint(
            "store_id",
            "platform_fulfillment_id",
            "tracking_number",
            name="uq_shipments_fulfillment_tracking",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    platform_fulfillment_id: Mapped[str] = mapped_column(String(64))
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str] = mapped_column(String(128), default="")
    tracking_url: Mapped[str | None] = mapped_column(String(1024))
    status: Mapped[str] = mapped_column(String(32), default=TrackingStatus.CONFIRMED)
    platform_status: Mapped[str | None] = mapped_column(String(64))
    shipped_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    estimated_delivery: Mapped[datetime | None]
    platform_updated_at: Mapped[datetime | None]
    # Tracking (issue 6): the carrier's service and where the parcel goes ("US-NY"), for ETA
    # learning; our own estimate (plugin.tracking.eta); when to ask the carrier next.
    service: Mapped[str | None] = mapped_column(String(64))
    destination_region: Mapped[str | None] = mapped_column(String(16))
    eta_earliest: Mapped[datetime | None]
    eta_likely: Mapped[datetime | None]
    eta_latest: Mapped[datetime | None]
    eta_source: Mapped[str | None] = mapped_column(String(20))
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    last_polled_at: Mapped[datetime | None]

    order: Mapped[Order] = relationship(back_populates="shipments")
    events: Mapped[list[ShipmentEvent]] = relationship(
        back_populates="shipment", cascade="all, delete-orphan", order_by="ShipmentEvent.at"
    )


class ShipmentEvent(Base):
    """One step on a parcel's timeline."""

    __tablename__ = "shipment_events"
    __table_args__ = (
        UniqueConstraint("shipment_id", "at", "status", name="uq_shipment_events_step"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(255))

    shipment: Mapped[Shipment] = relationship(back_populates="events")


class InboxStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"


class InboxEvent(Base):
    """An accepted event waiting for (or done with) its job. The source of truth for work.

    A webhook is acknowledged only after its row is committed; `event_key` is unique, so a
    duplicate delivery is a no-op. Jobs of our own (imports, schedules) use the same table.
    """

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_claimable", "status", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # which job runs it: "shopify.webhook", ...
    topic: Mapped[str] = mapped_column(String(64))
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="SET NULL"))
    shop_domain: Mapped[str | None] = mapped_column(String(255))
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=InboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class DataRequest(Base):
    """A shopper's request for their data (customers/data_request), for the merchant to answer."""

    __tablename__ = "data_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_customer_id: Mapped[str | None] = mapped_column(String(64))
    platform_order_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    platform_request_id: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]


class Surface(StrEnum):
    """Where a shopper saw offers (and tracking)."""

    THANK_YOU = "thank_you"
    ORDER_STATUS = "order_status"
    WOOCOMMERCE = "woocommerce"
    TRACKING_PAGE = "tracking_page"
    # Pages and theme blocks served through the Shopify app proxy (`/apps/encore/...`).
    APP_PROXY = "app_proxy"


class Impression(Base):
    """One showing of a storefront surface: the offers shown, or none for the holdout group.

    `offers` keeps what was shown (offer_id, product/variant ids, price, strategy) as it was,
    so attribution never depends on later product changes.
    """

    __tablename__ = "impressions"
    __table_args__ = (
        Index("ix_impressions_store_created", "store_id", "created_at"),
        Index("ix_impressions_order", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    platform_order_id: Mapped[str | None] = mapped_column(String(64))
    surface: Mapped[str] = mapped_column(String(20))
    platform_customer_id: Mapped[str | None] = mapped_column(String(64))
    in_holdout: Mapped[bool] = mapped_column(Boolean, default=False)
    offers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    events: Mapped[list[OfferEvent]] = relationship(
        back_populates="impression", cascade="all, delete-orphan", passive_deletes=True
    )


class OfferEventType(StrEnum):
    VIEW = "view"
    CLICK = "click"
    DISMISS = "dismiss"


class OfferEvent(Base):
    """A shopper viewed, clicked or dismissed one offer of an impression (each at most once)."""

    __tablename__ = "offer_events"
    __table_args__ = (
        UniqueConstraint("impression_id", "offer_id", "type", name="uq_offer_events_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    impression_id: Mapped[int] = mapped_column(ForeignKey("impressions.id", ondelete="CASCADE"))
    offer_id: Mapped[str] = mapped_column(String(128))
    type: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    impression: Mapped[Impression] = relationship(back_populates="events")


class ProductPopularity(Base):
    """How many orders of a store contained a product, kept up to date as orders arrive."""

    __tablename__ = "product_popularity"
    __table_args__ = (
        UniqueConstraint("store_id", "platform_product_id", name="uq_product_popularity_product"),
        Index("ix_product_popularity_rank", "store_id", "order_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"))
    platform_product_id: Mapped[str] = mapped_column(String(64))
    order_count: Mapped[int] = mapped_column(Integer, default=0)
    last_ordered_at: Mapped[datetime | None]


# Feature packages declare their own tables on the same Base; importing them here keeps one
# complete metadata for migrations and create_schema, whichever module is imported first.
from plugin.admin import tables as _admin_tables  # noqa: E402, F401
from plugin.jobs import tables as _jobs_tables  # noqa: E402, F401
from plugin.offers import tables as _offers_tables  # noqa: E402, F401
from plugin.offers.recommender import tables as _recommender_tables  # noqa: E402, F401
from plugin.platforms import woocommerce_tables as _woocommerce_tables  # noqa: E402, F401
from plugin.tracking import tables as _tracking_tables  # noqa: E402, F401
