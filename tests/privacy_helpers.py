"""Shoppers and orders carrying every kind of personal data, for retention and redaction tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Customer, Impression, Order, Store, utcnow
from plugin.offers.tables import OfferExposure
from plugin.tracking.tables import Feedback, Notification

OLD = utcnow() - timedelta(days=800)


def shopper(db: Session, store: Store, platform_id: str, updated: Any = OLD) -> Customer:
    customer = Customer(
        store_id=store.id,
        platform_customer_id=platform_id,
        email=f"shopper{platform_id}@example.com",
        phone="+15125550143",
        first_name="Maya",
        last_name="Chen",
        platform_updated_at=updated,
    )
    db.add(customer)
    db.flush()
    return customer


def order_with_traces(
    db: Session, store: Store, customer: Customer, order_id: str, placed: Any
) -> Order:
    """An order with everything that names its shopper: email, a message, feedback, offers."""
    order = Order(
        store_id=store.id,
        platform_order_id=order_id,
        customer_id=customer.id,
        email=customer.email,
        total_price=Decimal("24.00"),
        placed_at=placed,
    )
    db.add(order)
    db.flush()
    db.add(
        Notification(
            store_id=store.id,
            order_id=order.id,
            milestone="shipped",
            channel="email",
            status="sent",
            recipient=customer.email,
            created_at=placed,
        )
    )
    db.add(Feedback(store_id=store.id, order_id=order.id, rating=5, comment="Maya loved it"))
    impression = Impression(
        store_id=store.id,
        order_id=order.id,
        platform_order_id=order_id,
        surface="thank_you",
        platform_customer_id=customer.platform_customer_id,
        created_at=placed,
    )
    db.add(impression)
    db.flush()
    db.add(
        OfferExposure(
            store_id=store.id,
            impression_id=impression.id,
            offer_id="o1",
            platform_product_id="1001",
            strategy="popular",
            surface="thank_you",
            platform_customer_id=customer.platform_customer_id,
            platform_order_id=order_id,
            shown_at=placed,
        )
    )
    db.commit()
    return order


def traces(db: Session, order: Order) -> dict[str, Any]:
    """What is left of an order's personal data."""
    db.expire_all()
    return {
        "email": db.get(Order, order.id).email,
        "recipient": db.scalar(
            select(Notification.recipient).where(Notification.order_id == order.id)
        ),
        "comment": db.scalar(select(Feedback.comment).where(Feedback.order_id == order.id)),
        "impression shopper": db.scalar(
            select(Impression.platform_customer_id).where(Impression.order_id == order.id)
        ),
        "exposure shopper": db.scalar(
            select(OfferExposure.platform_customer_id).where(
                OfferExposure.platform_order_id == order.platform_order_id
            )
        ),
    }


ERASED = dict.fromkeys(("email", "recipient", "comment", "impression shopper", "exposure shopper"))
