"""Delivery estimates: business-day arithmetic, percentiles of a store's past deliveries by
carrier, service and region, and the fallbacks (carrier's date, then defaults)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from plugin.tracking.eta import (
    TransitModel,
    add_business_days,
    business_days_between,
    day_as_time,
    percentile,
    transit_rows,
)

MON, FRI, SAT = date(2026, 11, 23), date(2026, 11, 27), date(2026, 11, 28)


def test_business_days_skip_weekends():
    assert business_days_between(MON, MON) == 0
    assert business_days_between(MON, FRI) == 4
    assert business_days_between(FRI, MON + timedelta(days=7)) == 1  # over a weekend
    assert business_days_between(MON, MON + timedelta(days=14)) == 10
    assert add_business_days(FRI, 1) == date(2026, 11, 30)
    assert add_business_days(MON, 3) == date(2026, 11, 26)
    assert add_business_days(SAT, 0) == date(2026, 11, 30)


def test_nearest_rank_percentiles():
    values = [1, 2, 2, 3, 3, 3, 4, 5, 7, 9]
    assert (percentile(values, 0.2), percentile(values, 0.5), percentile(values, 0.8)) == (2, 3, 5)


def deliveries(carrier, service, region, days, count):
    return [(carrier, service, region, days)] * count


def test_the_most_specific_group_with_enough_deliveries_wins():
    model = TransitModel.learn(
        deliveries("UPS", "Ground", "US-CA", 5, 6)
        + deliveries("UPS", "Ground", "US-NY", 2, 6)
        + deliveries("UPS", "Ground", "US-TX", 3, 2)  # too few for Texas alone
        + deliveries("UPS", "Next Day Air", "US-NY", 1, 5)
    )
    assert model.transit("UPS", "Ground", "US-CA") == (5, 5, 5)
    assert model.transit("UPS", "ground", "US-NY") == (2, 2, 2)
    # Texas: not enough of its own, so UPS Ground everywhere (2s, 3s and 5s).
    assert model.transit("UPS", "Ground", "US-TX") == (2, 3, 5)
    assert model.transit("UPS", None, "US-NY") == (1, 2, 2)
    assert model.transit("FedEx", "Ground", "US-NY") is None


def test_transit_rows_count_business_days_in_the_store_zone():
    zone = ZoneInfo("America/New_York")
    shipped = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)  # Friday 5 pm in New York
    delivered = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # Monday 10 pm in New York
    assert transit_rows([("UPS", None, None, shipped, delivered)], zone) == [("UPS", None, None, 1)]


def test_a_day_is_stored_at_noon_utc():
    assert day_as_time(MON) == datetime(2026, 11, 23, 12, tzinfo=UTC)
    for zone in ("Pacific/Honolulu", "Asia/Tokyo", "Europe/London"):
        assert day_as_time(MON).astimezone(ZoneInfo(zone)).date() == MON
