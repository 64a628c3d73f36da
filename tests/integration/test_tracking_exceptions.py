"""Open delivery exceptions for the admin, and the "delayed" message they cause (once)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plugin.models import utcnow
from plugin.tracking.exceptions import open_exceptions
from plugin.tracking.schedule import check_exceptions
from tests.conftest import run_cli
from tests.storefront_helpers import shopify_store
from tests.tracking_helpers import by_key, parcel, place_order


@pytest.fixture
def store(db):
    shop = shopify_store(db)
    shop.settings = {"quiet_hours": None}
    db.commit()
    return shop


def test_open_exceptions_list_each_problem_parcel(db, store):
    now = utcnow()
    place_order(
        db,
        store,
        "1001",
        name="#1001",
        shipments=(
            parcel("1001", "confirmed", fulfillment_id="1", shipped_at=now - timedelta(hours=50)),
        ),
    )
    place_order(
        db,
        store,
        "1002",
        name="#1002",
        shipments=(
            parcel(
                "1002",
                "in_transit",
                fulfillment_id="2",
                number="9400111899223197428497",
                carrier=None,
                shipped_at=now - timedelta(days=5),
                events=((now - timedelta(days=4), "in_transit"),),
            ),
        ),
    )
    place_order(
        db,
        store,
        "1003",
        name="#1003",
        shipments=(parcel("1003", "exception", fulfillment_id="3", events=((now, "exception"),)),),
    )
    place_order(db, store, "1004", shipments=(parcel("1004", "in_transit", fulfillment_id="4"),))

    found = open_exceptions(db, store, now)
    # Oldest problem first.
    assert [(e.order_name, e.kind) for e in found] == [
        ("#1002", "stalled"),
        ("#1001", "no_scan"),
        ("#1003", "carrier_exception"),
    ]
    stalled = found[0]
    assert stalled.carrier == "USPS"  # detected from the number
    assert stalled.tracking_number == "9400111899223197428497"
    assert stalled.since == now - timedelta(days=1)


def test_a_problem_parcel_gets_one_delayed_message(db, store):
    now = utcnow()
    place_order(
        db,
        store,
        shipments=(
            parcel("820982911946154508", "confirmed", shipped_at=now - timedelta(hours=49)),
        ),
    )
    assert check_exceptions(db, now) == 2  # email and SMS rows
    assert check_exceptions(db, now + timedelta(hours=1)) == 0
    rows = by_key(db)
    assert rows[("delayed", "email")].skip_reason == "not_configured"  # no SMTP in this test
    assert rows[("delayed", "sms")].skip_reason == "disabled"


def test_check_exceptions_command(app, db, store):
    result = run_cli(app, "tracking", "check-exceptions")
    assert result.exit_code == 0 and "0 delayed message(s) planned" in result.output
