"""Tracking-page views (WISMO deflection), notifications sent and feedback, counted by hand."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from plugin.analytics.aftercare import tracking_page_views
from plugin.analytics.period import custom_period
from plugin.models import Surface
from tests.admin_helpers import at, make_order, make_shipment, make_store, show

WEEK = custom_period(date(2026, 11, 1), date(2026, 11, 7), ZoneInfo("UTC"))


def test_tracking_page_views_and_orders_looked_up(db: Session) -> None:
    store = make_store(db, "Corner Shop")
    shipped = [make_order(db, store, n, at(n)) for n in (1, 2, 3, 4)]
    for order in shipped:
        make_shipment(db, store, order, "in_transit", shipped_at=at(5))
    make_order(db, store, 5, at(5))  # not shipped yet
    for hour in (9, 10, 11):
        show(db, store, at(5, hour), order=shipped[0], surface=Surface.TRACKING_PAGE)
    show(db, store, at(6), order=shipped[1], surface=Surface.TRACKING_PAGE)
    show(db, store, at(9), order=shipped[1], surface=Surface.TRACKING_PAGE)  # after the period
    show(db, store, at(6), order=shipped[2], surface=Surface.THANK_YOU)  # not the tracking page
    other = make_store(db, "Other Shop")
    show(db, other, at(6), surface=Surface.TRACKING_PAGE)
    db.commit()

    views = tracking_page_views(db, store, WEEK)
    assert (views.views, views.orders_looked_up, views.shipped_orders) == (4, 2, 4)
    assert views.views_per_shipped_order == 1.0


def test_no_shipped_orders_means_no_ratio(db: Session) -> None:
    views = tracking_page_views(db, make_store(db, "Quiet Shop"), WEEK)
    assert (views.views, views.orders_looked_up, views.shipped_orders) == (0, 0, 0)
    assert views.views_per_shipped_order is None
