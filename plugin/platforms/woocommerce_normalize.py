"""WooCommerce REST v3 bodies (API answers and webhook deliveries) → platform-free records.

Everything WooCommerce-specific about orders, products and tracking meta ends here. Times are
read from the `*_gmt` fields (WooCommerce writes them without an offset; they are UTC). Names
come HTML-escaped from WordPress (`&ndash;`, `&amp;`) and are unescaped once here, because the
storefront escapes what it prints.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from plugin.models import OrderStatus, ProductStatus
from plugin.platforms.base import (
    CustomerRecord,
    LineItemRecord,
    OrderRecord,
    PayloadError,
    ProductRecord,
    ShipmentEventRecord,
    ShipmentRecord,
    VariantRecord,
    parse_money,
    parse_time,
)
from plugin.tracking.status import TrackingStatus

Payload = Mapping[str, Any]

# Block checkout keeps the cart in a `checkout-draft` order that fires order.updated: it is no
# order yet, so Encore ignores it until it turns into one of the statuses below.
DRAFT_STATUSES = frozenset({"checkout-draft", "auto-draft", "draft"})

ORDER_STATUSES: dict[str, OrderStatus] = {
    "pending": OrderStatus.PENDING,
    "processing": OrderStatus.PAID,
    "on-hold": OrderStatus.ON_HOLD,
    "completed": OrderStatus.FULFILLED,
    "cancelled": OrderStatus.CANCELLED,
    "refunded": OrderStatus.REFUNDED,
    "failed": OrderStatus.FAILED,
    "trash": OrderStatus.CANCELLED,
}

PRODUCT_STATUSES: dict[str, ProductStatus] = {
    "publish": ProductStatus.ACTIVE,
    "private": ProductStatus.ARCHIVED,  # only shop staff can see it
    "draft": ProductStatus.DRAFT,
    "pending": ProductStatus.DRAFT,
    "future": ProductStatus.DRAFT,
    "trash": ProductStatus.DELETED,
}

# Order meta written by WooCommerce Shipment Tracking and Advanced Shipment Tracking.
TRACKING_META_KEY = "_wc_shipment_tracking_items"
# Shipments read from that meta carry this prefix, so they can be told from other sources.
TRACKING_FULFILLMENT_PREFIX = "wcst:"

CARRIER_NAMES = {
    "usps": "USPS",
    "ups": "UPS",
    "fedex": "FedEx",
    "dhl": "DHL",
    "dhl-express": "DHL Express",
    "dpd": "DPD",
    "gls": "GLS",
    "royal-mail": "Royal Mail",
    "parcelforce": "Parcelforce",
    "canada-post": "Canada Post",
    "australia-post": "Australia Post",
    "postnl": "PostNL",
    "deutsche-post": "Deutsche Post",
}


def platform_id(value: Any, field: str) -> str:
    """WooCommerce ids are positive integers (sometimes sent as strings); 0 means none."""
    if isinstance(value, bool):
        raise PayloadError(f"{field} must be a numeric id, got {value!r}")
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or int(text) == 0:
        raise PayloadError(f"{field} must be a positive numeric id, got {value!r}")
    return str(int(text))


def optional_id(value: Any) -> str | None:
    """An id that may be absent: 0, null and "" all mean there is none."""
    if isinstance(value, bool) or value in (None, "", 0, "0"):
        return None
    text = str(value).strip()
    return str(int(text)) if text.isdigit() and int(text) > 0 else None


def _mapping(payload: Any, what: str) -> Payload:
    if not isinstance(payload, Mapping):
        raise PayloadError(f"{what} must be a JSON object")
    return payload


def _list(value: Any, field: str) -> list[Any]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise PayloadError(f"{field} must be a list")
    return value


def _text(value: Any) -> str:
    return html.unescape(str(value)).strip() if value not in (None, "") else ""


def gmt_time(payload: Payload, name: str) -> datetime | None:
    """`name_gmt` (UTC without an offset), else the site-local `name` read as UTC."""
    return parse_time(payload.get(f"{name}_gmt") or payload.get(name), f"{name}_gmt")


def _amount(value: Any, field: str) -> Decimal:
    """Money as WooCommerce sends it: a string ("12.00") or, for line items, a JSON number."""
    if value in (None, ""):
        return Decimal("0")
    amount = parse_money(value, field)
    # A JSON number such as 10/3 carries more places than money has: keep four, like Money.
    exponent = amount.as_tuple().exponent
    return (
        amount.quantize(Decimal("0.0001"))
        if isinstance(exponent, int) and exponent < -4
        else amount
    )


def is_draft(payload: Any) -> bool:
    return isinstance(payload, Mapping) and str(payload.get("status") or "") in DRAFT_STATUSES


def order_status(status: Any) -> OrderStatus:
    """WooCommerce's order status → the domain status; custom statuses count as pending."""
    return ORDER_STATUSES.get(str(status or "pending"), OrderStatus.PENDING)


