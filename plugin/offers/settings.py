"""The merchant's offer settings (docs/store-settings.md), read with their defaults.

A missing or malformed value is the default, never an error: these are read while a shopper
waits, and a typo in the admin must not take the thank-you page down.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from plugin.models import Store, Surface

MAX_DISCOUNT_PERCENT = 90
MAX_HOLDOUT_SHARE = 0.5
DEFAULT_ATTRIBUTION_DAYS = 14
MAX_ATTRIBUTION_DAYS = 90

THANK_YOU = "thank_you"
ORDER_STATUS = "order_status"
SETTING_SURFACES = (THANK_YOU, ORDER_STATUS)


@dataclass(frozen=True)
class FrequencyCap:
    """A product is shown to one shopper on at most `max_impressions` orders in `days` days."""

    max_impressions: int = 3
    days: int = 7


def setting_surface(surface: Surface | str) -> str:
    """The settings key a surface answers to: the thank-you page, or an order-status page.

    Encore's tracking page, the WooCommerce order block and the app-proxy pages all show an
    order after checkout, so they follow the merchant's `order_status` choices.
    """
    return THANK_YOU if str(surface) == Surface.THANK_YOU.value else ORDER_STATUS


def _settings(store: Store) -> Mapping[str, Any]:
    settings = store.settings
    return settings if isinstance(settings, Mapping) else {}


def whole_number(value: Any) -> int | None:
    """An int from an int or an integral float; None for anything else (bools included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def percent_or(value: Any, default: int) -> int:
    """A discount percent clamped to 0-90, or `default` when the value is not a number.

    A number written as text ("15") counts; one out of range is clamped, so a typo of 500
    gives the most the engine ever offers (90), never more.
    """
    if isinstance(value, bool) or value is None:
        return default
    try:
        percent = int(float(value))
    except (TypeError, ValueError, OverflowError):
        return default
    return max(0, min(MAX_DISCOUNT_PERCENT, percent))


def offer_discount_percent(store: Store) -> int:
    return percent_or(_settings(store).get("offer_discount_percent"), 0)


def _per_surface_switch(store: Store, key: str, surface: Surface | str) -> bool:
    switches = _settings(store).get(key)
    if not isinstance(switches, Mapping):
        return True
    value = switches.get(setting_surface(surface))
    return value if isinstance(value, bool) else True


def offers_enabled(store: Store, surface: Surface | str) -> bool:
    """False when the merchant turned offers off on this surface (it then shows none at all)."""
    return _per_surface_switch(store, "offers_enabled", surface)


def recommendations_fill(store: Store, surface: Surface | str) -> bool:
    """Whether Encore's recommendations fill the slots the merchant's pinned offers leave."""
    return _per_surface_switch(store, "recommendations_fill", surface)


def excluded_product_ids(store: Store) -> frozenset[str]:
    values = _settings(store).get("excluded_product_ids")
    if not isinstance(values, list):
        return frozenset()
    return frozenset(str(v) for v in values if isinstance(v, str | int) and not isinstance(v, bool))


def holdout_share(store: Store, default: float) -> float:
    """The store's control-group share (0-0.5), else the configured `HOLDOUT_SHARE`."""
    value = _settings(store).get("holdout_share")
    if isinstance(value, int | float) and not isinstance(value, bool):
        share = float(value)
        if 0.0 <= share <= MAX_HOLDOUT_SHARE:
            return share
    return min(1.0, max(0.0, float(default)))


def frequency_cap(store: Store) -> FrequencyCap:
    value = _settings(store).get("frequency_cap")
    if not isinstance(value, Mapping):
        return FrequencyCap()
    most = whole_number(value.get("max_impressions"))
    days = whole_number(value.get("days"))
    if most is None or days is None or most < 1 or not 1 <= days <= 365:
        return FrequencyCap()
    return FrequencyCap(max_impressions=most, days=days)


def attribution_window(store: Store) -> timedelta:
    days = whole_number(_settings(store).get("attribution_window_days"))
    if days is None or not 1 <= days <= MAX_ATTRIBUTION_DAYS:
        days = DEFAULT_ATTRIBUTION_DAYS
    return timedelta(days=days)
