"""Shopify REST-format webhook bodies → platform-free records (plugin.platforms.base).

Everything Shopify-specific about orders, products, checkouts and fulfillments ends here.
Protected customer data (email, phone, names) is null unless the app was approved for it,
so every field of that kind is optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from plugin.models import OrderStatus, ProductStatus
from plugin.platforms.base import (
    CheckoutRecord,
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

# Fulfillment `shipment_status` (carrier updates relayed by Shopify) → our one status.
SHIPMENT_STATUSES: dict[str, TrackingStatus] = {
    "label_printed": TrackingStatus.CONFIRMED,
    "label_purchased": TrackingStatus.CONFIRMED,
    "confirmed": TrackingStatus.CONFIRMED,
    "in_transit": TrackingStatus.IN_TRANSIT,
    "out_for_delivery": TrackingStatus.OUT_FOR_DELIVERY,
    "attempted_delivery": TrackingStatus.ATTEMPTED_DELIVERY,
    "ready_for_pickup": TrackingStatus.READY_FOR_PICKUP,
    "picked_up": TrackingStatus.DELIVERED,
    "delivered": TrackingStatus.DELIVERED,
    "failure": TrackingStatus.EXCEPTION,
    "carrier_picked_up": TrackingStatus.IN_TRANSIT,
}


def _optional_money(value: Any, field: str) -> Decimal | None:
    return None if value in (None, "") else parse_money(value, field)


def platform_id(value: Any, field: str) -> str:
    """Shopify's numeric ids, as strings; a GID is reduced to its number."""
    if isinstance(value, bool) or value in (None, ""):
        raise PayloadError(f"{field} is missing")
    text = str(value).rsplit("/", 1)[-1]
    if not text.isdigit():
        raise PayloadError(f"{field} must be a numeric id, got {value!r}")
    return text


def _optional_id(value: Any, field: str) -> str | None:
    return None if value in (None, "") else platform_id(value, field)


def _require_mapping(payload: Any, what: str) -> Payload:
    if not isinstance(payload, Mapping):
        raise PayloadError(f"{what} payload must be a JSON object")
    return payload


def normalize_customer(payload: Any) -> CustomerRecord | None:
    if not isinstance(payload, Mapping) or payload.get("id") in (None, ""):
        return None
    return CustomerRecord(
        platform_customer_id=platform_id(payload["id"], "customer.id"),
        email=payload.get("email") or None,
        phone=payload.get("phone") or None,
        first_name=payload.get("first_name") or None,
        last_name=payload.get("last_name") or None,
        accepts_marketing=_accepts_marketing(payload),
        updated_at=parse_time(payload.get("updated_at"), "customer.updated_at"),
    )


def _accepts_marketing(customer: Payload) -> bool:
    consent = customer.get("email_marketing_consent")
    if isinstance(consent, Mapping):
        return consent.get("state") == "subscribed"
    return bool(customer.get("accepts_marketing"))


def order_status(payload: Payload) -> OrderStatus:
    """Shopify's financial and fulfillment statuses → one domain status."""
    financial = payload.get("financial_status")
    if payload.get("cancelled_at") or financial == "voided":
        return OrderStatus.CANCELLED
    if financial == "refunded":
        return OrderStatus.REFUNDED
    if payload.get("fulfillment_status") == "fulfilled":
        return OrderStatus.FULFILLED
    if financial in {"pending", "authorized", "expired"}:
        return OrderStatus.PENDING
    return OrderStatus.PAID


def normalize_line_item(
    payload: Any, refunds: Mapping[str, tuple[int, Decimal | None]] | None = None
) -> LineItemRecord:
    item = _require_mapping(payload, "line item")
    quantity = item.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        raise PayloadError(f"line item quantity must be a whole number, got {quantity!r}")
    price = parse_money(item.get("price", "0"), "line_items[].price")
    line_id = _optional_id(item.get("id"), "line_items[].id")
    refunded_quantity, refunded_amount = (refunds or {}).get(line_id or "", (0, None))
    refunded_quantity = min(refunded_quantity, quantity)
    return LineItemRecord(
        title=str(item.get("title") or item.get("name") or "Item"),
        quantity=quantity,
        price=price,
        platform_line_item_id=line_id,
        platform_product_id=_optional_id(item.get("product_id"), "line_items[].product_id"),
        platform_variant_id=_optional_id(item.get("variant_id"), "line_items[].variant_id"),
        refunded_quantity=refunded_quantity,
        refunded_amount=price * refunded_quantity if refunded_amount is None else refunded_amount,
    )


