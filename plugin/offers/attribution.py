"""Which later orders an offer earned, and what they were worth net of refunds.

An offer converts when a later order of the same shopper (same platform customer), or an
order that used the offer's discount code, contains the offered product within the store's
attribution window (`attribution_window_days`, default 14) after the offer was shown.
Revenue is the order lines' price x quantity for that product; refunds arrive later as order
updates and are kept beside it (`net_revenue`). Runs in the order's job, once per order
change: replays and updates find the conversions they made before (unique keys) and only
refresh their amounts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from plugin.models import OfferEvent, OfferEventType, Order, OrderStatus, Store
from plugin.offers import bandit
from plugin.offers.settings import attribution_window
from plugin.offers.tables import DiscountCode, OfferConversion, OfferExposure

ZERO = Decimal("0")


def net_revenue(conversion: OfferConversion) -> Decimal:
    """What the conversion is worth after refunds (never below zero)."""
    return max(ZERO, (conversion.revenue or ZERO) - (conversion.refunded or ZERO))


@dataclass(frozen=True)
class ProductTakings:
    """One product's lines in an order: what they cost and what was refunded since."""

    revenue: Decimal
    refunded: Decimal


def order_takings(order: Order) -> dict[str, ProductTakings]:
    """Per product: price x quantity, and refunds (all of it when the order was cancelled or
    fully refunded: WooCommerce says "refunded" without per-line amounts)."""
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for line in order.line_items:
        if not line.platform_product_id:
            continue
        revenue, refunded = totals.get(line.platform_product_id, (ZERO, ZERO))
        totals[line.platform_product_id] = (
            revenue + line.price * line.quantity,
            refunded + (line.refunded_amount or ZERO),
        )
    nothing_kept = (
        order.cancelled_at is not None
        or order.status == OrderStatus.CANCELLED
        or order.status == OrderStatus.REFUNDED
    )
    return {
        product_id: ProductTakings(revenue, revenue if nothing_kept else min(refunded, revenue))
        for product_id, (revenue, refunded) in totals.items()
    }


def attribute_order(db: Session, store: Store, order: Order) -> list[OfferConversion]:
    """Record (or refresh) the conversions `order` brings; returns the new ones.

    Called for created and updated orders; the caller commits.
    """
    takings = order_takings(order)
    existing = {
        conversion.platform_product_id: conversion
        for conversion in db.scalars(_conversions_of_order(), {"order_id": order.id})
    }
    for product_id, conversion in existing.items():
        # A later refund (or an edit that removed the line) changes what the offer earned.
        now = takings.get(product_id, ProductTakings(ZERO, ZERO))
        conversion.revenue, conversion.refunded = now.revenue, now.refunded
    missing = set(takings) - set(existing)
    if not missing:
        return []
    created = []
    for exposure in _best_exposures(db, store, order, missing):
        taking = takings[exposure.platform_product_id]
        conversion = OfferConversion(
            store_id=store.id,
            impression_id=exposure.impression_id,
            offer_id=exposure.offer_id,
            platform_product_id=exposure.platform_product_id,
            strategy=exposure.strategy,
            surface=exposure.surface,
            order_id=order.id,
            revenue=taking.revenue,
            refunded=taking.refunded,
            currency=order.currency,
            converted_at=order.placed_at,
        )
        db.add(conversion)
        created.append(conversion)
    clicked = _clicked(db, created)
    for conversion in created:
        first = (conversion.impression_id, conversion.offer_id) not in clicked
        bandit.count_conversion(db, store.id, conversion.surface, conversion.strategy, first)
    return created


def _best_exposures(
    db: Session, store: Store, order: Order, product_ids: Collection[str]
) -> list[OfferExposure]:
    """For each product, the showing that earned it: clicked first, then code, then latest."""
    window = attribution_window(store)
    exposures = list(_shown_to_shopper(db, store, order, product_ids, window))
    exposures += _shown_with_used_code(db, store, order, product_ids, window)
    if not exposures:
        return []
    clicked = _clicked(db, exposures)
    codes = {code.upper() for code in order.discount_codes or []}
    best: dict[str, OfferExposure] = {}

    def merit(exposure: OfferExposure) -> tuple[bool, bool, object, int]:
        return (
            (exposure.impression_id, exposure.offer_id) in clicked,
            (exposure.discount_code or "").upper() in codes,
            exposure.shown_at,
            exposure.id,
        )

    for exposure in exposures:
        current = best.get(exposure.platform_product_id)
        if current is None or merit(exposure) > merit(current):
            best[exposure.platform_product_id] = exposure
    return [best[product_id] for product_id in sorted(best)]


