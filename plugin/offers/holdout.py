"""The control group: a fixed share of orders never sees offers, so lift can be measured."""

from __future__ import annotations

import hashlib

from plugin.models import Store
from plugin.offers.settings import holdout_share


def holdout_position(store: Store, unit: str) -> float:
    """Where this order (or shopper) falls in [0, 1): the same answer on every request."""
    digest = hashlib.sha256(f"{store.platform}:{store.domain}:{unit}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_in_holdout(store: Store, unit: str, share: float) -> bool:
    """True when this order belongs to the control group (`share` of all orders)."""
    if share <= 0:
        return False
    return share >= 1 or holdout_position(store, unit) < share


def is_held_out(store: Store, unit: str, configured_share: float) -> bool:
    """The store's own `holdout_share` setting decides; `HOLDOUT_SHARE` is its default.

    Raising the share only adds orders to the control group: an order held out at 10% is
    still held out at 20%, because the position of an order never changes.
    """
    return is_in_holdout(store, unit, holdout_share(store, configured_share))
