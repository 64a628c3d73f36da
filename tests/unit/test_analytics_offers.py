"""Impressions, offers shown, clicks, click-through and top offers, counted by hand.

Period Nov 1-7 2026 (UTC). Showings in it: Nov 2 thank-you (p1, p2; p1 clicked, p2 viewed),
Nov 2 order-status (p1; clicked, plus a click naming an offer it never showed), Nov 5 tracking
page (p3; dismissed), Nov 5 held out, Nov 6 with nothing eligible. Outside: Nov 9 (p2
clicked), another store's Nov 3 (p1 clicked).
→ 3 impressions, 4 offers shown, 2 clicks, click-through 50 %, 1 held-out showing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from plugin.analytics import sources
from plugin.analytics.offers import offer_figures
from plugin.analytics.period import custom_period
from plugin.models import Store, Surface
from tests.admin_helpers import at, make_product, make_store, shopper_event, show

WEEK = custom_period(date(2026, 11, 1), date(2026, 11, 7), ZoneInfo("UTC"))


@pytest.fixture
def store(db: Session) -> Store:
    store = make_store(db, "Corner Shop")
    for product_id, title in (("p1", "Oat milk"), ("p2", "Rye bread"), ("p3", "Honey")):
        make_product(db, store, product_id, title)
    first = show(db, store, at(2, 9), ["p1", "p2"])
    shopper_event(db, first, "p1", "click")
    shopper_event(db, first, "p1", "view")
    shopper_event(db, first, "p2", "view")
    second = show(db, store, at(2, 18), ["p1"], surface=Surface.ORDER_STATUS)
    shopper_event(db, second, "p1", "click")
    shopper_event(db, second, "p9", "click")  # an offer this showing never had: not counted
    third = show(db, store, at(5, 8), ["p3"], surface=Surface.TRACKING_PAGE)
    shopper_event(db, third, "p3", "dismiss")
    show(db, store, at(5, 9), in_holdout=True)
    show(db, store, at(6, 9), [])
    later = show(db, store, at(9, 9), ["p2"])
    shopper_event(db, later, "p2", "click")
    other = make_store(db, "Other Shop")
    elsewhere = show(db, other, at(3, 9), ["p1"])
    shopper_event(db, elsewhere, "p1", "click")
    db.commit()
    return store


def test_showings_clicks_and_click_through(db: Session, store: Store) -> None:
    figures = offer_figures(db, store, WEEK)
    assert figures.impressions == 3
    assert figures.offers_shown == 4
    assert figures.clicks == 2
    assert figures.click_through_rate == 0.5
    assert figures.holdout_showings == 1


def test_figures_per_day_follow_the_store_calendar(db: Session, store: Store) -> None:
    figures = offer_figures(db, store, WEEK)
    per_day = {day.day: (day.impressions, day.clicks) for day in figures.daily}
    assert len(per_day) == 7
    assert per_day[date(2026, 11, 2)] == (2, 2)
    assert per_day[date(2026, 11, 5)] == (1, 0)
    assert sum(i for i, _ in per_day.values()) == 3
    # Nov 2 09:00 UTC is still Nov 1 in Honolulu (UTC-10).
    honolulu = custom_period(date(2026, 11, 1), date(2026, 11, 7), ZoneInfo("Pacific/Honolulu"))
    local = {d.day: d.impressions for d in offer_figures(db, store, honolulu).daily}
    assert local[date(2026, 11, 1)] == 1
    assert local[date(2026, 11, 2)] == 1


def test_top_offers_rank_by_revenue_then_clicks_then_showings(db: Session, store: Store) -> None:
    figures = offer_figures(db, store, WEEK)
    top = [(o.product_id, o.title, o.shown, o.clicks) for o in figures.top_offers]
    assert top == [("p1", "Oat milk", 2, 2), ("p3", "Honey", 1, 0), ("p2", "Rye bread", 1, 0)]


def test_no_showings_means_no_rate(db: Session) -> None:
    empty = make_store(db, "Empty Shop")
    figures = offer_figures(db, empty, WEEK)
    assert (figures.impressions, figures.offers_shown, figures.clicks) == (0, 0, 0)
    assert figures.click_through_rate is None
    assert figures.top_offers == []


def test_conversions_are_unavailable_until_the_offers_engine_records_them(
    db: Session, store: Store
) -> None:
    figures = offer_figures(db, store, WEEK)
    if sources.offer_conversion_table() is None or sources.net_revenue_of() is None:
        assert figures.conversions is None and figures.attributed_revenue is None
    else:
        assert figures.conversions == 0 and figures.attributed_revenue == Decimal("0")
