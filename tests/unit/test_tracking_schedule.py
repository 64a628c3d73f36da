"""When Encore asks a carrier next about a parcel: often when close, rarely when quiet, never
once it is done or a month old."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from plugin.tracking.polling import next_poll_at

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
SHIPPED = NOW - timedelta(days=2)


def gap(status, shipped=SHIPPED, moved=None):
    found = next_poll_at(status, shipped, moved, NOW)
    return None if found is None else found - NOW


def test_out_for_delivery_is_polled_hourly():
    assert gap("out_for_delivery", moved=NOW - timedelta(hours=3)) == timedelta(hours=1)


def test_moving_parcels_are_polled_every_four_hours():
    assert gap("in_transit", moved=NOW - timedelta(hours=5)) == timedelta(hours=4)


@pytest.mark.parametrize(
    ("quiet_days", "expected_hours"), [(1, 8), (2, 16), (3, 24), (6, 24), (20, 24)]
)
def test_quiet_parcels_back_off_to_daily(quiet_days, expected_hours):
    moved = NOW - timedelta(days=quiet_days, hours=1)
    shipped = moved - timedelta(days=1)
    assert gap("in_transit", shipped=shipped, moved=moved) == timedelta(hours=expected_hours)


def test_label_only_parcels_are_polled_every_six_hours():
    assert gap("confirmed", moved=None) == timedelta(hours=6)


@pytest.mark.parametrize("status", ["exception", "attempted_delivery", "ready_for_pickup"])
def test_problems_are_watched_every_four_hours(status):
    assert gap(status) == timedelta(hours=4)


@pytest.mark.parametrize("status", ["delivered", "returned", "cancelled"])
def test_polling_stops_when_the_parcel_is_done(status):
    assert gap(status) is None


def test_polling_stops_thirty_days_after_shipping():
    assert gap("in_transit", shipped=NOW - timedelta(days=30)) is None
    assert gap("in_transit", shipped=NOW - timedelta(days=29), moved=NOW) == timedelta(hours=4)
