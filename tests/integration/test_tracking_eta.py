"""Estimates on a store: learned once it has delivered enough parcels, else the carrier's own
date, else the carrier default; stored on the parcel when it changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from plugin.tracking.eta import add_business_days, estimate
from tests.storefront_helpers import shopify_store
from tests.tracking_helpers import parcel, place_order, update_parcel

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # a Tuesday


@pytest.fixture
def store(db):
    shop = shopify_store(db)
    shop.settings = {"quiet_hours": None, "timezone": "America/New_York"}
    db.commit()
    return shop


def deliver_history(db, store, days: list[int], service="Ground", region="US-NY"):
    for n, transit in enumerate(days):
        shipped = datetime(2026, 10, 5 + n, 16, 0, tzinfo=UTC)  # from Monday Oct 5
        arrived_day = add_business_days(shipped.date(), transit)
        arrived = datetime(arrived_day.year, arrived_day.month, arrived_day.day, 19, tzinfo=UTC)
        order_id = f"90{n:03d}"
        place_order(
            db,
            store,
            order_id,
            email=None,
            shipments=(
                parcel(
                    order_id,
                    "delivered",
                    fulfillment_id=f"h{n}",
                    number=f"1Z00000000000{n:05d}",
                    shipped_at=shipped,
                    delivered_at=arrived,
                    service=service,
                    region=region,
                ),
            ),
        )


def test_store_history_gives_the_window(db, store):
    deliver_history(db, store, [2, 2, 3, 3, 3, 4, 6])
    order = place_order(
        db,
        store,
        shipments=(
            parcel(
                "820982911946154508",
                "in_transit",
                shipped_at=NOW - timedelta(hours=1),
                service="Ground",
                region="US-NY",
            ),
        ),
    )
    found = estimate(db, store, order.shipments[0], NOW)
    assert found.source == "store_history"
    tuesday = date(2026, 11, 24)
    assert (found.earliest, found.likely, found.latest) == (
        add_business_days(tuesday, 2),
        add_business_days(tuesday, 3),
        add_business_days(tuesday, 4),
    )
    stored = order.shipments[0]
    assert stored.eta_source == "store_history" and stored.eta_likely is not None


def test_carrier_date_then_defaults(db, store):
    carrier_day = datetime(2026, 11, 27, 20, tzinfo=UTC)
    order = place_order(
        db,
        store,
        shipments=(parcel("820982911946154508", "in_transit", estimated=carrier_day),),
    )
    found = estimate(db, store, order.shipments[0], NOW)
    assert (found.source, found.likely, found.latest) == (
        "carrier",
        date(2026, 11, 27),
        date(2026, 11, 27),
    )
    other = place_order(
        db,
        store,
        "900100",
        shipments=(parcel("900100", "in_transit", fulfillment_id="d1", carrier="DPD"),),
    )
    assert estimate(db, store, other.shipments[0], NOW).source == "default"


def test_delivered_parcels_have_no_estimate(db, store):
    order = place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    assert order.shipments[0].eta_likely is not None
    update_parcel(db, store, parcel("820982911946154508", "delivered", delivered_at=NOW))
    db.refresh(order.shipments[0])
    assert order.shipments[0].eta_likely is None
    assert estimate(db, store, order.shipments[0], NOW) is None
