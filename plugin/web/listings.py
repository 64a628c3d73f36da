"""The rows the demo pages list: products, orders, one order in full, the inbox log."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Float, ScalarSelect, cast, func, select
from sqlalchemy.orm import Session, selectinload

from plugin.models import (
    Customer,
    InboxEvent,
    LineItem,
    Order,
    Product,
    Shipment,
    Store,
    Variant,
)
from plugin.web.paging import PER_PAGE, Page, requested_page

# How the products table can be sorted, by the `?sort=` value; the first is the default.
PRODUCT_SORTS = ("popular", "title", "price")


@dataclass(frozen=True)
class ProductRow:
    product: Product
    times_ordered: int

    @property
    def price(self) -> Decimal | None:
        return self.product.variants[0].price if self.product.variants else None

    @property
    def compare_at_price(self) -> Decimal | None:
        return self.product.variants[0].compare_at_price if self.product.variants else None


@dataclass(frozen=True)
class OrderRow:
    order: Order
    items: int

    @property
    def parcel_status(self) -> str | None:
        return self.order.shipments[-1].status if self.order.shipments else None


def shopper_name(customer: Customer | None) -> str:
    if customer is None:
        return "Guest"
    name = " ".join(part for part in (customer.first_name, customer.last_name) if part)
    return name or f"Shopper {customer.platform_customer_id}"


def product_types(db: Session, store: Store) -> list[str]:
    statement = (
        select(Product.product_type)
        .where(Product.store_id == store.id, Product.product_type.is_not(None))
        .distinct()
        .order_by(Product.product_type)
    )
    return [str(product_type) for product_type in db.scalars(statement)]


def product_page(
    db: Session, store: Store, sort: str = "popular", product_type: str | None = None
) -> Page[ProductRow]:
    """One page of the catalog with how often each product was ordered."""
    times_ordered = (
        select(LineItem.platform_product_id, func.count().label("n"))
        .where(LineItem.store_id == store.id)
        .group_by(LineItem.platform_product_id)
        .subquery()
    )
    ordered = func.coalesce(times_ordered.c.n, 0)
    filters: list[Any] = [Product.store_id == store.id]
    if product_type:
        filters.append(Product.product_type == product_type)
    total = int(db.scalar(select(func.count()).select_from(Product).where(*filters)) or 0)
    number = requested_page(total)
    statement = (
        select(Product, ordered)
        .outerjoin(
            times_ordered, times_ordered.c.platform_product_id == Product.platform_product_id
        )
        .where(*filters)
        .options(selectinload(Product.variants))
    )
    if sort == "title":
        statement = statement.order_by(Product.title, Product.id)
    elif sort == "price":
        statement = statement.order_by(
            _first_variant_price().nulls_last(), Product.title, Product.id
        )
    else:
        statement = statement.order_by(ordered.desc(), Product.title, Product.id)
    rows = db.execute(statement.limit(PER_PAGE).offset((number - 1) * PER_PAGE)).all()
    return Page(
        items=[ProductRow(product=product, times_ordered=int(n)) for product, n in rows],
        number=number,
        per_page=PER_PAGE,
        total=total,
    )


def _first_variant_price() -> ScalarSelect[Any]:
    # Money is exact text on SQLite: compare it as a number, or "10.99" sorts before "9.99".
    return (
        select(cast(Variant.price, Float))
        .where(Variant.product_id == Product.id)
        .order_by(Variant.position)
        .limit(1)
        .scalar_subquery()
    )


def order_page(db: Session, store: Store) -> Page[OrderRow]:
    """One page of orders, newest first, with how many lines each has."""
    total = int(
        db.scalar(select(func.count()).select_from(Order).where(Order.store_id == store.id)) or 0
    )
    number = requested_page(total)
    orders = db.scalars(
        select(Order)
        .where(Order.store_id == store.id)
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .options(selectinload(Order.customer), selectinload(Order.shipments))
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    ).all()
    items = dict(
        db.execute(
            select(LineItem.order_id, func.sum(LineItem.quantity))
            .where(LineItem.order_id.in_([order.id for order in orders]))
            .group_by(LineItem.order_id)
        ).all()
    )
    return Page(
        items=[OrderRow(order=order, items=int(items.get(order.id) or 0)) for order in orders],
        number=number,
        per_page=PER_PAGE,
        total=total,
    )


def find_order(db: Session, store: Store, platform_order_id: str) -> Order | None:
    """One order with everything its page shows, loaded up front."""
    return db.scalar(
        select(Order)
        .where(Order.store_id == store.id, Order.platform_order_id == platform_order_id)
        .options(
            selectinload(Order.line_items),
            selectinload(Order.customer),
            selectinload(Order.shipments).selectinload(Shipment.events),
        )
    )


def products_by_id(db: Session, store: Store, platform_ids: list[str]) -> dict[str, Product]:
    """The products an order's lines name (for their pictures), by platform id."""
    found = db.scalars(
        select(Product).where(
            Product.store_id == store.id, Product.platform_product_id.in_(platform_ids)
        )
    )
    return {product.platform_product_id: product for product in found}


def event_for_order(db: Session, event_key: str) -> InboxEvent | None:
    return db.scalar(select(InboxEvent).where(InboxEvent.event_key == event_key))


def latest_order(db: Session, store: Store, parcel_status: str | None = None) -> Order | None:
    """The newest order, or the newest whose parcel has reached `parcel_status`."""
    statement = select(Order).where(Order.store_id == store.id)
    if parcel_status is not None:
        statement = statement.where(
            Order.shipments.any(Shipment.status == parcel_status),
        )
    return db.scalar(statement.order_by(Order.placed_at.desc(), Order.id.desc()).limit(1))


def inbox_page(db: Session) -> Page[InboxEvent]:
    """The inbox of every store, newest first."""
    total = int(db.scalar(select(func.count()).select_from(InboxEvent)) or 0)
    number = requested_page(total)
    events = db.scalars(
        select(InboxEvent)
        .order_by(InboxEvent.received_at.desc(), InboxEvent.id.desc())
        .limit(PER_PAGE)
        .offset((number - 1) * PER_PAGE)
    ).all()
    return Page(items=list(events), number=number, per_page=PER_PAGE, total=total)
