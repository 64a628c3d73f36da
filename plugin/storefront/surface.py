"""What a storefront surface shows for one order: offers (unless held out) and tracking.

Computed once per (store, surface, order) and kept for a few seconds (`cache.py`); every
answer still logs its own impression.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from plugin.models import Customer, Order, Store, Surface, utcnow
from plugin.offers.holdout import is_held_out
from plugin.offers.job_requests import Wanted, request_wanted
from plugin.offers.selection import Offer, pick_offers
from plugin.offers.settings import offers_enabled
from plugin.platforms.cart_links import cart_url
from plugin.schemas import offer_out
from plugin.storefront.cache import TtlCache, cache_on_app
from plugin.storefront.impressions import record_impression
from plugin.storefront.safe_urls import web_url
from plugin.storefront.tracking_json import tracking_of

log = logging.getLogger(__name__)

DEFAULT_CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class SurfaceFacts:
    """Everything a surface shows for one order, free of database objects (safe to cache)."""

    order_id: int | None
    platform_order_id: str | None
    order_customer_id: str | None  # the platform id of the order's customer
    in_holdout: bool
    offers: tuple[Offer, ...] = ()
    offers_json: tuple[dict[str, Any], ...] = ()
    tracking: dict[str, Any] | None = None


def _cache() -> TtlCache[SurfaceFacts]:
    config = current_app.config
    return cache_on_app(
        current_app._get_current_object(),  # type: ignore[attr-defined]
        "surface_facts",
        ttl=float(config.get("STOREFRONT_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)),
    )


def _key(store: Store, surface: Surface, order_ref: str | None, cart: Sequence[str]) -> Hashable:
    return (store.id, surface.value, order_ref, tuple(cart))


def remembered_facts(
    store: Store, surface: Surface, order_ref: str | None, cart: Sequence[str] = ()
) -> SurfaceFacts | None:
    """Facts computed in the last few seconds: for the order, else for this order and cart."""
    cache = _cache()
    found = cache.get(_key(store, surface, order_ref, ()))
    if found is not None and (found.order_id is not None or not cart):
        return found
    # Facts made without the order depend on the cart they were made for.
    return cache.get(_key(store, surface, order_ref, cart)) if cart else None


def remember_facts(
    store: Store,
    surface: Surface,
    order_ref: str | None,
    facts: SurfaceFacts,
    cart: Sequence[str] = (),
) -> None:
    # Without the order the cart decided the offers, so it is part of what the facts mean.
    _cache().put(_key(store, surface, order_ref, () if facts.order_id else cart), facts)


def compute_facts(
    db: Session,
    store: Store,
    *,
    order: Order | None,
    platform_order_id: str | None,
    cart_product_ids: Sequence[str] = (),
    customer: Customer | None = None,
    with_tracking: bool,
    holdout_unit: str | None = None,
    surface: Surface | None = None,
) -> SurfaceFacts:
    """Offers and tracking for an order; without the order, for the products in the cart.

    `surface` decides the merchant's per-surface choices (offers on or off, pinned offers,
    whether recommendations fill) and the bandit's arm; callers that do not say are taken as
    the order-status page when they show tracking and as the thank-you page otherwise.
    """
    surface = surface or (Surface.ORDER_STATUS if with_tracking else Surface.THANK_YOU)
    if order is not None:
        products = frozenset(
            i.platform_product_id for i in order.line_items if i.platform_product_id
        )
        customer = order.customer or customer
    else:
        products = frozenset(cart_product_ids)
    unit = holdout_unit or platform_order_id or ",".join(sorted(products))
    in_holdout = is_held_out(store, unit, float(current_app.config.get("HOLDOUT_SHARE", 0.1)))
    offers: tuple[Offer, ...] = ()
    if not in_holdout and offers_enabled(store, surface):
        offers = _offers_or_none(db, store, surface, products, customer, order, platform_order_id)
    return SurfaceFacts(
        order_id=order.id if order is not None else None,
        platform_order_id=platform_order_id,
        order_customer_id=order.customer.platform_customer_id
        if order is not None and order.customer is not None
        else None,
        in_holdout=in_holdout,
        offers=offers,
        offers_json=tuple(offer_json(store, offer) for offer in offers),
        tracking=tracking_of(order) if with_tracking else None,
    )


def _offers_or_none(
    db: Session,
    store: Store,
    surface: Surface,
    products: frozenset[str],
    customer: Customer | None,
    order: Order | None,
    platform_order_id: str | None,
) -> tuple[Offer, ...]:
    """Offer trouble never breaks the page: the shopper just sees fewer (or no) offers.

    Codes and collections the offers needed but that do not exist yet are queued here, after
    choosing, for the worker to create; this page shows its offers without them.
    """
    wanted = Wanted()
    now = utcnow()
    try:
        offers = tuple(
            pick_offers(
                db,
                store,
                products,
                customer,
                surface=surface,
                order_value=_order_value(order),
                current_order_id=platform_order_id,
                now=now,
                wanted=wanted,
            )
        )
    except Exception:
        log.exception("offers for %s failed; answering without offers", store.domain)
        db.rollback()
        return ()
    if wanted:
        request_wanted(db, store, wanted, now)
    return offers


def _order_value(order: Order | None) -> Decimal | None:
    """What the shopper just spent on goods, for the price sanity rule (None: unknown)."""
    if order is None:
        return None
    return order.subtotal_price if order.subtotal_price is not None else order.total_price


def offer_json(store: Store, offer: Offer) -> dict[str, Any]:
    """One offer as extensions receive it (CONTRACT.md)."""
    return dict(
        offer_out.dump(
            {
                "offer_id": offer.offer_id,
                "product_id": offer.platform_product_id,
                "variant_id": offer.platform_variant_id,
                "title": offer.title,
                "image_url": web_url(offer.image_url),
                "price": offer.price,
                "compare_at_price": offer.compare_at_price,
                "currency": offer.currency,
                "discount_code": offer.discount_code,
                "discount_percent": offer.discount_percent,
                "cart_url": cart_url(
                    store, offer.platform_product_id, offer.platform_variant_id, offer.discount_code
                ),
                "reason": offer.reason,
            }
        )
    )


def answer(
    db: Session,
    store: Store,
    surface: Surface,
    facts: SurfaceFacts,
    shopper_customer_id: str | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Log this showing and return `{"impression_id", "offers", "tracking"}`.

    `limit` shows fewer offers than were computed (a theme block set to one or two cards);
    the impression records only what was shown.
    """
    shown = slice(0, limit)
    impression = record_impression(
        db,
        store,
        surface,
        order_id=facts.order_id,
        platform_order_id=facts.platform_order_id,
        platform_customer_id=shopper_customer_id or facts.order_customer_id,
        in_holdout=facts.in_holdout,
        offers=facts.offers[shown],
    )
    return {
        "impression_id": impression.public_id,
        "offers": list(facts.offers_json[shown]),
        "tracking": facts.tracking,
    }
