"""Parcels by status, delivery time and delivery against the ETA, counted by hand.

Period Nov 1-7 2026 (UTC). Orders placed in it have 7 parcels: delivered x3, in transit x2,
exception, out for delivery. Delivered in it: 2.0 days (ETA same day, 4 h after the estimate),
3.5 days (a day late), 7.0 days (no ETA; its order is from October).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from plugin.analytics.deliveries import delivery_figures
from plugin.analytics.period import custom_period
from plugin.models import Store
from tests.admin_helpers import at, make_order, make_shipment, make_store

WEEK = custom_period(date(2026, 11, 1), date(2026, 11, 7), ZoneInfo("UTC"))


@pytest.fixture
def store(db: Session) -> Store:
    store = make_store(db, "Corner Shop")
    o1 = make_order(db, store, 1, at(1))
    make_shipment(
        db,
        store,
        o1,
        "delivered",
        shipped_at=at(2),
        delivered_at=at(4),
        estimated_delivery=at(4, 8),
    )
    o2 = make_order(db, store, 2, at(2))
    make_shipment(
        db,
        store,
        o2,
        "delivered",
        shipped_at=at(3, 0),
        delivered_at=at(6),
        estimated_delivery=at(5),
    )
    make_shipment(db, store, make_order(db, store, 3, at(3)), "in_transit", shipped_at=at(4))
    make_shipment(db, store, make_order(db, store, 4, at(4)), "exception", shipped_at=at(5))
    o5 = make_order(db, store, 5, at(5))
    make_shipment(db, store, o5, "in_transit", number="A")
    make_shipment(db, store, o5, "out_for_delivery", number="B")
    october = make_order(db, store, 6, at(25, month=10))
    make_shipment(db, store, october, "delivered", shipped_at=at(27, month=10), delivered_at=at(3))
    o7 = make_order(db, store, 7, at(6))
    make_shipment(db, store, o7, "delivered", shipped_at=at(7), delivered_at=at(9))
    db.commit()
    return store


def test_parcels_by_status_of_the_periods_orders(db: Session, store: Store) -> None:
    figures = delivery_figures(db, store, WEEK)
    assert figures.by_status == {
        "in_transit": 2,
        "out_for_delivery": 1,
        "delivered": 2 + 1,
        "exception": 1,
    }
    assert list(figures.by_status) == ["in_transit", "out_for_delivery", "delivered", "exception"]
    assert figures.shipments == 7


def test_delivery_time_and_eta(db: Session, store: Store) -> None:
    figures = delivery_figures(db, store, WEEK)
    assert figures.delivered == 3
    assert figures.mean_days_to_deliver == pytest.approx((2.0 + 3.5 + 7.0) / 3)
    assert figures.with_estimate == 2
    assert figures.on_time == 1
    assert figures.on_time_rate == 0.5
    assert figures.mean_days_late == pytest.approx((4 / 24 + 1.0) / 2)


def test_on_time_is_judged_on_the_stores_calendar_day(db: Session) -> None:
    store = make_store(db, "Night Shop")
    order = make_order(db, store, 1, at(1))
    # Estimated Nov 3 at 23:00 New York time; delivered 01:30 New York time the next day.
    estimate = at(4, 4)
    make_shipment(
        db,
        store,
        order,
        "delivered",
        shipped_at=at(2),
        delivered_at=estimate + timedelta(hours=2, minutes=30),
        estimated_delivery=estimate,
    )
    db.commit()
    utc_week = delivery_figures(db, store, WEEK)
    new_york = custom_period(date(2026, 11, 1), date(2026, 11, 7), ZoneInfo("America/New_York"))
    assert utc_week.on_time == 1  # both Nov 4 in UTC
    assert delivery_figures(db, store, new_york).on_time == 0  # Nov 3 vs Nov 4 in New York


def test_a_store_without_parcels(db: Session) -> None:
    figures = delivery_figures(db, make_store(db, "New Shop"), WEEK)
    assert figures.by_status == {}
    assert figures.shipments == 0
    assert figures.mean_days_to_deliver is None
    assert figures.on_time_rate is None
    assert figures.mean_days_late is None
