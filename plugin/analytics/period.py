"""The stretch of time a dashboard or export covers, in the store's own calendar.

A merchant thinks in days of their shop ("the last 30 days", "March 1 to 7"), so periods are
whole local days, turned into UTC instants once, here; every query then uses `[start, end)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from plugin.models import Store

PRESETS: dict[str, int] = {"7d": 7, "30d": 30, "90d": 90}
DEFAULT_PRESET = "30d"
MAX_DAYS = 366


def store_zone(store: Store) -> ZoneInfo:
    """The `timezone` setting, else the zone the platform reported, else UTC."""
    settings = store.settings or {}
    for name in (settings.get("timezone"), store.timezone, "UTC"):
        if isinstance(name, str) and name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


@dataclass(frozen=True)
class Period:
    """Local days `first_day`..`last_day` (both included) in `zone`."""

    first_day: date
    last_day: date
    zone: ZoneInfo
    preset: str | None = None

    @property
    def start(self) -> datetime:
        """The first instant of the period, in UTC."""
        return datetime.combine(self.first_day, time.min, self.zone).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the period, in UTC (exclusive)."""
        next_day = self.last_day + timedelta(days=1)
        return datetime.combine(next_day, time.min, self.zone).astimezone(UTC)

    @property
    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(count)]

    def local_day(self, moment: datetime) -> date:
        """The store's calendar day of an instant."""
        return moment.astimezone(self.zone).date()

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    @property
    def label(self) -> str:
        if self.first_day == self.last_day:
            return f"{self.first_day:%b} {self.first_day.day}, {self.first_day:%Y}"
        return (
            f"{self.first_day:%b} {self.first_day.day}, {self.first_day:%Y} to "
            f"{self.last_day:%b} {self.last_day.day}, {self.last_day:%Y}"
        )


def preset_period(preset: str, zone: ZoneInfo, now: datetime) -> Period:
    """The last N local days, today included."""
    days = PRESETS[preset]
    today = now.astimezone(zone).date()
    return Period(today - timedelta(days=days - 1), today, zone, preset)


def custom_period(first_day: date, last_day: date, zone: ZoneInfo) -> Period:
    """Days as the merchant picked them; the caller has checked the order and length."""
    return Period(first_day, last_day, zone, None)