# Every order job runs these, mostly for shoppers never shown an offer: the statements are
# built once with bound parameters, so a job pays only for executing them.


@cache
def _conversions_of_order() -> Select[Any]:
    return select(OfferConversion).where(OfferConversion.order_id == bindparam("order_id"))


def _in_window() -> list[ColumnElement[bool]]:
    """Shown before the order was placed, at most the window before it, on another order."""
    return [
        OfferExposure.store_id == bindparam("store_id"),
        OfferExposure.shown_at < bindparam("placed_at"),
        OfferExposure.shown_at >= bindparam("since"),
        or_(
            OfferExposure.platform_order_id.is_(None),
            OfferExposure.platform_order_id != bindparam("order_ref"),
        ),
    ]


def _window_params(store: Store, order: Order, window: timedelta) -> dict[str, Any]:
    return {
        "store_id": store.id,
        "placed_at": order.placed_at,
        "since": order.placed_at - window,
        "order_ref": order.platform_order_id,
    }


@cache
def _shopper_showings() -> Select[Any]:
    return select(OfferExposure).where(
        OfferExposure.platform_customer_id == bindparam("shopper"),
        OfferExposure.platform_product_id.in_(bindparam("products", expanding=True)),
        *_in_window(),
    )


@cache
def _latest_showing_with_code() -> Select[Any]:
    return (
        select(OfferExposure)
        .where(
            OfferExposure.platform_product_id == bindparam("product"),
            OfferExposure.discount_code.in_(bindparam("codes", expanding=True)),
            *_in_window(),
        )
        .order_by(OfferExposure.shown_at.desc(), OfferExposure.id.desc())
        .limit(1)
    )


def _shown_to_shopper(
    db: Session, store: Store, order: Order, product_ids: Collection[str], window: timedelta
) -> Iterable[OfferExposure]:
    shopper = order.customer.platform_customer_id if order.customer is not None else None
    if not shopper:
        return []
    params = _window_params(store, order, window)
    return db.scalars(
        _shopper_showings(), {**params, "shopper": shopper, "products": sorted(product_ids)}
    )


def _shown_with_used_code(
    db: Session, store: Store, order: Order, product_ids: Collection[str], window: timedelta
) -> list[OfferExposure]:
    """The latest showing of each product that carried a code this order used.

    Codes are shared by every offer of their percent, so the code proves an offer was behind
    the purchase; the latest showing of the product with that code stands for it.
    """
    typed = {code.upper() for code in order.discount_codes or [] if code}
    if not typed:
        return []
    ours = list(
        db.scalars(
            select(DiscountCode.code).where(
                DiscountCode.store_id == store.id, func.upper(DiscountCode.code).in_(typed)
            )
        )
    )
    if not ours:
        return []
    params = {**_window_params(store, order, window), "codes": ours}
    found = []
    for product_id in sorted(product_ids):
        exposure = db.scalar(_latest_showing_with_code(), {**params, "product": product_id})
        if exposure is not None:
            found.append(exposure)
    return found


def _clicked(db: Session, shown: Iterable[OfferExposure | OfferConversion]) -> set[tuple[int, str]]:
    """The (impression, offer) pairs among `shown` that the shopper clicked."""
    pairs = {(item.impression_id, item.offer_id) for item in shown}
    if not pairs:
        return set()
    rows = db.execute(
        select(OfferEvent.impression_id, OfferEvent.offer_id).where(
            OfferEvent.impression_id.in_(sorted({impression for impression, _ in pairs})),
            OfferEvent.type == OfferEventType.CLICK,
        )
    ).all()
    return {(impression, offer) for impression, offer in rows if (impression, offer) in pairs}
