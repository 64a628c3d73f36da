"""What an offer gives the shopper. For now a percentage set by the merchant, without a code.

Real discount codes (created on the platform, one per impression) come with the offers issue;
until then `discount_code` stays None and the cart link carries no discount.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plugin.models import Store

MAX_DISCOUNT_PERCENT = 90


@dataclass(frozen=True)
class Incentive:
    discount_percent: int = 0
    discount_code: str | None = None


def incentive_for(store: Store) -> Incentive:
    """The merchant's `offer_discount_percent` setting, clamped to something sane."""
    return Incentive(
        discount_percent=_percent((store.settings or {}).get("offer_discount_percent"))
    )


def _percent(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    try:
        percent = int(float(value))
    except (TypeError, ValueError):
        return 0
    return max(0, min(MAX_DISCOUNT_PERCENT, percent))
