"""Periods are whole days of the store's calendar, turned into UTC instants once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from plugin.analytics.period import custom_period, preset_period, store_zone
from tests.admin_helpers import make_store


def test_last_7_days_include_today_in_the_stores_zone() -> None:
    now = datetime(2026, 11, 8, 3, 0, tzinfo=UTC)  # still Nov 7 in New York
    period = preset_period("7d", ZoneInfo("America/New_York"), now)
    assert (period.first_day, period.last_day) == (date(2026, 11, 1), date(2026, 11, 7))
    assert period.start == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # EDT until Nov 1 06:00 UTC
    assert period.end == datetime(2026, 11, 8, 5, 0, tzinfo=UTC)  # EST after the change
    assert len(period.days) == 7
    assert period.contains(now)
    assert not period.contains(period.end)


def test_a_single_day_period() -> None:
    period = custom_period(date(2026, 11, 3), date(2026, 11, 3), ZoneInfo("UTC"))
    assert period.label == "Nov 3, 2026"
    assert (period.end - period.start).total_seconds() == 86400


def test_store_zone_prefers_the_setting_then_the_platforms_then_utc(db: Session) -> None:
    store = make_store(db, "Zone Shop", settings={"timezone": "Europe/Paris"})
    store.timezone = "America/Chicago"
    assert store_zone(store) == ZoneInfo("Europe/Paris")
    store.settings["timezone"] = "Mars/Olympus"
    assert store_zone(store) == ZoneInfo("America/Chicago")
    store.timezone = None
    assert store_zone(store) == ZoneInfo("UTC")
