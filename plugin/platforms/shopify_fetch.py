"""Read one order, product or the shop itself from Admin GraphQL, as platform-free records.

Used when a webhook is missing or late (e.g. the thank-you page asks before orders/create
arrived) and after install. Maps onto the same records as the REST webhook bodies, with the
same ids: numeric, as strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from plugin.models import ProductStatus, Store
from plugin.platforms.base import (
    CustomerRecord,
    LineItemRecord,
    OrderRecord,
    PayloadError,
    ProductRecord,
    ShipmentEventRecord,
    ShipmentRecord,
    VariantRecord,
)
from plugin.platforms.shopify import (
    SHIPMENT_STATUSES,
    order_status,
    parse_money,
    parse_time,
    platform_id,
)
from plugin.platforms.shopify_admin import ShopifyAdminClient, admin_client_for
from plugin.tracking.status import TrackingStatus

Node = Mapping[str, Any]

LINE_ITEMS = """
    nodes {
      id
      title
      quantity
      product { legacyResourceId }
      variant { legacyResourceId }
      originalUnitPriceSet { shopMoney { amount currencyCode } }
    }
    pageInfo { hasNextPage endCursor }
"""

ORDER_QUERY = f"""
query EncoreOrder($id: ID!) {{
  order(id: $id) {{
    legacyResourceId
    name
    createdAt
    processedAt
    updatedAt
    cancelledAt
    currencyCode
    displayFinancialStatus
    displayFulfillmentStatus
    totalPriceSet {{ shopMoney {{ amount currencyCode }} }}
    subtotalPriceSet {{ shopMoney {{ amount currencyCode }} }}
    customer {{ legacyResourceId }}
    lineItems(first: 100) {{ {LINE_ITEMS} }}
    fulfillments(first: 20) {{
      id
      status
      displayStatus
      createdAt
      updatedAt
      deliveredAt
      estimatedDeliveryAt
      trackingInfo(first: 10) {{ company number url }}
    }}
  }}
}}
"""

MORE_LINE_ITEMS_QUERY = f"""
query EncoreOrderLineItems($id: ID!, $after: String) {{
  order(id: $id) {{
    lineItems(first: 100, after: $after) {{ {LINE_ITEMS} }}
  }}
}}
"""

# First 100 variants: enough to recommend from; the product webhook carries the rest.
PRODUCT_QUERY = """
query EncoreProduct($id: ID!) {
  product(id: $id) {
    legacyResourceId
    title
    handle
    vendor
    productType
    tags
    status
    updatedAt
    featuredMedia { preview { image { url } } }
    variants(first: 100) {
      nodes {
        legacyResourceId
        title
        sku
        position
        price
        compareAtPrice
        availableForSale
        inventoryQuantity
      }
    }
  }
}
"""

SHOP_QUERY = """
query EncoreShop {
  shop { name currencyCode ianaTimezone }
}
"""

# Fulfillment display statuses that mean "handed over, not yet moving" or "no carrier data".
CONFIRMED_DISPLAY_STATUSES = {"fulfilled", "marked_as_fulfilled", "submitted"}
FULFILLMENT_STATUS_NAMES = {"FULFILLED": "fulfilled", "PARTIALLY_FULFILLED": "partial"}


def _client(db: Session, store: Store, client: ShopifyAdminClient | None) -> ShopifyAdminClient:
    return client if client is not None else admin_client_for(db, store)


def fetch_order(
    db: Session,
    store: Store,
    platform_order_id: str,
    client: ShopifyAdminClient | None = None,
) -> OrderRecord | None:
    """The order as Shopify has it now, or None when the shop has no such order."""
    client = _client(db, store, client)
    order_gid = f"gid://shopify/Order/{platform_id(platform_order_id, 'order id')}"
    order = client.execute(ORDER_QUERY, {"id": order_gid}).get("order")
    if not isinstance(order, Mapping):
        return None
    line_nodes = list(_nodes(order.get("lineItems")))
    connection = order.get("lineItems") or {}
    pages = 1
    while (connection.get("pageInfo") or {}).get("hasNextPage") and pages < 20:
        after = connection["pageInfo"].get("endCursor")
        more = client.execute(MORE_LINE_ITEMS_QUERY, {"id": order_gid, "after": after})
        connection = (more.get("order") or {}).get("lineItems") or {}
        line_nodes.extend(_nodes(connection))
        pages += 1
    return order_record(order, line_nodes)


def fetch_product(
    db: Session,
    store: Store,
    platform_product_id: str,
    client: ShopifyAdminClient | None = None,
) -> ProductRecord | None:
    """The product as Shopify has it now, or None when it does not exist (any more)."""
    client = _client(db, store, client)
    product_gid = f"gid://shopify/Product/{platform_id(platform_product_id, 'product id')}"
    product = client.execute(PRODUCT_QUERY, {"id": product_gid}).get("product")
    if not isinstance(product, Mapping):
        return None
    return product_record(product)


def refresh_shop_details(
    db: Session, store: Store, client: ShopifyAdminClient | None = None
) -> None:
    """Copy the shop's name, currency and time zone onto the Store (the caller commits)."""
    shop = _client(db, store, client).execute(SHOP_QUERY).get("shop") or {}
    if shop.get("name"):
        store.name = str(shop["name"])
    if shop.get("currencyCode"):
        store.currency = str(shop["currencyCode"])[:3]
    if shop.get("ianaTimezone"):
        store.timezone = str(shop["ianaTimezone"])


