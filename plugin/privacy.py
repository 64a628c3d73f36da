"""Uninstall and data-protection duties: revoke access, erase a shopper, erase a shop."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from plugin.models import (
    Checkout,
    Customer,
    DataRequest,
    Impression,
    InboxEvent,
    InboxStatus,
    Order,
    Store,
    StoreCredential,
    StoreStatus,
    utcnow,
)
from plugin.notifications import redact_recipients
from plugin.offers.recommender.forget import forget_shopper
from plugin.offers.tables import OfferExposure
from plugin.tracking.tables import Feedback, Notification

REDACTED_BODY = json.dumps({"redacted": True})


def revoke_store(db: Session, store: Store) -> None:
    """The merchant uninstalled: forget the tokens at once, keep the data until shop redact."""
    db.execute(delete(StoreCredential).where(StoreCredential.store_id == store.id))
    db.expire(store, ["credential"])
    store.status = StoreStatus.UNINSTALLED
    store.uninstalled_at = utcnow()


def redact_customer(
    db: Session,
    store: Store,
    platform_customer_id: str | None,
    platform_order_ids: Iterable[str] = (),
    email: str | None = None,
) -> int:
    """Erase a shopper's personal data from customers, orders, checkouts and stored payloads.

    Orders stay (without personal data) so the merchant's revenue figures still add up.
    Returns how many rows were changed.
    """
    changed = 0
    customer = None
    if platform_customer_id:
        customer = db.scalar(
            select(Customer).where(
                Customer.store_id == store.id,
                Customer.platform_customer_id == platform_customer_id,
            )
        )
        changed += forget_shopper_id(db, store, platform_customer_id)
    emails = {e for e in (email, customer.email if customer else None) if e}
    if customer is not None:
        changed += erase_customer_details(db, customer)
        customer.redacted_at = utcnow()  # ingest never fills in a redacted shopper again
    for model in (Order, Checkout):
        filters: list[Any] = []
        if customer is not None:
            filters.append(model.customer_id == customer.id)
        if emails:
            # Emails are matched whatever their case ("Ada@Example.com" is ada@example.com).
            filters.append(func.lower(model.email).in_({e.lower() for e in emails}))
        if model is Order and platform_order_ids:
            filters.append(Order.platform_order_id.in_(list(platform_order_ids)))
        if not filters:
            continue
        if model is Order:
            order_ids = select(Order.id).where(Order.store_id == store.id, or_(*filters))
            changed += erase_order_contacts(db, store, db.scalars(order_ids).all())
        else:
            changed += _rowcount(
                db.execute(
                    update(Checkout)
                    .where(Checkout.store_id == store.id, or_(*filters))
                    .values(email=None)
                    .execution_options(synchronize_session=False)
                )
            )
    changed += _redact_stored_payloads(db, store, platform_customer_id, emails)
    return changed


def erase_customer_details(db: Session, customer: Customer) -> int:
    """Blank what describes the shopper (contact, name) and forget their learned habits."""
    customer.email = customer.phone = customer.first_name = customer.last_name = None
    return 1 + forget_shopper(db, customer.id)


def forget_shopper_id(db: Session, store: Store, platform_customer_id: str) -> int:
    """Unlink the shopper's platform id from the offers they were shown."""
    changed = 0
    for model in (Impression, OfferExposure):
        changed += _rowcount(
            db.execute(
                update(model)
                .where(
                    model.store_id == store.id,
                    model.platform_customer_id == platform_customer_id,
                )
                .values(platform_customer_id=None)
                .execution_options(synchronize_session=False)
            )
        )
    return changed


def erase_order_contacts(db: Session, store: Store, order_ids: Sequence[int]) -> int:
    """Erase the shopper's traces on these orders: the order's email, where its shipping
    messages went, the feedback comment, and the shopper id on the offers shown with it.

    Amounts, products, parcels and ratings stay, so the merchant's figures still add up.
    """
    ids = list(order_ids)
    if not ids:
        return 0
    changed = redact_recipients(db, store, ids)
    impressions = select(Impression.id).where(Impression.order_id.in_(ids))
    statements = (
        update(Order).where(Order.store_id == store.id, Order.id.in_(ids)).values(email=None),
        update(Feedback)
        .where(Feedback.order_id.in_(ids), Feedback.comment.is_not(None))
        .values(comment=None),
        update(OfferExposure)
        .where(
            OfferExposure.impression_id.in_(impressions),
            OfferExposure.platform_customer_id.is_not(None),
        )
        .values(platform_customer_id=None),
        update(Impression)
        .where(Impression.order_id.in_(ids), Impression.platform_customer_id.is_not(None))
        .values(platform_customer_id=None),
    )
    for statement in statements:
        result = db.execute(statement.execution_options(synchronize_session=False))
        changed += _rowcount(result)
    return changed


def order_holds_contacts() -> ColumnElement[bool]:
    """SQL condition: the order still holds something `erase_order_contacts` would erase."""
    return or_(
        Order.email.is_not(None),
        select(Notification.id)
        .where(Notification.order_id == Order.id, Notification.recipient.is_not(None))
        .exists(),
        select(Feedback.id)
        .where(Feedback.order_id == Order.id, Feedback.comment.is_not(None))
        .exists(),
        select(Impression.id)
        .where(Impression.order_id == Order.id, Impression.platform_customer_id.is_not(None))
        .exists(),
    )


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _redact_stored_payloads(
    db: Session, store: Store, platform_customer_id: str | None, emails: set[str]
) -> int:
    """Finished webhook bodies may still carry the shopper's details: blank those."""
    needles = list(emails)
    if platform_customer_id:
        needles.append(f'"id": {platform_customer_id}')
        needles.append(f'"id":{platform_customer_id}')
    if not needles:
        return 0
    finished = db.scalars(
        select(InboxEvent).where(
            InboxEvent.shop_domain == store.domain,
            InboxEvent.status.in_([InboxStatus.DONE, InboxStatus.DEAD]),
            # Lower-cased on both sides: SQLite's LIKE ignores case, PostgreSQL's does not.
            or_(
                *(
                    func.lower(InboxEvent.body).contains(needle.lower(), autoescape=True)
                    for needle in needles
                )
            ),
        )
    ).all()
    for event in finished:
        event.body = REDACTED_BODY
    return len(finished)


def redact_shop(db: Session, store: Store, keep_event_id: int | None = None) -> None:
    """Erase everything Encore holds about a shop (48 h after uninstall)."""
    db.execute(
        delete(InboxEvent).where(
            InboxEvent.shop_domain == store.domain,
            InboxEvent.id != (keep_event_id or -1),
        )
    )
    # Customers, orders, products, shipments and tokens go with it (ON DELETE CASCADE).
    db.execute(delete(Store).where(Store.id == store.id))
    db.expunge(store)


def record_data_request(
    db: Session,
    store: Store,
    platform_customer_id: str | None,
    platform_order_ids: Iterable[str],
    platform_request_id: str | None,
) -> DataRequest:
    """A shopper asked the merchant for their data: keep the request for the admin to answer."""
    request = DataRequest(
        store_id=store.id,
        platform_customer_id=platform_customer_id,
        platform_order_ids=list(platform_order_ids),
        platform_request_id=platform_request_id,
    )
    db.add(request)
    return request
