"""Arranging offers-engine state the way the storefront and webhooks would make it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin import ingest
from plugin.crypto import seal
from plugin.jobs.worker import Worker
from plugin.models import Impression, InboxEvent, Order, Store, StoreCredential, Surface, utcnow
from plugin.offers.selection import Offer
from plugin.offers.tables import StrategyStats
from plugin.platforms.base import CustomerRecord, LineItemRecord, OrderRecord
from plugin.storefront.impressions import record_impression


def offer(
    product_id: str,
    strategy: str = "popular",
    *,
    code: str | None = None,
    percent: int = 0,
    price: str = "5.00",
) -> Offer:
    """An offer as selection would make it for a catalogue product (variant `9<id>`)."""
    return Offer(
        offer_id=f"{strategy}:{product_id}",
        platform_product_id=product_id,
        platform_variant_id=f"9{product_id}",
        title=f"Product {product_id}",
        image_url=None,
        price=Decimal(price),
        compare_at_price=None,
        currency="USD",
        discount_percent=percent,
        discount_code=code,
        reason="Popular at Fresh Grocer",
        strategy=strategy,
    )


def show(
    db: Session,
    store: Store,
    product_ids: Iterable[str],
    *,
    customer_id: str | None = None,
    order_id: str | None = None,
    surface: Surface = Surface.THANK_YOU,
    strategy: str = "popular",
    code: str | None = None,
    at: datetime | None = None,
) -> Impression:
    """Log a showing of these products through the storefront's own impression code."""
    return record_impression(
        db,
        store,
        surface,
        order_id=None,
        platform_order_id=order_id,
        platform_customer_id=customer_id,
        in_holdout=False,
        offers=[offer(pid, strategy, code=code, percent=10 if code else 0) for pid in product_ids],
        at=at,
    )


def line(
    product_id: str,
    quantity: int = 1,
    price: str = "5.00",
    *,
    line_id: str | None = None,
    refunded_quantity: int = 0,
    refunded_amount: str = "0",
) -> LineItemRecord:
    return LineItemRecord(
        title=f"Product {product_id}",
        quantity=quantity,
        price=Decimal(price),
        platform_line_item_id=line_id or f"55{product_id}",
        platform_product_id=product_id,
        platform_variant_id=f"9{product_id}",
        refunded_quantity=refunded_quantity,
        refunded_amount=Decimal(refunded_amount),
    )


def place_order(
    db: Session,
    store: Store,
    order_id: str,
    lines: Sequence[LineItemRecord],
    *,
    customer_id: str | None = None,
    placed_at: datetime | None = None,
    updated_at: datetime | None = None,
    codes: Sequence[str] = (),
    status: str = "paid",
    cancelled_at: datetime | None = None,
) -> Order:
    """Save an order (created or updated) the way its webhook job would, and commit."""
    ingest.upsert_order(
        db,
        store,
        OrderRecord(
            platform_order_id=order_id,
            placed_at=placed_at or utcnow() - timedelta(minutes=5),
            currency=store.currency,
            total_price=sum((item.price * item.quantity for item in lines), Decimal("0")),
            status=status,
            line_items=tuple(lines),
            customer=CustomerRecord(platform_customer_id=customer_id) if customer_id else None,
            discount_codes=tuple(codes),
            cancelled_at=cancelled_at,
            updated_at=updated_at,
        ),
    )
    db.commit()
    order = db.scalar(
        select(Order).where(Order.store_id == store.id, Order.platform_order_id == order_id)
    )
    assert order is not None
    return order


def arm(db: Session, store: Store, strategy: str, surface: str = "thank_you") -> dict[str, int]:
    """The bandit's counters for one strategy (zeros when it was never shown)."""
    db.expire_all()
    stats = db.scalar(
        select(StrategyStats).where(
            StrategyStats.store_id == store.id,
            StrategyStats.surface == surface,
            StrategyStats.strategy == strategy,
        )
    )
    names = ("shown", "clicks", "conversions", "successes")
    return {name: getattr(stats, name) if stats else 0 for name in names}


def queued(db: Session, kind: str) -> list[InboxEvent]:
    db.expire_all()
    return list(db.scalars(select(InboxEvent).where(InboxEvent.kind == kind)))


def run_jobs(app: Flask, now: datetime | None = None) -> int:
    """What the worker would do next: run every due job."""
    return Worker(app, worker_id="offers-test").drain(now=now)


def with_shopify_token(db: Session, store: Store) -> Store:
    store.credential = StoreCredential(access_token_sealed=seal("shpat_offers_test"))
    db.commit()
    return store


def with_woocommerce_keys(db: Session, store: Store) -> Store:
    store.credential = StoreCredential(
        consumer_key_sealed=seal("ck_offers_test"),
        consumer_secret_sealed=seal("cs_offers_test"),
        scopes="read_write",
    )
    db.commit()
    return store


def settings(db: Session, store: Store, **values: Any) -> None:
    """Set merchant settings as the admin would save them."""
    for key, value in values.items():
        store.settings[key] = value
    db.commit()