def _nodes(connection: Any) -> list[Node]:
    if not isinstance(connection, Mapping):
        return []
    return [n for n in connection.get("nodes") or [] if isinstance(n, Mapping)]


def _legacy_id(node: Any) -> str | None:
    if not isinstance(node, Mapping) or node.get("legacyResourceId") in (None, ""):
        return None
    return platform_id(node["legacyResourceId"], "legacyResourceId")


def _amount(money_set: Any, field: str) -> Decimal | None:
    shop_money = (money_set or {}).get("shopMoney") if isinstance(money_set, Mapping) else None
    if not isinstance(shop_money, Mapping) or shop_money.get("amount") in (None, ""):
        return None
    return parse_money(shop_money["amount"], field)


def order_record(order: Node, line_nodes: list[Node]) -> OrderRecord:
    """An Admin GraphQL `Order` → OrderRecord, matching what the orders webhook gives."""
    order_id = _legacy_id(order)
    if order_id is None:
        raise PayloadError("order has no legacyResourceId")
    placed_at = parse_time(order.get("processedAt") or order.get("createdAt"), "createdAt")
    if placed_at is None:
        raise PayloadError("order has no createdAt")
    financial = str(order.get("displayFinancialStatus") or "").lower() or None
    fulfillment_raw = str(order.get("displayFulfillmentStatus") or "")
    fulfillment = FULFILLMENT_STATUS_NAMES.get(fulfillment_raw)
    if fulfillment is None and fulfillment_raw not in ("", "UNFULFILLED"):
        fulfillment = fulfillment_raw.lower()
    customer_id = _legacy_id(order.get("customer"))
    return OrderRecord(
        platform_order_id=order_id,
        placed_at=placed_at,
        currency=str(order.get("currencyCode") or "USD")[:3].upper(),
        total_price=_amount(order.get("totalPriceSet"), "totalPriceSet") or Decimal("0"),
        subtotal_price=_amount(order.get("subtotalPriceSet"), "subtotalPriceSet"),
        status=order_status(
            {
                "financial_status": financial,
                "fulfillment_status": fulfillment,
                "cancelled_at": order.get("cancelledAt"),
            }
        ),
        line_items=tuple(_line_item(node) for node in line_nodes),
        name=order.get("name"),
        customer=CustomerRecord(platform_customer_id=customer_id) if customer_id else None,
        financial_status=financial,
        fulfillment_status=fulfillment,
        cancelled_at=parse_time(order.get("cancelledAt"), "cancelledAt"),
        updated_at=parse_time(order.get("updatedAt"), "updatedAt"),
        shipments=tuple(
            shipment
            for fulfillment_node in order.get("fulfillments") or []
            if isinstance(fulfillment_node, Mapping)
            for shipment in _shipments(fulfillment_node, order_id)
        ),
    )


def _line_item(node: Node) -> LineItemRecord:
    quantity = node.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
        raise PayloadError(f"line item quantity must be a whole number, got {quantity!r}")
    return LineItemRecord(
        title=str(node.get("title") or "Item"),
        quantity=quantity,
        price=_amount(node.get("originalUnitPriceSet"), "originalUnitPriceSet") or Decimal("0"),
        platform_line_item_id=platform_id(node["id"], "lineItem.id") if node.get("id") else None,
        platform_product_id=_legacy_id(node.get("product")),
        platform_variant_id=_legacy_id(node.get("variant")),
    )