def _financial_status(order: Payload, total: Decimal) -> str:
    refunded = sum(
        (abs(_amount(r.get("total"), "refunds[].total")) for r in _refunds(order)), Decimal("0")
    )
    if refunded > 0:
        return "refunded" if refunded >= total else "partially_refunded"
    return "paid" if order.get("date_paid_gmt") or order.get("date_paid") else "pending"


def _refunds(order: Payload) -> list[Payload]:
    refunds: list[Payload] = []
    for refund in _list(order.get("refunds"), "refunds"):
        refund = _mapping(refund, "refund")
        # Refund totals are negative strings ("-10.00"); parse_money wants them unsigned.
        total = str(refund.get("total") or "0").lstrip("-")
        refunds.append({**refund, "total": total})
    return refunds


def _billing(order: Payload) -> Payload:
    billing = order.get("billing")
    return billing if isinstance(billing, Mapping) else {}


def _customer(order: Payload) -> CustomerRecord | None:
    """Registered shoppers have a customer_id; guests have 0 and only a billing address."""
    customer_id = optional_id(order.get("customer_id"))
    if customer_id is None:
        return None
    billing = _billing(order)
    return CustomerRecord(
        platform_customer_id=customer_id,
        email=billing.get("email") or None,
        phone=billing.get("phone") or None,
        first_name=billing.get("first_name") or None,
        last_name=billing.get("last_name") or None,
    )


def normalize_line_item(payload: Any) -> LineItemRecord:
    item = _mapping(payload, "line item")
    quantity = item.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        raise PayloadError(f"line item quantity must be a whole number, got {quantity!r}")
    product_id = optional_id(item.get("product_id"))
    return LineItemRecord(
        title=_text(item.get("name")) or "Item",
        quantity=quantity,
        price=_amount(item.get("price"), "line_items[].price"),
        platform_line_item_id=optional_id(item.get("id")),
        platform_product_id=product_id,
        # A simple product is its own variant: the same id the cart link adds.
        platform_variant_id=optional_id(item.get("variation_id")) or product_id,
    )


def normalize_order(payload: Any) -> OrderRecord:
    order = _mapping(payload, "order")
    if is_draft(order):
        raise PayloadError("a checkout draft is not an order yet")
    order_id = platform_id(order.get("id"), "id")
    placed_at = gmt_time(order, "date_created")
    if placed_at is None:
        raise PayloadError("order has no date_created_gmt")
    line_items = tuple(
        normalize_line_item(item) for item in _list(order.get("line_items"), "line_items")
    )
    subtotal = sum(
        (
            _amount(_mapping(i, "line item").get("subtotal"), "line_items[].subtotal")
            for i in _list(order.get("line_items"), "line_items")
        ),
        Decimal("0"),
    )
    total = _amount(order.get("total"), "total")
    status = order_status(order.get("status"))
    updated_at = gmt_time(order, "date_modified")
    billing = _billing(order)
    number = order.get("number") or order_id
    return OrderRecord(
        platform_order_id=order_id,
        placed_at=placed_at,
        currency=str(order.get("currency") or "USD")[:3].upper(),
        total_price=total,
        subtotal_price=subtotal,
        status=status,
        line_items=line_items,
        name=f"#{number}",
        customer=_customer(order),
        email=billing.get("email") or None,
        financial_status=_financial_status(order, total),
        fulfillment_status="fulfilled" if status is OrderStatus.FULFILLED else None,
        order_key=str(order.get("order_key") or "") or None,
        cancelled_at=updated_at if status is OrderStatus.CANCELLED else None,
        updated_at=updated_at,
        shipments=tracking_shipments(order, order_id, placed_at),
        discount_codes=coupon_codes(order),
    )


