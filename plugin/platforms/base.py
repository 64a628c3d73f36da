"""What every platform adapter hands to the rest of Encore: plain, platform-free records.

`normalize_*` functions in `shopify.py`, `woocommerce.py` and `demo.py` build these from
payloads; `plugin.ingest` writes them into the domain models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any


class PayloadError(ValueError):
    """A payload that cannot be understood; the job dead-letters it with this message."""


def parse_time(value: Any, field: str) -> datetime | None:
    """Platform timestamps are ISO 8601 with an offset; naive ones are taken as UTC."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise PayloadError(f"{field} must be an ISO 8601 string, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise PayloadError(f"{field} is not an ISO 8601 time: {value!r}") from exc
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_money(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise PayloadError(f"{field} is not an amount: {value!r}") from exc
    if not amount.is_finite() or amount < 0:
        raise PayloadError(f"{field} must be a non-negative amount, got {value!r}")
    return amount


@dataclass(frozen=True)
class CustomerRecord:
    platform_customer_id: str
    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    accepts_marketing: bool = False
    updated_at: datetime | None = None


@dataclass(frozen=True)
class VariantRecord:
    platform_variant_id: str
    price: Decimal
    title: str | None = None
    sku: str | None = None
    position: int = 1
    compare_at_price: Decimal | None = None
    inventory_quantity: int | None = None
    available: bool = True


@dataclass(frozen=True)
class ProductRecord:
    platform_product_id: str
    title: str
    status: str  # ProductStatus value
    variants: tuple[VariantRecord, ...]
    handle: str | None = None
    vendor: str | None = None
    product_type: str | None = None
    tags: str | None = None
    image_url: str | None = None
    linked_product_ids: tuple[str, ...] = ()
    updated_at: datetime | None = None


@dataclass(frozen=True)
class LineItemRecord:
    title: str
    quantity: int
    price: Decimal
    platform_line_item_id: str | None = None
    platform_product_id: str | None = None
    platform_variant_id: str | None = None
    # What later refunds gave back for this line (quantity, and amount before tax).
    refunded_quantity: int = 0
    refunded_amount: Decimal = Decimal("0")


@dataclass(frozen=True)
class ShipmentEventRecord:
    at: datetime
    status: str  # TrackingStatus value
    message: str | None = None
    location: str | None = None


@dataclass(frozen=True)
class ShipmentRecord:
    platform_fulfillment_id: str
    tracking_number: str
    status: str  # TrackingStatus value
    platform_order_id: str
    carrier: str | None = None
    tracking_url: str | None = None
    platform_status: str | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    estimated_delivery: datetime | None = None
    updated_at: datetime | None = None
    events: tuple[ShipmentEventRecord, ...] = ()
    service: str | None = None  # the shipping service ("Ground", "Express"), for ETA learning
    destination_region: str | None = None  # "US-NY": country and province of the address


@dataclass(frozen=True)
class OrderRecord:
    platform_order_id: str
    placed_at: datetime
    currency: str
    total_price: Decimal
    status: str  # OrderStatus value
    line_items: tuple[LineItemRecord, ...]
    name: str | None = None
    customer: CustomerRecord | None = None
    email: str | None = None
    subtotal_price: Decimal | None = None
    financial_status: str | None = None
    fulfillment_status: str | None = None
    order_key: str | None = None
    checkout_token: str | None = None
    cancelled_at: datetime | None = None
    updated_at: datetime | None = None
    shipments: tuple[ShipmentRecord, ...] = field(default_factory=tuple)
    discount_codes: tuple[str, ...] = ()  # the codes the shopper entered, as typed


@dataclass(frozen=True)
class CheckoutRecord:
    platform_checkout_id: str
    currency: str
    platform_product_ids: tuple[str, ...]
    customer: CustomerRecord | None = None
    email: str | None = None
    total_price: Decimal | None = None
    completed_at: datetime | None = None
    updated_at: datetime | None = None
