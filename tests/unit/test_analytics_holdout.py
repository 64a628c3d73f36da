"""Revenue per order vs holdout on a history small enough to add up by hand.

Period: Nov 1-7 2026 (UTC), attribution window 14 days. Outcomes per first-shown order:
treatment (offers shown) 10, 0, 20, 30 → mean 15; control (held out) 0, 10, 5 → mean 5.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from plugin.analytics.holdout import attribution_window_days, revenue_per_order_vs_holdout
from plugin.analytics.period import Period, custom_period
from plugin.models import OrderStatus, Store, Surface
from tests.admin_helpers import at, make_customer, make_order, make_store, show

NOVEMBER_FIRST_WEEK = custom_period(date(2026, 11, 1), date(2026, 11, 7), ZoneInfo("UTC"))


def arrange_history(db: Session, store: Store) -> None:
    c1, c2, c3, c4, c5, c6, c7 = (make_customer(db, store, f"c{n}") for n in range(1, 8))
    # Treatment 1: shown Nov 2, then the thank-you of a later order of 10.00.
    t1 = make_order(db, store, 101, at(2, 10), "40.00", c1)
    show(db, store, at(2, 10, 5), order=t1)
    show(db, store, at(4), order=t1, surface=Surface.TRACKING_PAGE)  # not the first showing
    make_order(db, store, 201, at(5, 9), "10.00", c1)
    # Treatment 2: its later order comes after the window; a cancelled one does not count.
    t2 = make_order(db, store, 102, at(3), "25.00", c2)
    show(db, store, at(3, 12, 1), order=t2)
    make_order(db, store, 202, at(20), "99.00", c2)
    make_order(db, store, 203, at(4), "50.00", c2, status=OrderStatus.CANCELLED)
    # Treatment 3: two later orders, the second just inside the window (Nov 18 11:00 < 12:01).
    t3 = make_order(db, store, 103, at(4, 12), "18.00", c3)
    show(db, store, at(4, 12, 1), order=t3)
    make_order(db, store, 204, at(6), "12.50", c3)
    make_order(db, store, 205, at(18, 11), "7.50", c3)
    # Treatment 4.
    t4 = make_order(db, store, 104, at(6), "30.00", c4)
    show(db, store, at(6, 12, 1), order=t4)
    make_order(db, store, 206, at(7), "30.00", c4)
    # Control 1: a guest order (no shopper to follow): outcome 0.
    g = make_order(db, store, 105, at(2), "15.00")
    show(db, store, at(2, 12, 1), order=g, in_holdout=True)
    # Control 2 and 3; an order placed before the showing does not count.
    k2 = make_order(db, store, 106, at(3), "22.00", c5)
    show(db, store, at(3, 12, 1), order=k2, in_holdout=True)
    make_order(db, store, 207, at(10), "10.00", c5)
    make_order(db, store, 100, at(30, month=10), "70.00", c6)
    k3 = make_order(db, store, 107, at(5), "12.00", c6)
    show(db, store, at(5, 12, 1), order=k3, in_holdout=True)
    make_order(db, store, 208, at(6), "5.00", c6)
    # Not units: first shown before the period; a cart showing without an order.
    early = make_order(db, store, 108, at(30, month=10), "10.00", c7)
    show(db, store, at(30, 12, month=10), order=early)
    show(db, store, at(2, 13), order=early)
    make_order(db, store, 209, at(3), "80.00", c7)
    show(db, store, at(2, 14))
    db.commit()


@pytest.fixture
def store(db: Session) -> Store:
    store = make_store(db, "Corner Shop")
    arrange_history(db, store)
    return store


def test_means_difference_and_interval(db: Session, store: Store) -> None:
    result = revenue_per_order_vs_holdout(db, store, NOVEMBER_FIRST_WEEK)
    assert result.window_days == 14
    assert (result.treatment.n, result.treatment.mean) == (4, 15.0)
    assert (result.control.n, result.control.mean) == (3, 5.0)
    assert result.interval is not None
    assert result.interval.difference == 10.0
    assert (round(result.interval.low, 3), round(result.interval.high, 3)) == (-3.859, 23.859)
    assert result.relative_lift == 2.0
    assert result.few_orders


def test_the_window_setting_shortens_what_counts(db: Session, store: Store) -> None:
    store.settings["attribution_window_days"] = 3
    db.commit()
    assert attribution_window_days(store) == 3
    result = revenue_per_order_vs_holdout(db, store, NOVEMBER_FIRST_WEEK)
    # Treatment: 10, 0, 12.50 (7.50 is now too late), 30; control: 0, 0 (Nov 10 too late), 5.
    assert result.treatment.mean == pytest.approx((10 + 0 + 12.5 + 30) / 4)
    assert result.control.mean == pytest.approx(5 / 3)


def test_other_stores_and_other_periods_stay_out(db: Session, store: Store) -> None:
    other = make_store(db, "Other Shop")
    shopper = make_customer(db, other, "c1")
    order = make_order(db, other, 101, at(2), "40.00", shopper)
    show(db, other, at(2, 12, 30), order=order)
    make_order(db, other, 201, at(3), "500.00", shopper)
    db.commit()
    result = revenue_per_order_vs_holdout(db, store, NOVEMBER_FIRST_WEEK)
    assert (result.treatment.n, result.treatment.mean) == (4, 15.0)
    second_week = Period(date(2026, 11, 8), date(2026, 11, 14), ZoneInfo("UTC"))
    nothing = revenue_per_order_vs_holdout(db, store, second_week)
    assert (nothing.treatment.n, nothing.control.n, nothing.interval) == (0, 0, None)
    assert nothing.relative_lift is None


@pytest.mark.parametrize("value", [0, 91, "7", True, None])
def test_a_malformed_window_setting_reads_as_14_days(db: Session, value: object) -> None:
    store = make_store(db, "Window Shop", settings={"attribution_window_days": value})
    assert attribution_window_days(store) == 14
