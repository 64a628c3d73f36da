"""Each exception rule on its own: no scan after 48 h, no movement for 3 days, past the
estimated delivery day, and the carrier's own exception."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from plugin.models import Shipment, ShipmentEvent
from plugin.tracking.exceptions import exception_of

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")


def parcel(status, shipped_ago, events=(), eta_latest=None, estimated=None):
    shipment = Shipment(
        status=status,
        shipped_at=NOW - shipped_ago,
        eta_latest=eta_latest,
        estimated_delivery=estimated,
    )
    steps = [ShipmentEvent(at=NOW - ago, status=s) for ago, s in events]
    return shipment, steps


def check(shipment_and_events):
    shipment, events = shipment_and_events
    return exception_of(shipment, events, NOW, NEW_YORK)


def test_no_scan_48_hours_after_fulfillment():
    assert check(parcel("confirmed", timedelta(hours=47))) is None
    assert check(parcel("confirmed", timedelta(hours=49))) == (
        "no_scan",
        NOW - timedelta(hours=1),
    )


def test_label_events_are_not_carrier_scans():
    label = [(timedelta(hours=50), "confirmed")]
    assert check(parcel("confirmed", timedelta(hours=50), label))[0] == "no_scan"


def test_stalled_after_three_days_without_movement():
    moving = [(timedelta(days=4), "in_transit"), (timedelta(days=2, hours=23), "in_transit")]
    assert check(parcel("in_transit", timedelta(days=5), moving)) is None
    stuck = [(timedelta(days=4), "in_transit"), (timedelta(days=3, hours=2), "in_transit")]
    assert check(parcel("in_transit", timedelta(days=5), stuck)) == (
        "stalled",
        NOW - timedelta(hours=2),
    )


def test_late_once_the_estimated_day_is_over_in_the_store_zone():
    moving = [(timedelta(hours=3), "in_transit")]
    # Latest day Nov 23 (stored at noon UTC): over at midnight New York time.
    latest = datetime(2026, 11, 23, 12, tzinfo=UTC)
    kind, since = check(parcel("in_transit", timedelta(days=3), moving, eta_latest=latest))
    assert kind == "late"
    assert since == datetime(2026, 11, 24, 0, 0, tzinfo=NEW_YORK)
    today = datetime(2026, 11, 24, 12, tzinfo=UTC)
    assert check(parcel("in_transit", timedelta(days=3), moving, eta_latest=today)) is None


def test_carrier_estimate_counts_when_there_is_no_window():
    moving = [(timedelta(hours=3), "in_transit")]
    estimated = datetime(2026, 11, 22, 23, 59, tzinfo=UTC)
    assert check(parcel("in_transit", timedelta(days=3), moving, estimated=estimated))[0] == "late"


def test_carrier_exception_since_the_exception_event():
    events = [(timedelta(days=1), "in_transit"), (timedelta(hours=5), "exception")]
    assert check(parcel("exception", timedelta(days=2), events)) == (
        "carrier_exception",
        NOW - timedelta(hours=5),
    )


def test_delivered_cancelled_and_returned_parcels_have_no_problem():
    for status in ("delivered", "cancelled", "returned", "ready_for_pickup"):
        assert check(parcel(status, timedelta(days=20))) is None
