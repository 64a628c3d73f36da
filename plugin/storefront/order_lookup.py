"""Finding an order from what a shopper types: its number and the email used to buy it.

Both must match, and a miss never says which one was wrong, so the form cannot be used to
learn which order numbers exist or which emails bought something.
"""

from __future__ import annotations

import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Customer, Order, Store
from plugin.storefront.orders import shown_with_the_order

MAX_ORDER_NUMBER_LENGTH = 40
MAX_EMAIL_LENGTH = 320
RECENT_ORDERS = 5


def _order_names(typed: str) -> set[str]:
    """ "1042", "#1042" and " #1042 " all mean the order named "#1042"."""
    bare = typed.strip().lstrip("#").strip()
    return {bare, f"#{bare}"} if bare else set()


def _same_email(stored: str | None, typed: str) -> bool:
    if not stored:
        return False
    return hmac.compare_digest(stored.strip().lower().encode(), typed.strip().lower().encode())


def find_order_by_number_and_email(
    db: Session, store: Store, order_number: str, email: str
) -> Order | None:
    """The order when both the number and the email match, else None (whatever was wrong)."""
    if not order_number or not email or "@" not in email:
        return None
    if len(order_number) > MAX_ORDER_NUMBER_LENGTH or len(email) > MAX_EMAIL_LENGTH:
        return None
    names = _order_names(order_number)
    if not names:
        return None
    candidates = db.scalars(
        select(Order)
        .where(Order.store_id == store.id, Order.name.in_(names))
        .options(*shown_with_the_order())
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(5)
    ).unique()
    for order in candidates:
        customer_email = order.customer.email if order.customer is not None else None
        if _same_email(order.email, email) or _same_email(customer_email, email):
            return order
    return None


def recent_orders_of(db: Session, store: Store, platform_customer_id: str) -> list[Order]:
    """A logged-in shopper's latest orders at this store, newest first."""
    customer_id = db.scalar(
        select(Customer.id).where(
            Customer.store_id == store.id, Customer.platform_customer_id == platform_customer_id
        )
    )
    if customer_id is None:
        return []
    return list(
        db.scalars(
            select(Order)
            .where(Order.store_id == store.id, Order.customer_id == customer_id)
            .options(*shown_with_the_order())
            .order_by(Order.placed_at.desc(), Order.id.desc())
            .limit(RECENT_ORDERS)
        ).unique()
    )