def coupon_codes(order: Payload) -> tuple[str, ...]:
    """The coupons applied to the order (`coupon_lines[].code`), for offer attribution."""
    return tuple(
        str(line["code"]).strip()
        for line in _list(order.get("coupon_lines"), "coupon_lines")
        if isinstance(line, Mapping) and str(line.get("code") or "").strip()
    )


def shipping_context(order: Payload) -> tuple[str | None, str | None]:
    """(service, destination region "GB" / "US-CA") for ETA learning."""
    lines = _list(order.get("shipping_lines"), "shipping_lines")
    first = lines[0] if lines and isinstance(lines[0], Mapping) else {}
    service = _text(first.get("method_title"))[:64] or None
    address = order.get("shipping") if isinstance(order.get("shipping"), Mapping) else {}
    if not address or not address.get("country"):
        address = _billing(order)
    parts = [str(address.get("country") or "").strip(), str(address.get("state") or "").strip()]
    region = "-".join(p for p in parts if p).upper()[:16] or None
    return service, region


def meta_value(payload: Payload, key: str) -> Any:
    """The value of one `meta_data` entry (the last one wins, as in WordPress)."""
    found = None
    for entry in _list(payload.get("meta_data"), "meta_data"):
        if isinstance(entry, Mapping) and entry.get("key") == key:
            found = entry.get("value")
    return found


def tracking_shipments(
    order: Payload, order_id: str, placed_at: datetime
) -> tuple[ShipmentRecord, ...]:
    """Parcels from `_wc_shipment_tracking_items` (Shipment Tracking and AST write the same)."""
    items = meta_value(order, TRACKING_META_KEY)
    if not isinstance(items, list):
        return ()
    service, region = shipping_context(order)
    shipments = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        number = str(item.get("tracking_number") or "").strip()
        if not number:
            continue
        shipped_at = _unix_time(item.get("date_shipped")) or placed_at
        tracking_id = str(item.get("tracking_id") or "").strip()[:48] or f"{order_id}:{number}"
        shipments.append(
            ShipmentRecord(
                platform_fulfillment_id=f"{TRACKING_FULFILLMENT_PREFIX}{tracking_id}"[:64],
                platform_order_id=order_id,
                tracking_number=number[:128],
                carrier=_carrier(item),
                tracking_url=_tracking_link(item),
                status=TrackingStatus.CONFIRMED,
                platform_status=_shipped_status(item),
                service=service,
                destination_region=region,
                shipped_at=shipped_at,
                # Tracking items carry no modified time: the shipping date stands in, so an
                # unrelated order update never resets a status the carrier has moved on.
                updated_at=shipped_at,
                events=(
                    ShipmentEventRecord(
                        at=shipped_at,
                        status=TrackingStatus.CONFIRMED,
                        message="Shipped by the store",
                    ),
                ),
            )
        )
    return tuple(shipments)


def _unix_time(value: Any) -> datetime | None:
    """Tracking plugins store `date_shipped` as a unix timestamp (int or numeric string)."""
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None


def _carrier(item: Payload) -> str | None:
    custom = _text(item.get("custom_tracking_provider") or item.get("formatted_tracking_provider"))
    if custom:
        return custom[:64]
    slug = str(item.get("tracking_provider") or "").strip().lower()
    if not slug:
        return None
    return CARRIER_NAMES.get(slug, slug.replace("-", " ").replace("_", " ").title())[:64]


def _tracking_link(item: Payload) -> str | None:
    for key in ("custom_tracking_link", "formatted_tracking_link"):
        link = str(item.get(key) or "").strip()
        if link.startswith(("https://", "http://")):
            return link[:1024]
    return None


def _shipped_status(item: Payload) -> str | None:
    """Advanced Shipment Tracking marks an item shipped (1) or partially shipped (2)."""
    value = str(item.get("status_shipped") or "").strip()
    return {"1": "shipped", "2": "partial_shipped"}.get(value)


# ---- products --------------------------------------------------------------------------


def _stock_allows(payload: Payload) -> bool:
    """In stock or on backorder (the merchant takes orders); purchasable, i.e. it has a price."""
    return payload.get("purchasable", True) is not False and (
        payload.get("stock_status") or "instock"
    ) in {"instock", "onbackorder"}


def _stock_quantity(payload: Payload) -> int | None:
    quantity = payload.get("stock_quantity")
    if payload.get("manage_stock") is True and isinstance(quantity, int):
        return quantity
    return None


