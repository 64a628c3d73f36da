"""Merchant pinned offers (`pinned_offers` setting): shown first when their trigger matches.

A pin names a product, optional trigger products or collections (no trigger: always), a
discount and the surfaces it appears on. Pins are a strategy of their own, "pinned", so their
clicks and sales are measured like any other strategy's; they are never reordered by the
bandit: the merchant's choice comes first.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from plugin.models import Store, Surface
from plugin.offers.collections import collections_containing, collections_to_sync
from plugin.offers.settings import (
    SETTING_SURFACES,
    offer_discount_percent,
    percent_or,
    setting_surface,
)
from plugin.offers.strategies import Candidate

PINNED = "pinned"
MAX_PINS = 50  # far more than three slots need; keeps a runaway setting cheap to read
MAX_ID_LENGTH = 64


@dataclass(frozen=True)
class PinnedOffer:
    pin_id: str
    platform_product_id: str
    discount_percent: int
    trigger_product_ids: frozenset[str] = field(default_factory=frozenset)
    trigger_collection_ids: frozenset[str] = field(default_factory=frozenset)
    surfaces: frozenset[str] = frozenset(SETTING_SURFACES)
    active: bool = True

    @property
    def always(self) -> bool:
        return not self.trigger_product_ids and not self.trigger_collection_ids


def _ids(value: Any) -> frozenset[str] | None:
    """A list of ids as strings; None when the value is not such a list."""
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        return None
    ids = set()
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int):
            return None
        text = str(item).strip()
        if not text or len(text) > MAX_ID_LENGTH:
            return None
        ids.add(text)
    return frozenset(ids)


def _pin(entry: Any, index: int, default_percent: int) -> PinnedOffer | None:
    """One pin from the setting, or None when it cannot be read (it is then ignored)."""
    if not isinstance(entry, Mapping):
        return None
    product = entry.get("product_id")
    if isinstance(product, bool) or not isinstance(product, str | int):
        return None
    product_id = str(product).strip()
    trigger_products = _ids(entry.get("trigger_product_ids"))
    trigger_collections = _ids(entry.get("trigger_collection_ids"))
    if not product_id or len(product_id) > MAX_ID_LENGTH:
        return None
    if trigger_products is None or trigger_collections is None:
        # A trigger we cannot read must not turn into "no trigger" (= shown on every order).
        return None
    surfaces = entry.get("surfaces")
    if isinstance(surfaces, list) and all(s in SETTING_SURFACES for s in surfaces):
        on = frozenset(surfaces)
    else:
        on = frozenset(SETTING_SURFACES)
    active = entry.get("active")
    return PinnedOffer(
        pin_id=str(entry.get("id") or f"pin-{index + 1}")[:MAX_ID_LENGTH],
        platform_product_id=product_id,
        discount_percent=percent_or(entry.get("discount_percent"), default_percent),
        trigger_product_ids=trigger_products,
        trigger_collection_ids=trigger_collections,
        surfaces=on,
        active=active if isinstance(active, bool) else True,
    )


def pinned_offers(store: Store) -> tuple[PinnedOffer, ...]:
    """The store's readable pins, in the merchant's order."""
    settings = store.settings if isinstance(store.settings, Mapping) else {}
    entries = settings.get("pinned_offers")
    if not isinstance(entries, list):
        return ()
    default_percent = offer_discount_percent(store)
    pins = (_pin(entry, i, default_percent) for i, entry in enumerate(entries[:MAX_PINS]))
    return tuple(pin for pin in pins if pin is not None)


@dataclass(frozen=True)
class TriggeredPins:
    pins: tuple[PinnedOffer, ...]
    collections_to_sync: frozenset[str] = frozenset()


def triggered_pins(
    db: Session,
    store: Store,
    surface: Surface | str,
    order_product_ids: Collection[str],
    now: datetime,
) -> TriggeredPins:
    """The active pins of this surface whose trigger matches the order, in the merchant's order.

    Collection membership is read only when a pin needs it (one query); collections never
    synced are reported so the caller can ask for them (they match once read).
    """
    key = setting_surface(surface)
    live = [pin for pin in pinned_offers(store) if pin.active and key in pin.surfaces]
    by_collection = [
        pin
        for pin in live
        if pin.trigger_collection_ids and not pin.trigger_product_ids & set(order_product_ids)
    ]
    wanted_collections = frozenset().union(*(pin.trigger_collection_ids for pin in by_collection))
    matched = collections_containing(db, store, wanted_collections, order_product_ids)
    shown: list[PinnedOffer] = []
    seen: set[str] = set()
    for pin in live:
        fires = (
            pin.always
            or bool(pin.trigger_product_ids & set(order_product_ids))
            or bool(pin.trigger_collection_ids & matched)
        )
        if fires and pin.platform_product_id not in seen:
            shown.append(pin)
            seen.add(pin.platform_product_id)
    unsynced = collections_to_sync(db, store, wanted_collections, now) if by_collection else set()
    return TriggeredPins(pins=tuple(shown), collections_to_sync=frozenset(unsynced))


def pin_candidate(store: Store, pin: PinnedOffer) -> Candidate:
    return Candidate(
        platform_product_id=pin.platform_product_id,
        strategy=PINNED,
        reason=f"Picked for you by {store.name or 'this shop'}",
        score=1.0,
    )
