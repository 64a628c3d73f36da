"""Write platform records into the domain models. Older data never overwrites newer data.

Every function takes the caller's session and does not commit: a job commits once, so an
event's effects land together or not at all.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from plugin.models import (
    Checkout,
    Customer,
    LineItem,
    Order,
    Product,
    ProductStatus,
    Shipment,
    ShipmentEvent,
    Store,
    Variant,
)
from plugin.offers.learning import learn_from_order
from plugin.platforms.base import (
    CheckoutRecord,
    CustomerRecord,
    OrderRecord,
    ProductRecord,
    ShipmentRecord,
)
from plugin.tracking.changes import after_shipment_saved


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    STALE = "stale"  # an older (or the same) version arrived after a newer one: ignored


def is_stale(stored: datetime | None, incoming: datetime | None) -> bool:
    """True when the incoming version is not newer than what we already have."""
    return stored is not None and incoming is not None and incoming <= stored


def upsert_customer(db: Session, store: Store, record: CustomerRecord) -> Customer:
    customer = db.scalar(
        select(Customer).where(
            Customer.store_id == store.id,
            Customer.platform_customer_id == record.platform_customer_id,
        )
    )
    if customer is None:
        customer = Customer(store_id=store.id, platform_customer_id=record.platform_customer_id)
        db.add(customer)
    elif is_stale(customer.platform_updated_at, record.updated_at):
        return customer
    if customer.redacted_at is None:
        # Protected fields arrive null without approval: keep what we have rather than erase it.
        customer.email = record.email or customer.email
        customer.phone = record.phone or customer.phone
        customer.first_name = record.first_name or customer.first_name
        customer.last_name = record.last_name or customer.last_name
    customer.accepts_marketing = record.accepts_marketing
    customer.platform_updated_at = record.updated_at or customer.platform_updated_at
    return customer


def upsert_product(db: Session, store: Store, record: ProductRecord) -> Outcome:
    product = db.scalar(
        select(Product).where(
            Product.store_id == store.id, Product.platform_product_id == record.platform_product_id
        )
    )
    outcome = Outcome.UPDATED
    if product is None:
        product = Product(store_id=store.id, platform_product_id=record.platform_product_id)
        db.add(product)
        outcome = Outcome.CREATED
    elif is_stale(product.platform_updated_at, record.updated_at):
        return Outcome.STALE
    product.title = record.title
    product.handle = record.handle
    product.vendor = record.vendor
    product.product_type = record.product_type
    product.tags = record.tags
    product.image_url = record.image_url
    product.status = record.status
    product.linked_product_ids = list(record.linked_product_ids) or None
    product.platform_updated_at = record.updated_at
    _sync_variants(db, store, product, record)
    return outcome


def _sync_variants(db: Session, store: Store, product: Product, record: ProductRecord) -> None:
    by_id = {v.platform_variant_id: v for v in product.variants}
    wanted = {v.platform_variant_id for v in record.variants}
    for gone in [v for key, v in by_id.items() if key not in wanted]:
        product.variants.remove(gone)
    for item in record.variants:
        variant = by_id.get(item.platform_variant_id)
        if variant is None:
            variant = Variant(store_id=store.id, platform_variant_id=item.platform_variant_id)
            product.variants.append(variant)
        variant.title = item.title
        variant.sku = item.sku
        variant.position = item.position
        variant.price = item.price
        variant.compare_at_price = item.compare_at_price
        variant.inventory_quantity = item.inventory_quantity
        variant.available = item.available
    db.flush()


def delete_product(
    db: Session, store: Store, platform_product_id: str, deleted_at: datetime | None = None
) -> Outcome:
    """Mark a product deleted (kept for past orders and analytics, never offered again)."""
    product = db.scalar(
        select(Product).where(
            Product.store_id == store.id, Product.platform_product_id == platform_product_id
        )
    )
    if product is None:
        return Outcome.STALE
    product.status = ProductStatus.DELETED
    for variant in product.variants:
        variant.available = False
    if deleted_at is not None:
        product.platform_updated_at = deleted_at
    return Outcome.UPDATED


def find_order(db: Session, store: Store, platform_order_id: str) -> Order | None:
    return db.scalar(
        select(Order).where(
            Order.store_id == store.id, Order.platform_order_id == platform_order_id
        )
    )


def upsert_order(db: Session, store: Store, record: OrderRecord) -> Outcome:
    order = find_order(db, store, record.platform_order_id)
    if order is not None and is_stale(order.platform_updated_at, record.updated_at):
        return Outcome.STALE
    customer = upsert_customer(db, store, record.customer) if record.customer else None
    outcome = Outcome.UPDATED
    if order is None:
        order = Order(store_id=store.id, platform_order_id=record.platform_order_id)
        db.add(order)
        outcome = Outcome.CREATED
    order.name = record.name
    order.customer = customer
    order.email = record.email or order.email
    order.currency = record.currency
    order.subtotal_price = record.subtotal_price
    order.total_price = record.total_price
    order.status = record.status
    order.financial_status = record.financial_status
    order.fulfillment_status = record.fulfillment_status
    order.order_key = record.order_key
    order.checkout_token = record.checkout_token
    order.placed_at = record.placed_at
    order.cancelled_at = record.cancelled_at
    order.platform_updated_at = record.updated_at
    order.discount_codes = list(record.discount_codes) or None
    if outcome is Outcome.UPDATED:
        db.execute(delete(LineItem).where(LineItem.order_id == order.id))
        db.expire(order, ["line_items"])
    order.line_items = [
        LineItem(
            store_id=store.id,
            platform_line_item_id=item.platform_line_item_id,
            platform_product_id=item.platform_product_id,
            platform_variant_id=item.platform_variant_id,
            title=item.title,
            quantity=item.quantity,
            price=item.price,
            refunded_quantity=item.refunded_quantity,
            refunded_amount=item.refunded_amount,
        )
        for item in record.line_items
    ]
    db.flush()
    for shipment in record.shipments:
        upsert_shipment(db, store, shipment, order=order)
    learn_from_order(db, store, order, created=outcome is Outcome.CREATED)
    return outcome


def upsert_checkout(db: Session, store: Store, record: CheckoutRecord) -> Outcome:
    checkout = db.scalar(
        select(Checkout).where(
            Checkout.store_id == store.id,
            Checkout.platform_checkout_id == record.platform_checkout_id,
        )
    )
    if checkout is not None and is_stale(checkout.platform_updated_at, record.updated_at):
        return Outcome.STALE
    customer = upsert_customer(db, store, record.customer) if record.customer else None
    if customer is not None:
        db.flush()  # a new customer needs its id before the checkout can point at it
    outcome = Outcome.UPDATED
    if checkout is None:
        checkout = Checkout(store_id=store.id, platform_checkout_id=record.platform_checkout_id)
        db.add(checkout)
        outcome = Outcome.CREATED
    checkout.customer_id = customer.id if customer is not None else None
    checkout.email = record.email or checkout.email
    checkout.currency = record.currency
    checkout.total_price = record.total_price
    checkout.platform_product_ids = list(record.platform_product_ids)
    checkout.completed_at = record.completed_at
    checkout.platform_updated_at = record.updated_at
    return outcome


def upsert_shipment(
    db: Session, store: Store, record: ShipmentRecord, order: Order | None = None
) -> Outcome:
    """Write one tracked parcel. Without its order (not arrived yet) the job retries later."""
    if order is None:
        order = find_order(db, store, record.platform_order_id)
        if order is None:
            raise LookupError(
                f"order {record.platform_order_id} has not arrived yet; retrying the fulfillment"
            )
    shipment = db.scalar(
        select(Shipment).where(
            Shipment.store_id == store.id,
            Shipment.platform_fulfillment_id == record.platform_fulfillment_id,
            Shipment.tracking_number == record.tracking_number,
        )
    )
    outcome = Outcome.UPDATED
    previous_status = shipment.status if shipment is not None else None
    if shipment is None:
        shipment = Shipment(
            store_id=store.id,
            order_id=order.id,
            platform_fulfillment_id=record.platform_fulfillment_id,
            tracking_number=record.tracking_number,
        )
        db.add(shipment)
        outcome = Outcome.CREATED
    elif is_stale(shipment.platform_updated_at, record.updated_at):
        return Outcome.STALE
    shipment.carrier = record.carrier
    shipment.tracking_url = record.tracking_url
    shipment.status = record.status
    shipment.platform_status = record.platform_status
    shipment.shipped_at = record.shipped_at or shipment.shipped_at
    shipment.delivered_at = record.delivered_at or shipment.delivered_at
    shipment.estimated_delivery = record.estimated_delivery or shipment.estimated_delivery
    shipment.platform_updated_at = record.updated_at
    shipment.service = record.service or shipment.service
    shipment.destination_region = record.destination_region or shipment.destination_region
    db.flush()
    known = {(e.at, e.status) for e in shipment.events}
    for event in record.events:
        if (event.at, event.status) not in known:
            shipment.events.append(
                ShipmentEvent(
                    at=event.at, status=event.status, message=event.message, location=event.location
                )
            )
            known.add((event.at, event.status))
    after_shipment_saved(db, store, shipment, previous_status)  # estimate, polls, messages
    return outcome
