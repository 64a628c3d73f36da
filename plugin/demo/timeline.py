"""When each demo order was placed: every shopper's history laid out to end in recent days.

The data gives only the order of a shopper's orders and the days between them. The newest
order of each shopper is put somewhere in the last two weeks, and the earlier ones walk back
from it by those gaps, each at a plausible time of day, so the store looks alive today.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

RECENT_DAYS = 14  # every shopper's newest order falls within this many days before now
FIRST_GAP_DAYS = 30.0  # the gap to use when the data has none
SHOPPING_HOURS = (7, 22)  # when people place grocery orders (UTC, near enough for a demo)


@dataclass(frozen=True)
class HistoryOrder:
    order_id: str
    user_id: str
    order_number: int
    days_since_prior: float | None


def place_orders(orders: Iterable[HistoryOrder], now: datetime) -> dict[str, datetime]:
    """The time each order was placed, by order id; each shopper's orders keep their order."""
    by_shopper: dict[str, list[HistoryOrder]] = defaultdict(list)
    for order in orders:
        by_shopper[order.user_id].append(order)
    placed: dict[str, datetime] = {}
    for user_id, history in by_shopper.items():
        history.sort(key=lambda o: o.order_number, reverse=True)
        newest = history[0]
        rng = random.Random(f"timeline:{user_id}")
        at = now - timedelta(minutes=rng.uniform(20, RECENT_DAYS * 24 * 60))
        placed[newest.order_id] = at.replace(microsecond=0)
        for later, earlier in pairwise(history):
            at = _before(placed[later.order_id], later.days_since_prior, earlier.order_id)
            placed[earlier.order_id] = at
    return placed


def _before(later_at: datetime, gap_days: float | None, order_id: str) -> datetime:
    """An order placed `gap_days` before `later_at`, at its own time of day."""
    rng = random.Random(f"timeline:order:{order_id}")
    gap = FIRST_GAP_DAYS if gap_days is None else gap_days
    day = later_at - timedelta(days=gap)
    at = day.replace(
        hour=rng.randint(*SHOPPING_HOURS),
        minute=rng.randint(0, 59),
        second=rng.randint(0, 59),
        microsecond=0,
    )
    if at >= later_at - timedelta(minutes=20):
        # Same-day reorders (a gap of 0 days): keep them apart and in the data's order.
        at = later_at - timedelta(minutes=rng.randint(30, 240))
    return at
