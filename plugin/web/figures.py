"""The demo store at a glance: what the home page counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from plugin.models import Customer, InboxEvent, Order, Product, Shipment, Store, Variant
from plugin.tracking.status import TrackingStatus

# The parcel statuses the home page always lists, in the order a parcel goes through them.
PARCEL_JOURNEY = (
    TrackingStatus.CONFIRMED,
    TrackingStatus.IN_TRANSIT,
    TrackingStatus.OUT_FOR_DELIVERY,
    TrackingStatus.DELIVERED,
)


@dataclass(frozen=True)
class StoreFigures:
    products: int
    out_of_stock: int
    orders: int
    shoppers: int
    first_order_at: datetime | None
    last_order_at: datetime | None
    parcels_by_status: dict[str, int]
    events_by_status: dict[str, int]

    @property
    def parcels(self) -> int:
        return sum(self.parcels_by_status.values())


def store_figures(db: Session, store: Store) -> StoreFigures:
    def count(statement: Select[Any]) -> int:
        return int(db.scalar(statement) or 0)

    in_stock = exists().where(Variant.product_id == Product.id, Variant.available.is_(True))
    first_at, last_at = db.execute(
        select(func.min(Order.placed_at), func.max(Order.placed_at)).where(
            Order.store_id == store.id
        )
    ).one()
    parcels = {str(s): 0 for s in PARCEL_JOURNEY}
    for status, n in db.execute(
        select(Shipment.status, func.count())
        .where(Shipment.store_id == store.id)
        .group_by(Shipment.status)
    ):
        parcels[str(status)] = int(n)
    events = {
        str(status): int(n)
        for status, n in db.execute(
            select(InboxEvent.status, func.count())
            .where(InboxEvent.store_id == store.id)
            .group_by(InboxEvent.status)
        )
    }
    return StoreFigures(
        products=count(
            select(func.count()).select_from(Product).where(Product.store_id == store.id)
        ),
        out_of_stock=count(
            select(func.count()).select_from(Product).where(Product.store_id == store.id, ~in_stock)
        ),
        orders=count(select(func.count()).select_from(Order).where(Order.store_id == store.id)),
        shoppers=count(
            select(func.count()).select_from(Customer).where(Customer.store_id == store.id)
        ),
        first_order_at=first_at,
        last_order_at=last_at,
        parcels_by_status=parcels,
        events_by_status=events,
    )
