"""Reading orders for storefront surfaces: the order and what is shown with it, in few queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, joinedload, selectinload

from plugin.models import Order, Shipment, Store


def shown_with_the_order(with_tracking: bool = True, *, one_order: bool = False) -> list[Any]:
    """Loader options: line items and customer always; parcels only where tracking is shown.

    For `one_order` the line items ride along in the order's own query (one round trip less,
    the query must then be read with `.unique()`); a list of orders reads them separately.
    """
    line_items = joinedload(Order.line_items) if one_order else selectinload(Order.line_items)
    options: list[Any] = [line_items, joinedload(Order.customer)]
    if with_tracking:
        options.append(selectinload(Order.shipments).selectinload(Shipment.events))
    return options


# What the shopper sees must be what the database says now, even when this session already
# holds the order (e.g. stored a moment ago from a late fetch, its parcels written separately).
FRESH = {"populate_existing": True}


def load_order(
    db: Session, store: Store, platform_order_id: str, with_tracking: bool = True
) -> Order | None:
    """The store's order with line items (and parcels with their events), or None."""
    return _one_order(
        db,
        select(Order).where(
            Order.store_id == store.id, Order.platform_order_id == platform_order_id
        ),
        with_tracking,
    )


def load_order_by_tracking_token(db: Session, token: str) -> Order | None:
    return _one_order(db, select(Order).where(Order.tracking_token == token), True)


def _one_order(db: Session, query: Select[Order], with_tracking: bool) -> Order | None:
    options = shown_with_the_order(with_tracking, one_order=True)
    found = db.scalars(query.options(*options).execution_options(**FRESH)).unique()
    return found.one_or_none()


def belongs_to_another_store(db: Session, store: Store, platform_order_id: str) -> bool:
    """True when another store of the same platform has this order id.

    Shopify order ids are unique across shops, so an id we know under another shop is that
    shop's order, and this shop's extension must not learn anything about it.
    """
    return bool(
        db.scalar(
            select(
                exists().where(
                    Order.platform_order_id == platform_order_id,
                    Order.store_id != store.id,
                    Order.store_id.in_(select(Store.id).where(Store.platform == store.platform)),
                )
            )
        )
    )