def _prices(payload: Payload) -> tuple[Decimal, Decimal | None]:
    """The price a shopper pays now, and the regular price when it is higher (a sale)."""
    price = _amount(payload.get("price") or payload.get("regular_price"), "price")
    regular = payload.get("regular_price")
    compare_at = _amount(regular, "regular_price") if regular not in (None, "") else None
    return price, compare_at if compare_at is not None and compare_at > price else None


def _variation_title(variation: Payload) -> str | None:
    options = [
        _text(a.get("option"))
        for a in _list(variation.get("attributes"), "attributes")
        if isinstance(a, Mapping) and a.get("option")
    ]
    return " / ".join(options) or None


def normalize_variation(payload: Any, position: int) -> VariantRecord:
    variation = _mapping(payload, "variation")
    price, compare_at = _prices(variation)
    return VariantRecord(
        platform_variant_id=platform_id(variation.get("id"), "variations[].id"),
        price=price,
        compare_at_price=compare_at,
        title=_variation_title(variation),
        sku=variation.get("sku") or None,
        position=position,
        inventory_quantity=_stock_quantity(variation),
        # A disabled variation is "private".
        available=(variation.get("status") or "publish") == "publish" and _stock_allows(variation),
    )


def _own_variant(product: Payload, product_id: str) -> VariantRecord:
    """Simple products are their own (only) variant; grouped and external ones cannot be
    added to a cart with a link, so they are never offered."""
    price, compare_at = _prices(product)
    addable = str(product.get("type") or "simple") == "simple"
    return VariantRecord(
        platform_variant_id=product_id,
        price=price,
        compare_at_price=compare_at,
        title=None,
        sku=product.get("sku") or None,
        position=1,
        inventory_quantity=_stock_quantity(product),
        available=addable and _stock_allows(product),
    )


def linked_ids(product: Payload) -> tuple[str, ...]:
    """The merchant's own upsells, then cross-sells, each product once."""
    seen: dict[str, None] = {}
    for field in ("upsell_ids", "cross_sell_ids"):
        for value in _list(product.get(field), field):
            linked = optional_id(value)
            if linked is not None:
                seen.setdefault(linked, None)
    return tuple(seen)


def is_variation(payload: Any) -> bool:
    """A product webhook for a variation carries the variation itself, with its parent_id."""
    return isinstance(payload, Mapping) and (
        payload.get("type") == "variation" or optional_id(payload.get("parent_id")) is not None
    )


def normalize_product(payload: Any, variations: Iterable[Any] | None = None) -> ProductRecord:
    """A product; for a variable product pass its variations (from products/<id>/variations)."""
    product = _mapping(payload, "product")
    product_id = platform_id(product.get("id"), "id")
    times = [gmt_time(product, "date_modified")]
    if str(product.get("type") or "simple") == "variable":
        variation_list = [_mapping(v, "variation") for v in variations or ()]
        ordered = sorted(
            enumerate(variation_list), key=lambda pair: (pair[1].get("menu_order") or 0, pair[0])
        )
        variants = tuple(
            normalize_variation(v, position) for position, (_i, v) in enumerate(ordered, 1)
        )
        # Editing a variation does not touch its parent's modified date.
        times += [gmt_time(v, "date_modified") for v in variation_list]
    else:
        variants = (_own_variant(product, product_id),)
    categories = [
        c for c in _list(product.get("categories"), "categories") if isinstance(c, Mapping)
    ]
    tags = [t for t in _list(product.get("tags"), "tags") if isinstance(t, Mapping)]
    images = [i for i in _list(product.get("images"), "images") if isinstance(i, Mapping)]
    known_times = [t for t in times if t is not None]
    return ProductRecord(
        platform_product_id=product_id,
        title=_text(product.get("name")) or "Untitled product",
        status=PRODUCT_STATUSES.get(str(product.get("status") or "publish"), ProductStatus.DRAFT),
        variants=variants,
        handle=product.get("slug") or None,
        product_type=_text(categories[0].get("name")) or None if categories else None,
        tags=", ".join(_text(t.get("name")) for t in tags if t.get("name")) or None,
        image_url=str(images[0]["src"]) if images and images[0].get("src") else None,
        linked_product_ids=linked_ids(product),
        updated_at=max(known_times) if known_times else None,
    )
