"""The demo platform: bundled grocery history and demo webhook bodies → platform-free records.

The history has ids only. Names and prices come from the demo catalog, shoppers from the
demo shoppers, times from the demo timeline and parcels from demo shipping; this module puts
them together as the records every platform hands to `plugin.ingest`. It also reads the JSON
body of a demo `orders/create` event, which is what the job pipeline sees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from plugin.demo.catalog import CatalogItem
from plugin.demo.history import OrderLine
from plugin.demo.shipping import SHIPPING_WINDOW, parcel_for
from plugin.demo.shoppers import home_town, shopper
from plugin.demo.timeline import HistoryOrder, place_orders
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

CURRENCY = "USD"
FIRST_ORDER_NUMBER = 1001
FREE_SHIPPING_FROM = Decimal("35.00")
SHIPPING_FEE = Decimal("5.99")
_SHIPPED = {
    TrackingStatus.IN_TRANSIT,
    TrackingStatus.OUT_FOR_DELIVERY,
    TrackingStatus.DELIVERED,
}


def variant_id(product_id: str) -> str:
    """Each demo product has one variant; its id differs from the product's, as on Shopify."""
    return f"{product_id}01"


def product_record(item: CatalogItem, updated_at: datetime) -> ProductRecord:
    variant = VariantRecord(
        platform_variant_id=variant_id(item.product_id),
        price=item.price,
        title="Default",
        sku=f"FF-{item.product_id}",
        compare_at_price=item.compare_at_price,
        inventory_quantity=None,
        available=item.available,
    )
    return ProductRecord(
        platform_product_id=item.product_id,
        title=item.title,
        status=ProductStatus.ACTIVE,
        variants=(variant,),
        handle=item.handle,
        vendor=item.vendor,
        product_type=item.product_type,
        tags=", ".join(item.tags),
        image_url=item.image_url,
        updated_at=updated_at,
    )


def order_records(
    lines: Iterable[OrderLine], catalog: Mapping[str, CatalogItem], now: datetime
) -> list[OrderRecord]:
    """Every order with at least one catalog product, oldest first, named #1001, #1002, …"""
    by_order: dict[str, list[OrderLine]] = defaultdict(list)
    for line in lines:
        by_order[line.order_id].append(line)
    placed = place_orders(
        (
            HistoryOrder(o[0].order_id, o[0].user_id, o[0].order_number, o[0].days_since_prior)
            for o in by_order.values()
        ),
        now,
    )
    kept = [
        (placed[order_id], order_id, [line for line in order if line.product_id in catalog])
        for order_id, order in by_order.items()
    ]
    kept = [entry for entry in kept if entry[2]]  # orders with no catalog product are dropped
    kept.sort(key=lambda entry: (entry[0], entry[1]))
    return [
        _order_record(FIRST_ORDER_NUMBER + index, placed_at, order_lines, catalog, now)
        for index, (placed_at, _order_id, order_lines) in enumerate(kept)
    ]


def _order_record(
    number: int,
    placed_at: datetime,
    lines: list[OrderLine],
    catalog: Mapping[str, CatalogItem],
    now: datetime,
) -> OrderRecord:
    order_id, user_id = lines[0].order_id, lines[0].user_id
    items = tuple(
        LineItemRecord(
            title=catalog[line.product_id].title,
            quantity=1,
            price=catalog[line.product_id].price,
            platform_line_item_id=f"{order_id}-{line.add_to_cart_order}",
            platform_product_id=line.product_id,
            platform_variant_id=variant_id(line.product_id),
        )
        for line in sorted(lines, key=lambda line: line.add_to_cart_order)
    )
    subtotal = sum((item.price * item.quantity for item in items), Decimal("0"))
    shipping = SHIPPING_FEE if subtotal < FREE_SHIPPING_FROM else Decimal("0")
    customer = shopper(user_id)
    parcel = parcel_for(order_id, placed_at, now, home_town(user_id))
    shipped = now - placed_at > SHIPPING_WINDOW or (
        parcel is not None and TrackingStatus(parcel.status) in _SHIPPED
    )
    return OrderRecord(
        platform_order_id=order_id,
        placed_at=placed_at,
        currency=CURRENCY,
        total_price=subtotal + shipping,
        subtotal_price=subtotal,
        status=OrderStatus.FULFILLED if shipped else OrderStatus.PAID,
        financial_status="paid",
        fulfillment_status="fulfilled" if shipped else None,
        line_items=items,
        name=f"#{number}",
        customer=customer,
        email=customer.email,
        updated_at=parcel.updated_at if parcel and parcel.updated_at else placed_at,
        shipments=(parcel,) if parcel else (),
    )


# --- demo event bodies (what the job pipeline carries) -------------------------------------


def order_payload(record: OrderRecord) -> dict[str, Any]:
    """The JSON body of a demo `orders/create` event for this order."""
    customer = record.customer
    return {
        "id": record.platform_order_id,
        "name": record.name,
        "placed_at": _iso(record.placed_at),
        "updated_at": _iso(record.updated_at),
        "currency": record.currency,
        "status": record.status,
        "financial_status": record.financial_status,
        "fulfillment_status": record.fulfillment_status,
        "subtotal_price": _amount(record.subtotal_price),
        "total_price": _amount(record.total_price),
        "email": record.email,
        "customer": None
        if customer is None
        else {
            "id": customer.platform_customer_id,
            "email": customer.email,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "accepts_marketing": customer.accepts_marketing,
        },
        "line_items": [
            {
                "id": item.platform_line_item_id,
                "product_id": item.platform_product_id,
                "variant_id": item.platform_variant_id,
                "title": item.title,
                "quantity": item.quantity,
                "price": _amount(item.price),
            }
            for item in record.line_items
        ],
        "shipments": [_shipment_payload(shipment) for shipment in record.shipments],
    }


