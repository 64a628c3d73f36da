"""Arranging stores, products and orders for the storefront tests, the way webhooks would."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin import ingest
from plugin.crypto import seal
from plugin.models import Order, Store, StoreCredential, utcnow
from plugin.platforms.base import (
    CustomerRecord,
    LineItemRecord,
    OrderRecord,
    ProductRecord,
    ShipmentEventRecord,
    ShipmentRecord,
    VariantRecord,
)
from tests.conftest import SHOP, SHOPIFY_API_SECRET
from tests.shopify_helpers import make_session_token

OTHER_SHOP = "other-grocer.myshopify.com"
CUSTOMER_GID = "gid://shopify/Customer/{}"


def shopify_store(
    db: Session, shop: str = SHOP, name: str = "Fresh Grocer", with_token: bool = False
) -> Store:
    store = Store(platform="shopify", domain=shop, name=name, installed_at=utcnow())
    if with_token:
        store.credential = StoreCredential(access_token_sealed=seal("shpat_storefront_test"))
    db.add(store)
    db.commit()
    return store


def woocommerce_store(db: Session, url: str = "https://corner-shop.example") -> Store:
    store = Store(platform="woocommerce", domain=url, name="Corner Shop", installed_at=utcnow())
    db.add(store)
    db.commit()
    return store


def add_product(
    db: Session,
    store: Store,
    product_id: str,
    *,
    title: str | None = None,
    price: str = "5.00",
    compare_at: str | None = None,
    available: bool = True,
    status: str = "active",
    image_url: str | None = "https://cdn.shopify.com/s/files/1/product.jpg",
    variant_id: str | None = None,
) -> None:
    ingest.upsert_product(
        db,
        store,
        ProductRecord(
            platform_product_id=product_id,
            title=title or f"Product {product_id}",
            status=status,
            image_url=image_url,
            variants=(
                VariantRecord(
                    platform_variant_id=variant_id or f"9{product_id}",
                    price=Decimal(price),
                    compare_at_price=Decimal(compare_at) if compare_at else None,
                    available=available,
                ),
            ),
        ),
    )
    db.commit()


def add_order(
    db: Session,
    store: Store,
    order_id: str,
    product_ids: Iterable[str],
    *,
    customer_id: str | None = None,
    email: str | None = None,
    name: str | None = None,
    status: str = "paid",
    placed_at: datetime | None = None,
    shipments: tuple[ShipmentRecord, ...] = (),
    order_key: str | None = None,
) -> Order:
    """An order as its webhook would store it (so product popularity counts it too)."""
    ingest.upsert_order(
        db,
        store,
        OrderRecord(
            platform_order_id=order_id,
            placed_at=placed_at or utcnow() - timedelta(hours=1),
            currency=store.currency,
            total_price=Decimal("12.50"),
            status=status,
            name=name or f"#{order_id[-4:]}",
            email=email,
            order_key=order_key,
            customer=CustomerRecord(platform_customer_id=customer_id) if customer_id else None,
            line_items=tuple(
                LineItemRecord(
                    title=f"Product {pid}",
                    quantity=1,
                    price=Decimal("5.00"),
                    platform_product_id=pid,
                    platform_variant_id=f"9{pid}",
                )
                for pid in product_ids
            ),
            shipments=shipments,
        ),
    )
    db.commit()
    order = db.scalar(
        select(Order).where(Order.store_id == store.id, Order.platform_order_id == order_id)
    )
    assert order is not None
    return order


def shipment(
    order_id: str,
    status: str = "in_transit",
    *,
    number: str = "1Z999AA10123456784",
    fulfillment_id: str = "5012345678901",
    events: tuple[tuple[datetime, str, str | None, str | None], ...] = (),
    estimated: datetime | None = None,
) -> ShipmentRecord:
    return ShipmentRecord(
        platform_fulfillment_id=fulfillment_id,
        platform_order_id=order_id,
        tracking_number=number,
        tracking_url=f"https://www.ups.com/track?tracknum={number}",
        carrier="UPS",
        status=status,
        estimated_delivery=estimated,
        events=tuple(
            ShipmentEventRecord(at=at, status=s, message=message, location=location)
            for at, s, message, location in events
        ),
    )


def catalogue(db: Session, store: Store, count: int = 6) -> list[str]:
    """`count` available products (ids 1001, 1002, ...), ordered so 1001 is most popular."""
    ids = [str(1000 + n) for n in range(1, count + 1)]
    for pid in ids:
        add_product(db, store, pid, price=f"{int(pid) - 990}.50")
    # Earlier ids appear in more past orders, so popularity ranks them first.
    for rank, pid in enumerate(ids):
        for n in range(count - rank):
            ingest.upsert_order(db, store, _order_record(store, f"77{pid}{n:02d}", [pid]))
    db.commit()
    return ids


def _order_record(store: Store, order_id: str, product_ids: Iterable[str]) -> OrderRecord:
    return OrderRecord(
        platform_order_id=order_id,
        placed_at=utcnow() - timedelta(days=1),
        currency=store.currency,
        total_price=Decimal("5.00"),
        status="paid",
        line_items=tuple(
            LineItemRecord(
                title=f"Product {pid}", quantity=1, price=Decimal("5.00"), platform_product_id=pid
            )
            for pid in product_ids
        ),
    )


def bearer(**claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_session_token(**claims)}"}


def customer_sub(customer_id: str) -> str:
    return CUSTOMER_GID.format(customer_id)


def count(db: Session, model: Any) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def proxy_signature(params: Iterable[tuple[str, str]], secret: str = SHOPIFY_API_SECRET) -> str:
    """The app proxy signature: sorted `key=value` (repeated keys joined by ","), no separator."""
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    message = "".join(f"{key}={','.join(grouped[key])}" for key in sorted(grouped))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def proxy_query(
    extra: Iterable[tuple[str, str]] = (),
    *,
    shop: str = SHOP,
    customer_id: str = "",
    timestamp: int | None = None,
    secret: str = SHOPIFY_API_SECRET,
) -> list[tuple[str, str]]:
    """The query Shopify adds to a proxied request, signed, as (key, value) pairs."""
    params = [
        ("shop", shop),
        ("logged_in_customer_id", customer_id),
        ("path_prefix", "/apps/encore"),
        ("timestamp", str(int(time.time()) if timestamp is None else timestamp)),
        *extra,
    ]
    return [*params, ("signature", proxy_signature(params, secret))]