def refunded_lines(order: Payload) -> dict[str, tuple[int, Decimal | None]]:
    """Line item id → (quantity refunded, amount refunded before tax) over all of `refunds`.

    The amount is None when a refund line carries no `subtotal`: the line's price counts then.
    """
    refunds = order.get("refunds") or []
    if not isinstance(refunds, list):
        raise PayloadError("refunds must be a list")
    totals: dict[str, tuple[int, Decimal | None]] = {}
    for refund in refunds:
        for line in _require_mapping(refund, "refund").get("refund_line_items") or []:
            line = _require_mapping(line, "refund line item")
            line_id = _optional_id(line.get("line_item_id"), "refund_line_items[].line_item_id")
            quantity = line.get("quantity")
            if line_id is None or not isinstance(quantity, int) or isinstance(quantity, bool):
                continue
            amount = _optional_money(line.get("subtotal"), "refund_line_items[].subtotal")
            seen_quantity, seen_amount = totals.get(line_id, (0, Decimal("0")))
            both = None if amount is None or seen_amount is None else seen_amount + amount
            totals[line_id] = (seen_quantity + max(0, quantity), both)
    return totals


def discount_codes_of(order: Payload) -> tuple[str, ...]:
    """The codes the shopper entered at checkout (`discount_codes[].code`)."""
    codes = order.get("discount_codes") or []
    if not isinstance(codes, list):
        raise PayloadError("discount_codes must be a list")
    return tuple(
        str(entry["code"]).strip()[:64]
        for entry in codes
        if isinstance(entry, Mapping) and str(entry.get("code") or "").strip()
    )


def normalize_order(payload: Any) -> OrderRecord:
    order = _require_mapping(payload, "order")
    order_id = platform_id(order.get("id"), "id")
    placed_at = parse_time(order.get("processed_at") or order.get("created_at"), "created_at")
    if placed_at is None:
        raise PayloadError("order has no created_at")
    line_items = order.get("line_items") or []
    if not isinstance(line_items, list):
        raise PayloadError("line_items must be a list")
    fulfillments = order.get("fulfillments") or []
    if not isinstance(fulfillments, list):
        raise PayloadError("fulfillments must be a list")
    refunds = refunded_lines(order)
    return OrderRecord(
        platform_order_id=order_id,
        placed_at=placed_at,
        currency=str(order.get("currency") or "USD")[:3].upper(),
        total_price=parse_money(order.get("total_price", "0"), "total_price"),
        subtotal_price=_optional_money(order.get("subtotal_price"), "subtotal_price"),
        status=order_status(order),
        line_items=tuple(normalize_line_item(item, refunds) for item in line_items),
        name=order.get("name"),
        customer=normalize_customer(order.get("customer")),
        email=order.get("email") or order.get("contact_email") or None,
        financial_status=order.get("financial_status"),
        fulfillment_status=order.get("fulfillment_status"),
        checkout_token=order.get("checkout_token"),
        discount_codes=discount_codes_of(order),
        cancelled_at=parse_time(order.get("cancelled_at"), "cancelled_at"),
        updated_at=parse_time(order.get("updated_at"), "updated_at"),
        shipments=tuple(
            shipment
            for fulfillment in fulfillments
            for shipment in normalize_fulfillment(
                fulfillment, default_order_id=order_id, order=order
            )
        ),
    )


def _tracking_pairs(fulfillment: Payload) -> list[tuple[str, str | None]]:
    """(tracking number, tracking url) pairs; one empty pair when nothing is tracked yet."""
    numbers = [str(n) for n in fulfillment.get("tracking_numbers") or [] if n]
    if not numbers and fulfillment.get("tracking_number"):
        numbers = [str(fulfillment["tracking_number"])]
    urls = [str(u) for u in fulfillment.get("tracking_urls") or [] if u]
    if not urls and fulfillment.get("tracking_url"):
        urls = [str(fulfillment["tracking_url"])]
    if not numbers:
        return [("", urls[0] if urls else None)]
    return [(number, urls[i] if i < len(urls) else None) for i, number in enumerate(numbers)]


def fulfillment_tracking_status(fulfillment: Payload) -> TrackingStatus:
    if fulfillment.get("status") == "cancelled":
        return TrackingStatus.CANCELLED
    if fulfillment.get("status") in {"error", "failure"}:
        return TrackingStatus.EXCEPTION
    shipment_status = fulfillment.get("shipment_status")
    if shipment_status is None:
        return TrackingStatus.CONFIRMED
    return SHIPMENT_STATUSES.get(str(shipment_status), TrackingStatus.IN_TRANSIT)


def shipping_context(order: Payload | None, fulfillment: Payload) -> tuple[str | None, str | None]:
    """(service, destination region "US-NY") for ETA learning, from the order's shipping line
    and address (or the fulfillment's destination when it arrives on its own)."""
    address = fulfillment.get("destination") or (order or {}).get("shipping_address")
    region = None
    if isinstance(address, Mapping) and address.get("country_code"):
        parts = [str(address["country_code"]), str(address.get("province_code") or "")]
        region = "-".join(p for p in parts if p).upper()[:16]
    lines = (order or {}).get("shipping_lines")
    service = None
    if isinstance(lines, list) and lines and isinstance(lines[0], Mapping):
        service = str(lines[0].get("title") or lines[0].get("code") or "")[:64] or None
    return service, region