def _shipment_payload(shipment: ShipmentRecord) -> dict[str, Any]:
    return {
        "fulfillment_id": shipment.platform_fulfillment_id,
        "tracking_number": shipment.tracking_number,
        "carrier": shipment.carrier,
        "tracking_url": shipment.tracking_url,
        "status": shipment.status,
        "shipped_at": _iso(shipment.shipped_at),
        "delivered_at": _iso(shipment.delivered_at),
        "estimated_delivery": _iso(shipment.estimated_delivery),
        "updated_at": _iso(shipment.updated_at),
        "events": [
            {"at": _iso(e.at), "status": e.status, "message": e.message, "location": e.location}
            for e in shipment.events
        ],
    }


def normalize_order(payload: Any) -> OrderRecord:
    """Read a demo `orders/create` body; a body that cannot be understood is a PayloadError."""
    body = _mapping(payload, "order")
    order_id = _text(body, "id")
    customer = body.get("customer")
    line_items = body.get("line_items")
    if not isinstance(line_items, list) or not line_items:
        raise PayloadError("line_items must be a non-empty list")
    shipments = body.get("shipments") or []
    if not isinstance(shipments, list):
        raise PayloadError("shipments must be a list")
    status = _text(body, "status")
    if status not in {s.value for s in OrderStatus}:
        raise PayloadError(f"status {status!r} is not an order status")
    return OrderRecord(
        platform_order_id=order_id,
        placed_at=_required_time(body, "placed_at"),
        currency=_text(body, "currency"),
        total_price=_money(body, "total_price"),
        subtotal_price=_optional_money(body, "subtotal_price"),
        status=status,
        financial_status=_optional_text(body, "financial_status"),
        fulfillment_status=_optional_text(body, "fulfillment_status"),
        line_items=tuple(_line_item(_mapping(item, "line item")) for item in line_items),
        name=_optional_text(body, "name"),
        customer=None if customer is None else _customer(_mapping(customer, "customer")),
        email=_optional_text(body, "email"),
        updated_at=_time(body, "updated_at"),
        shipments=tuple(_shipment(_mapping(s, "shipment"), order_id) for s in shipments),
    )


def _customer(body: Mapping[str, Any]) -> CustomerRecord:
    return CustomerRecord(
        platform_customer_id=_text(body, "id"),
        email=_optional_text(body, "email"),
        first_name=_optional_text(body, "first_name"),
        last_name=_optional_text(body, "last_name"),
        accepts_marketing=bool(body.get("accepts_marketing", False)),
    )


def _line_item(body: Mapping[str, Any]) -> LineItemRecord:
    quantity = body.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise PayloadError(f"line item quantity must be a positive whole number, got {quantity!r}")
    return LineItemRecord(
        title=_text(body, "title"),
        quantity=quantity,
        price=_money(body, "price"),
        platform_line_item_id=_optional_text(body, "id"),
        platform_product_id=_optional_text(body, "product_id"),
        platform_variant_id=_optional_text(body, "variant_id"),
    )


def _shipment(body: Mapping[str, Any], order_id: str) -> ShipmentRecord:
    events = body.get("events") or []
    if not isinstance(events, list):
        raise PayloadError("shipment events must be a list")
    return ShipmentRecord(
        platform_fulfillment_id=_text(body, "fulfillment_id"),
        tracking_number=_text(body, "tracking_number"),
        status=_tracking_status(body, "status"),
        platform_order_id=order_id,
        carrier=_optional_text(body, "carrier"),
        tracking_url=_optional_text(body, "tracking_url"),
        platform_status=_optional_text(body, "status"),
        shipped_at=_time(body, "shipped_at"),
        delivered_at=_time(body, "delivered_at"),
        estimated_delivery=_time(body, "estimated_delivery"),
        updated_at=_time(body, "updated_at"),
        events=tuple(
            ShipmentEventRecord(
                at=_required_time(event, "at"),
                status=_tracking_status(event, "status"),
                message=_optional_text(event, "message"),
                location=_optional_text(event, "location"),
            )
            for event in (_mapping(e, "shipment event") for e in events)
        ),
    )


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PayloadError(f"{what} must be a JSON object, got {type(value).__name__}")
    return value


def _optional_text(body: Mapping[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise PayloadError(f"{key} must be text, got {type(value).__name__}")
    return str(value)


def _text(body: Mapping[str, Any], key: str) -> str:
    value = _optional_text(body, key)
    if value is None:
        raise PayloadError(f"{key} is missing")
    return value


def _tracking_status(body: Mapping[str, Any], key: str) -> str:
    value = _text(body, key)
    if value not in {s.value for s in TrackingStatus}:
        raise PayloadError(f"{key} {value!r} is not a tracking status")
    return value


def _time(body: Mapping[str, Any], key: str) -> datetime | None:
    return parse_time(_optional_text(body, key), key)


def _required_time(body: Mapping[str, Any], key: str) -> datetime:
    value = _time(body, key)
    if value is None:
        raise PayloadError(f"{key} is missing")
    return value


def _optional_money(body: Mapping[str, Any], key: str) -> Decimal | None:
    value = body.get(key)
    return None if value is None or value == "" else parse_money(value, key)


def _money(body: Mapping[str, Any], key: str) -> Decimal:
    value = _optional_money(body, key)
    if value is None:
        raise PayloadError(f"{key} is missing")
    return value


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"
