"""The control group: a fixed share of orders never sees offers, so lift can be measured."""

from __future__ import annotations

import hashlib

from plugin.models import Store


def holdout_position(store: Store, unit: str) -> float:
    """Where this order (or shopper) falls in [0, 1): the same answer on every request."""
    digest = hashlib.sha256(f"{store.platform}:{store.domain}:{unit}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def is_in_holdout(store: Store, unit: str, share: float) -> bool:
    """True when this order belongs to the control group (`HOLDOUT_SHARE` of all orders)."""
    if share <= 0:
        return False
    return share >= 1 or holdout_position(store, unit) < share