def normalize_fulfillment(
    payload: Any, default_order_id: str | None = None, order: Payload | None = None
) -> list[ShipmentRecord]:
    """One ShipmentRecord per tracking number of a fulfillment."""
    fulfillment = _require_mapping(payload, "fulfillment")
    fulfillment_id = platform_id(fulfillment.get("id"), "fulfillment.id")
    order_id = fulfillment.get("order_id") or default_order_id
    service, region = shipping_context(order, fulfillment)
    status = fulfillment_tracking_status(fulfillment)
    created_at = parse_time(fulfillment.get("created_at"), "fulfillment.created_at")
    updated_at = parse_time(fulfillment.get("updated_at"), "fulfillment.updated_at")
    events: list[ShipmentEventRecord] = []
    if created_at is not None:
        events.append(
            ShipmentEventRecord(
                at=created_at, status=TrackingStatus.CONFIRMED, message="Shipped by the store"
            )
        )
    if updated_at is not None and status != TrackingStatus.CONFIRMED:
        events.append(ShipmentEventRecord(at=updated_at, status=status))
    return [
        ShipmentRecord(
            platform_fulfillment_id=fulfillment_id,
            platform_order_id=platform_id(order_id, "fulfillment.order_id"),
            tracking_number=number,
            tracking_url=url,
            carrier=fulfillment.get("tracking_company") or None,
            status=status,
            platform_status=fulfillment.get("shipment_status") or fulfillment.get("status"),
            shipped_at=created_at,
            delivered_at=updated_at if status == TrackingStatus.DELIVERED else None,
            updated_at=updated_at,
            events=tuple(events),
            service=service,
            destination_region=region,
        )
        for number, url in _tracking_pairs(fulfillment)
    ]


def _variant_available(variant: Payload) -> bool:
    if variant.get("inventory_management") in (None, ""):
        return True  # stock not tracked: always sellable
    if variant.get("inventory_policy") == "continue":
        return True  # the merchant sells when out of stock
    quantity = variant.get("inventory_quantity")
    return isinstance(quantity, int) and quantity > 0


def _product_image(product: Payload) -> str | None:
    image = product.get("image")
    if isinstance(image, Mapping) and image.get("src"):
        return str(image["src"])
    for key in ("images", "media"):
        items = product.get(key)
        if isinstance(items, list) and items and isinstance(items[0], Mapping):
            first = items[0]
            source = first.get("src") or (first.get("preview_image") or {}).get("src")
            if source:
                return str(source)
    return None


def normalize_product(payload: Any) -> ProductRecord:
    product = _require_mapping(payload, "product")
    variants = product.get("variants") or []
    if not isinstance(variants, list):
        raise PayloadError("variants must be a list")
    status = str(product.get("status") or "active")
    return ProductRecord(
        platform_product_id=platform_id(product.get("id"), "id"),
        title=str(product.get("title") or "Untitled product"),
        status=status if status in {s.value for s in ProductStatus} else ProductStatus.DRAFT,
        handle=product.get("handle"),
        vendor=product.get("vendor"),
        product_type=product.get("product_type") or None,
        tags=product.get("tags") or None,
        image_url=_product_image(product),
        updated_at=parse_time(product.get("updated_at"), "updated_at"),
        variants=tuple(
            VariantRecord(
                platform_variant_id=platform_id(v.get("id"), "variants[].id"),
                price=parse_money(v.get("price", "0"), "variants[].price"),
                compare_at_price=_optional_money(v.get("compare_at_price"), "compare_at_price"),
                title=v.get("title"),
                sku=v.get("sku") or None,
                position=int(v.get("position") or index + 1),
                inventory_quantity=v.get("inventory_quantity"),
                available=_variant_available(v),
            )
            for index, v in enumerate(_require_mapping(v, "variant") for v in variants)
        ),
    )


def normalize_checkout(payload: Any) -> CheckoutRecord:
    checkout = _require_mapping(payload, "checkout")
    token = checkout.get("token") or checkout.get("id")
    if token in (None, ""):
        raise PayloadError("checkout has neither token nor id")
    line_items = checkout.get("line_items") or []
    if not isinstance(line_items, list):
        raise PayloadError("line_items must be a list")
    product_ids = tuple(
        platform_id(item["product_id"], "line_items[].product_id")
        for item in (_require_mapping(i, "line item") for i in line_items)
        if item.get("product_id") not in (None, "")
    )
    return CheckoutRecord(
        platform_checkout_id=str(token),
        currency=str(checkout.get("presentment_currency") or checkout.get("currency") or "USD"),
        platform_product_ids=product_ids,
        customer=normalize_customer(checkout.get("customer")),
        email=checkout.get("email") or None,
        total_price=_optional_money(checkout.get("total_price"), "total_price"),
        completed_at=parse_time(checkout.get("completed_at"), "completed_at"),
        updated_at=parse_time(checkout.get("updated_at"), "updated_at"),
    )