def shipment_status(fulfillment: Node) -> TrackingStatus:
    """A fulfillment's `status` and `displayStatus` → our one tracking status."""
    status = str(fulfillment.get("status") or "").upper()
    if status == "CANCELLED":
        return TrackingStatus.CANCELLED
    if status in {"ERROR", "FAILURE"}:
        return TrackingStatus.EXCEPTION
    display = str(fulfillment.get("displayStatus") or "").lower()
    if not display or display in CONFIRMED_DISPLAY_STATUSES:
        return TrackingStatus.CONFIRMED
    if display in {"canceled", "label_voided"}:
        return TrackingStatus.CANCELLED
    if display == "not_delivered":
        return TrackingStatus.EXCEPTION
    return SHIPMENT_STATUSES.get(display, TrackingStatus.IN_TRANSIT)


def _shipments(fulfillment: Node, order_id: str) -> list[ShipmentRecord]:
    """One ShipmentRecord per tracking number, like the fulfillments webhook."""
    fulfillment_id = platform_id(fulfillment.get("id"), "fulfillment.id")
    status = shipment_status(fulfillment)
    created_at = parse_time(fulfillment.get("createdAt"), "fulfillment.createdAt")
    updated_at = parse_time(fulfillment.get("updatedAt"), "fulfillment.updatedAt")
    delivered_at = parse_time(fulfillment.get("deliveredAt"), "fulfillment.deliveredAt")
    events: list[ShipmentEventRecord] = []
    if created_at is not None:
        events.append(
            ShipmentEventRecord(
                at=created_at, status=TrackingStatus.CONFIRMED, message="Shipped by the store"
            )
        )
    last_change = delivered_at or updated_at
    if last_change is not None and status != TrackingStatus.CONFIRMED:
        events.append(ShipmentEventRecord(at=last_change, status=status))
    tracking = [t for t in fulfillment.get("trackingInfo") or [] if isinstance(t, Mapping)]
    if not tracking:
        tracking = [{}]  # shipped without a tracking number: still one parcel to show
    return [
        ShipmentRecord(
            platform_fulfillment_id=fulfillment_id,
            platform_order_id=order_id,
            tracking_number=str(info.get("number") or ""),
            tracking_url=info.get("url") or None,
            carrier=info.get("company") or None,
            status=status,
            platform_status=str(fulfillment.get("displayStatus") or "").lower() or None,
            shipped_at=created_at,
            delivered_at=delivered_at
            or (updated_at if status == TrackingStatus.DELIVERED else None),
            estimated_delivery=parse_time(
                fulfillment.get("estimatedDeliveryAt"), "fulfillment.estimatedDeliveryAt"
            ),
            updated_at=updated_at,
            events=tuple(events),
        )
        for info in tracking
    ]


def product_record(product: Node) -> ProductRecord:
    """An Admin GraphQL `Product` → ProductRecord, matching what the products webhook gives."""
    product_id = _legacy_id(product)
    if product_id is None:
        raise PayloadError("product has no legacyResourceId")
    status = str(product.get("status") or "ACTIVE").lower()
    tags = product.get("tags")
    image = (((product.get("featuredMedia") or {}).get("preview") or {}).get("image") or {}).get(
        "url"
    )
    return ProductRecord(
        platform_product_id=product_id,
        title=str(product.get("title") or "Untitled product"),
        # Anything Shopify may add later (e.g. unlisted) is kept out of offers until mapped.
        status=status if status in {s.value for s in ProductStatus} else ProductStatus.DRAFT,
        handle=product.get("handle"),
        vendor=product.get("vendor") or None,
        product_type=product.get("productType") or None,
        tags=", ".join(map(str, tags)) if isinstance(tags, list) and tags else None,
        image_url=str(image) if image else None,
        updated_at=parse_time(product.get("updatedAt"), "updatedAt"),
        variants=tuple(
            _variant(node, index) for index, node in enumerate(_nodes(product.get("variants")))
        ),
    )


def _variant(node: Node, index: int) -> VariantRecord:
    variant_id = _legacy_id(node)
    if variant_id is None:
        raise PayloadError("variant has no legacyResourceId")
    compare_at = node.get("compareAtPrice")
    quantity = node.get("inventoryQuantity")
    return VariantRecord(
        platform_variant_id=variant_id,
        price=parse_money(node.get("price") or "0", "variants.price"),
        compare_at_price=None
        if compare_at in (None, "")
        else parse_money(compare_at, "variants.compareAtPrice"),
        title=node.get("title"),
        sku=node.get("sku") or None,
        position=int(node.get("position") or index + 1),
        inventory_quantity=quantity if isinstance(quantity, int) else None,
        available=bool(node.get("availableForSale")),
    )
