"""Uninstall and data-protection duties: revoke access, erase a shopper, erase a shop."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from plugin.models import (
    Checkout,
    Customer,
    DataRequest,
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
    emails = {e for e in (email, customer.email if customer else None) if e}
    if customer is not None:
        customer.email = customer.phone = customer.first_name = customer.last_name = None
        customer.redacted_at = utcnow()
        changed += 1 + forget_shopper(db, customer.id)
    for model in (Order, Checkout):
        filters: list[Any] = []
        if customer is not None:
            filters.append(model.customer_id == customer.id)
        if emails:
            filters.append(model.email.in_(emails))
        if model is Order and platform_order_ids:
            filters.append(Order.platform_order_id.in_(list(platform_order_ids)))
        if filters:
            if model is Order:  # shipping messages keep their counts, not their addresses
                order_ids = select(Order.id).where(Order.store_id == store.id, or_(*filters))
                changed += redact_recipients(db, store, db.scalars(order_ids).all())
            result = db.execute(
                update(model)
                .where(model.store_id == store.id, or_(*filters))
                .values(email=None)
                .execution_options(synchronize_session=False)
            )
            changed += int(result.rowcount)  # type: ignore[attr-defined]
    changed += _redact_stored_payloads(db, store, platform_customer_id, emails)
    return changed


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
            or_(*(InboxEvent.body.contains(needle) for needle in needles)),
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
