"""What an offer gives the shopper: a percentage off, with the platform code that grants it.

The percent is the merchant's (`offer_discount_percent`, or a pinned offer's own); the code is
a real one created on the platform by a job and reused while valid (`discount_codes`). When
the code does not exist yet the offer carries the percent without a code, and the cart link
carries no discount, rather than a code the checkout would refuse.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from plugin.models import Store
from plugin.offers.discount_codes import is_usable, latest_codes, needs_new_code
from plugin.offers.job_requests import Wanted
from plugin.offers.settings import MAX_DISCOUNT_PERCENT, offer_discount_percent

__all__ = ["MAX_DISCOUNT_PERCENT", "Incentive", "incentive_for", "incentives_for"]


@dataclass(frozen=True)
class Incentive:
    discount_percent: int = 0
    discount_code: str | None = None


def incentive_for(store: Store) -> Incentive:
    """The merchant's `offer_discount_percent` for recommended offers, without a code."""
    return Incentive(discount_percent=offer_discount_percent(store))


def incentives_for(
    db: Session,
    store: Store,
    percents: Collection[int],
    now: datetime,
    wanted: Wanted | None = None,
) -> dict[int, Incentive]:
    """An incentive per percent, with the store's valid code when it has one.

    Percents without a code, or whose code is about to end, go into `wanted` so the caller
    can queue their creation after answering.
    """
    codes = latest_codes(db, store, percents, now)
    incentives: dict[int, Incentive] = {}
    for percent in set(percents):
        code = codes.get(percent)
        if percent > 0 and wanted is not None and needs_new_code(code, now):
            wanted.discount_codes[percent] = code.id if code is not None else None
        shown = code.code if code is not None and is_usable(code, now) else None
        incentives[percent] = Incentive(percent, shown)
    return incentives
