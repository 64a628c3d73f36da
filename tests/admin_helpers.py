"""Arranging stores, shoppers, orders, showings and parcels for the admin and analytics tests.

Rows are written directly (not through webhooks) so each test states exactly the history its
hand-computed figures come from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugin.admin.passwords import hash_password
from plugin.admin.tables import AdminUser, StoreAdmin
from plugin.models import (
    Customer,
    Impression,
    OfferEvent,
    Order,
    OrderStatus,
    Product,
    Shipment,
    Store,
    Surface,
    Variant,
    utcnow,
)

PASSWORD = "correct horse battery staple"


def at(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime:
    """A moment in November 2026 (UTC), the month the analytics fixtures live in."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def make_store(
    db: Session,
    name: str = "Corner Shop",
    *,
    platform: str = "woocommerce",
    domain: str | None = None,
    settings: dict[str, Any] | None = None,
    currency: str = "USD",
) -> Store:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    store = Store(
        platform=platform,
        domain=domain or f"https://{slug}.example",
        name=name,
        currency=currency,
        installed_at=utcnow(),
        settings=dict(settings or {}),
    )
    db.add(store)
    db.commit()
    return store


def make_customer(db: Session, store: Store, platform_id: str) -> Customer:
    customer = Customer(store_id=store.id, platform_customer_id=platform_id)
    db.add(customer)
    db.flush()
    return customer


def make_product(db: Session, store: Store, product_id: str, title: str) -> Product:
    product = Product(store_id=store.id, platform_product_id=product_id, title=title)
    product.variants.append(
        Variant(store_id=store.id, platform_variant_id=f"v{product_id}", price=Decimal("4.00"))
    )
    db.add(product)
    db.flush()
    return product


def make_order(
    db: Session,
    store: Store,
    number: int,
    placed_at: datetime,
    total: str = "20.00",
    customer: Customer | None = None,
    status: str = OrderStatus.PAID,
) -> Order:
    order = Order(
        store_id=store.id,
        platform_order_id=str(number),
        name=f"#{number}",
        customer_id=customer.id if customer else None,
        total_price=Decimal(total),
        currency=store.currency,
        placed_at=placed_at,
        status=status,
    )
    db.add(order)
    db.flush()
    return order


def show(
    db: Session,
    store: Store,
    created_at: datetime,
    product_ids: Sequence[str] = ("p1",),
    *,
    order: Order | None = None,
    surface: Surface = Surface.THANK_YOU,
    in_holdout: bool = False,
) -> Impression:
    """One showing of a surface; a held-out showing carries no offers."""
    offers = (
        []
        if in_holdout
        else [
            {"offer_id": f"offer-{product_id}", "product_id": product_id, "price": "4.00"}
            for product_id in product_ids
        ]
    )
    impression = Impression(
        store_id=store.id,
        order_id=order.id if order else None,
        platform_order_id=order.platform_order_id if order else None,
        surface=surface.value,
        in_holdout=in_holdout,
        offers=offers,
        created_at=created_at,
    )
    db.add(impression)
    db.flush()
    return impression


def shopper_event(
    db: Session, impression: Impression, product_id: str, kind: str = "click"
) -> OfferEvent:
    event = OfferEvent(
        impression_id=impression.id,
        offer_id=f"offer-{product_id}",
        type=kind,
        created_at=impression.created_at,
    )
    db.add(event)
    db.flush()
    return event


def make_shipment(
    db: Session,
    store: Store,
    order: Order,
    status: str,
    *,
    shipped_at: datetime | None = None,
    delivered_at: datetime | None = None,
    estimated_delivery: datetime | None = None,
    number: str | None = None,
) -> Shipment:
    shipment = Shipment(
        store_id=store.id,
        order_id=order.id,
        platform_fulfillment_id=f"f{order.platform_order_id}-{number or '1'}",
        carrier="UPS",
        tracking_number=number or f"1Z{order.platform_order_id}",
        status=status,
        shipped_at=shipped_at,
        delivered_at=delivered_at,
        estimated_delivery=estimated_delivery,
    )
    db.add(shipment)
    db.flush()
    return shipment


def make_admin(
    db: Session, email: str, stores: Iterable[Store] = (), password: str = PASSWORD
) -> AdminUser:
    user = AdminUser(email=email.lower(), password_hash=hash_password(password))
    user.memberships = [StoreAdmin(store_id=store.id) for store in stores]
    db.add(user)
    db.commit()
    return user


