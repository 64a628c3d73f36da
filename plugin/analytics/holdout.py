"""Revenue per order against the holdout group: what offers really added, not just touched.

Every order whose first storefront showing falls in the period is one unit. Its group is that
first showing's: *treatment* when offers could be shown, *control* when it was held out (the
holdout is decided per order, so all its showings agree). Its outcome is what the same shopper
spent on later orders placed within the attribution window after that first showing (orders
cancelled, refunded or failed do not count; a guest order without a customer has outcome 0, in
either group alike). The figure is the mean outcome per group, their difference and a 95 %
interval for it (`stats.welch_interval`).

Recent units have not had their full window yet; that shortens outcomes in both groups alike,
so the difference stays fair while the means are still growing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.analytics.period import Period
from plugin.analytics.stats import DifferenceInterval, Sample, welch_interval
from plugin.models import Impression, Order, OrderStatus, Store

DEFAULT_WINDOW_DAYS = 14
NOT_REVENUE = (OrderStatus.CANCELLED, OrderStatus.REFUNDED, OrderStatus.FAILED)
# Below this many orders per group the normal approximation is rough: the page says so.
FEW_ORDERS = 30


@dataclass(frozen=True)
class HoldoutComparison:
    window_days: int
    treatment: Sample
    control: Sample
    interval: DifferenceInterval | None  # None until each group has 2 orders

    @property
    def relative_lift(self) -> float | None:
        """The difference as a share of what the control group spent."""
        if self.interval is None or self.control.mean == 0:
            return None
        return self.interval.difference / self.control.mean

    @property
    def few_orders(self) -> bool:
        return min(self.treatment.n, self.control.n) < FEW_ORDERS


@dataclass(frozen=True)
class _Unit:
    order_id: int
    shown_at: datetime
    in_holdout: bool
    customer_id: int | None


def attribution_window_days(store: Store) -> int:
    """The `attribution_window_days` setting (1-90), else 14."""
    value = (store.settings or {}).get("attribution_window_days")
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 90:
        return value
    return DEFAULT_WINDOW_DAYS


def revenue_per_order_vs_holdout(
    db: Session, store: Store, period: Period, window_days: int | None = None
) -> HoldoutComparison:
    window = timedelta(days=window_days or attribution_window_days(store))
    units = _units(db, store, period)
    later = _later_orders(db, store, units)
    outcomes: dict[bool, list[float]] = {True: [], False: []}
    for unit in units:
        spent = Decimal("0")
        for order_id, placed_at, total in later.get(unit.customer_id or -1, []):
            if order_id != unit.order_id and unit.shown_at < placed_at <= unit.shown_at + window:
                spent += total
        outcomes[unit.in_holdout].append(float(spent))
    treatment, control = Sample.of(outcomes[False]), Sample.of(outcomes[True])
    return HoldoutComparison(
        window_days=window.days,
        treatment=treatment,
        control=control,
        interval=welch_interval(treatment, control),
    )


def _units(db: Session, store: Store, period: Period) -> list[_Unit]:
    """Orders whose first showing (any surface) is in the period, with that showing's group."""
    rows = db.execute(
        select(Impression.order_id, Impression.created_at, Impression.in_holdout, Order.customer_id)
        .join(Order, Order.id == Impression.order_id)
        .where(
            Impression.store_id == store.id,
            Impression.order_id.is_not(None),
            Impression.created_at < period.end,
        )
        .order_by(Impression.created_at, Impression.id)
    )
    first: dict[int, _Unit] = {}
    for order_id, created_at, in_holdout, customer_id in rows:
        if order_id is not None and order_id not in first:
            first[order_id] = _Unit(order_id, created_at, bool(in_holdout), customer_id)
    return [unit for unit in first.values() if period.contains(unit.shown_at)]


def _later_orders(
    db: Session, store: Store, units: list[_Unit]
) -> dict[int, list[tuple[int, datetime, Decimal]]]:
    """Each unit shopper's countable orders placed after the earliest first showing."""
    customers = sorted({unit.customer_id for unit in units if unit.customer_id is not None})
    if not customers:
        return {}
    earliest = min(unit.shown_at for unit in units)
    found: dict[int, list[tuple[int, datetime, Decimal]]] = defaultdict(list)
    for start in range(0, len(customers), 500):
        rows = db.execute(
            select(Order.customer_id, Order.id, Order.placed_at, Order.total_price).where(
                Order.store_id == store.id,
                Order.customer_id.in_(customers[start : start + 500]),
                Order.placed_at > earliest,
                Order.status.not_in([status.value for status in NOT_REVENUE]),
            )
        )
        for customer_id, order_id, placed_at, total in rows:
            if customer_id is None:
                continue
            found[int(customer_id)].append((int(order_id), placed_at, Decimal(total)))
    return found