def csrf_token_of(html: str) -> str:
    """The CSRF token a page carries (in its meta tag or a hidden form field)."""
    found = re.search(r'name="csrf[-_]token" (?:content|value)="([^"]+)"', html)
    assert found, "the page carries no CSRF token"
    return found.group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the login form; returns the session's CSRF token."""
    token = csrf_token_of(client.get("/admin/login").get_data(as_text=True))
    response = client.post(
        "/admin/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    landing = client.get(response.headers["Location"], follow_redirects=True)
    return csrf_token_of(landing.get_data(as_text=True))


def arrange_recent_activity(
    db: Session, store: Store, now: datetime, days: int = 30, holdout_share: float = 0.2
) -> int:
    """A month of shopper activity on a loaded store, for the dashboard's browser test.

    Each recent order's thank-you page is shown (held out by the store's real holdout rule),
    some offers are clicked, some parcels are looked up on the tracking page; later orders are
    attributed by the offers engine's own code; delivered orders get a rating. Deterministic.
    Returns the number of showings.
    """
    import random
    from datetime import timedelta

    from sqlalchemy import func, select

    from plugin.models import LineItem
    from plugin.offers.attribution import attribute_order
    from plugin.offers.exposures import record_exposures
    from plugin.offers.holdout import is_in_holdout
    from plugin.tracking.tables import Feedback, Notification

    rng = random.Random(7)
    popular = [
        str(product_id)
        for product_id, _ in db.execute(
            select(LineItem.platform_product_id, func.count())
            .where(LineItem.store_id == store.id, LineItem.platform_product_id.is_not(None))
            .group_by(LineItem.platform_product_id)
            .order_by(func.count().desc())
            .limit(12)
        )
    ]
    orders = db.scalars(
        select(Order)
        .where(Order.store_id == store.id, Order.placed_at >= now - timedelta(days=days))
        .order_by(Order.placed_at)
    ).all()
    notified = set(
        db.scalars(select(Notification.shipment_id).where(Notification.store_id == store.id))
    )
    rated = set(db.scalars(select(Feedback.order_id).where(Feedback.store_id == store.id)))
    showings = 0
    for order in orders:
        bought = {item.platform_product_id for item in order.line_items}
        held_out = is_in_holdout(store, order.platform_order_id, holdout_share)
        picks = [] if held_out else [p for p in popular if p not in bought][:3]
        offers = [
            {"offer_id": f"offer-{p}", "product_id": p, "strategy": "popular", "price": "4.00"}
            for p in picks
        ]
        customer = order.customer.platform_customer_id if order.customer else None
        impression = Impression(
            store_id=store.id,
            order_id=order.id,
            platform_order_id=order.platform_order_id,
            surface=Surface.THANK_YOU.value,
            platform_customer_id=customer,
            in_holdout=held_out,
            offers=offers,
            created_at=order.placed_at + timedelta(minutes=2),
        )
        db.add(impression)
        record_exposures(db, impression, offers)
        showings += 1
        if offers and rng.random() < 0.3:
            shopper_event(db, impression, picks[0], "click")
        for shipment in order.shipments:
            if rng.random() < 0.6:
                db.add(
                    Impression(
                        store_id=store.id,
                        order_id=order.id,
                        platform_order_id=order.platform_order_id,
                        surface=Surface.TRACKING_PAGE.value,
                        in_holdout=held_out,
                        offers=[],
                        created_at=(shipment.shipped_at or order.placed_at) + timedelta(hours=20),
                    )
                )
                showings += 1
            sent_at = (shipment.shipped_at or order.placed_at) + timedelta(minutes=5)
            if sent_at < now and shipment.id not in notified:
                notified.add(shipment.id)
                db.add(
                    Notification(
                        store_id=store.id,
                        shipment_id=shipment.id,
                        order_id=order.id,
                        milestone="shipped",
                        channel="email",
                        status="sent",
                        created_at=sent_at,
                        sent_at=sent_at,
                    )
                )
            delivered = shipment.status == "delivered" and shipment.delivered_at
            if delivered and order.id not in rated and rng.random() < 0.5:
                rated.add(order.id)
                db.add(
                    Feedback(
                        store_id=store.id,
                        order_id=order.id,
                        rating=rng.choice([3, 4, 4, 5, 5, 5]),
                        created_at=shipment.delivered_at + timedelta(hours=3),
                    )
                )
        db.flush()
    for order in orders:
        attribute_order(db, store, order)
    db.commit()
    return showings
