"""When a parcel will arrive: from the store's own deliveries, else the carrier, else defaults.

Transit time is counted in business days (Monday to Friday; carriers' public holidays are
not modelled) from the day the parcel shipped. The store's delivered parcels of the last
year are grouped by carrier, service and destination region; the most specific group with
enough deliveries gives the median (likely day) and the 80th percentile (latest day).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Shipment, Store
from plugin.tracking.carriers import carrier_named
from plugin.tracking.progress import as_tracking_status
from plugin.tracking.status import TrackingStatus

MIN_SAMPLES = 5  # fewer deliveries than this in a group say too little
HISTORY_DAYS = 365
MODEL_SECONDS = 600.0  # a learned model is reused this long

# (earliest, likely, latest) business days in transit when nothing better is known.
DEFAULT_TRANSIT: dict[str, tuple[int, int, int]] = {
    "ups": (1, 3, 5),
    "usps": (2, 3, 5),
    "fedex": (1, 3, 5),
    "dhl_express": (1, 2, 4),
    "dhl_ecommerce": (3, 5, 8),
    "royal_mail": (1, 2, 3),
    "canada_post": (2, 4, 7),
    "australia_post": (2, 4, 6),
    "postnl": (1, 2, 3),
    "dpd": (1, 2, 3),
    "gls": (1, 3, 4),
    "amazon": (1, 2, 4),
}
UNKNOWN_CARRIER_TRANSIT = (2, 4, 7)


@dataclass(frozen=True)
class Estimate:
    earliest: date
    likely: date
    latest: date
    source: str  # "store_history" | "carrier" | "default"


def store_zone(store: Store) -> ZoneInfo:
    """The merchant's time zone: settings `timezone`, else the platform's, else UTC."""
    settings = store.settings or {}
    for name in (settings.get("timezone"), store.timezone):
        if isinstance(name, str) and name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def business_days_between(start: date, end: date) -> int:
    """Weekdays after `start` up to and including `end` (0 when delivered the same day)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


def add_business_days(start: date, count: int) -> date:
    """The weekday `count` business days after `start` (a weekend start rolls to Monday)."""
    day = start
    if count <= 0:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day
    added = 0
    while added < count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    return day


def percentile(values: Sequence[int], share: float) -> int:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, math.ceil(share * len(values)))
    return values[min(rank, len(values)) - 1]


GroupKey = tuple[str | None, ...]


@dataclass
class TransitModel:
    """Business days in transit of a store's past deliveries, by group."""

    groups: dict[GroupKey, list[int]] = field(default_factory=dict)

    @staticmethod
    def keys(carrier: str | None, service: str | None, region: str | None) -> list[GroupKey]:
        carrier = (carrier or "").lower() or None
        service = (service or "").lower() or None
        return [(carrier, service, region), (carrier, None, region), (carrier, service), (carrier,)]

    @classmethod
    def learn(cls, rows: Iterable[tuple[str | None, str | None, str | None, int]]) -> TransitModel:
        groups: dict[GroupKey, list[int]] = defaultdict(list)
        for carrier, service, region, days in rows:
            for key in set(cls.keys(carrier, service, region)):
                groups[key].append(days)
        return cls({key: sorted(values) for key, values in groups.items()})

    @property
    def useful(self) -> bool:
        return any(len(values) >= MIN_SAMPLES for values in self.groups.values())

    def transit(
        self, carrier: str | None, service: str | None, region: str | None
    ) -> tuple[int, int, int] | None:
        """(20th percentile, median, 80th percentile) of the most specific group that has
        enough deliveries, or None."""
        for key in self.keys(carrier, service, region):
            values = self.groups.get(key)
            if key[0] is not None and values and len(values) >= MIN_SAMPLES:
                return percentile(values, 0.2), percentile(values, 0.5), percentile(values, 0.8)
        return None


def transit_rows(
    shipments: Iterable[Any], zone: ZoneInfo
) -> list[tuple[str | None, str | None, str | None, int]]:
    """(carrier, service, region, business days) of delivered parcels."""
    rows = []
    for carrier, service, region, shipped_at, delivered_at in shipments:
        if shipped_at is None or delivered_at is None or delivered_at < shipped_at:
            continue
        days = business_days_between(
            shipped_at.astimezone(zone).date(), delivered_at.astimezone(zone).date()
        )
        rows.append((carrier, service, region, days))
    return rows


# Learned models per database (engine) and store, with their expiry: a busy store's
# fulfillment webhooks would otherwise each read a year of deliveries.
_MODELS: WeakKeyDictionary[Any, dict[int, tuple[float, TransitModel]]] = WeakKeyDictionary()


def learned_model(db: Session, store: Store, now: datetime) -> TransitModel:
    """The store's transit model, learned at most every few minutes per process."""
    cache = _MODELS.setdefault(db.get_bind(), {})
    found = cache.get(store.id)
    if found is not None and time.monotonic() < found[0]:
        return found[1]
    delivered = db.execute(
        select(
            Shipment.carrier,
            Shipment.service,
            Shipment.destination_region,
            Shipment.shipped_at,
            Shipment.delivered_at,
        ).where(
            Shipment.store_id == store.id,
            Shipment.status == TrackingStatus.DELIVERED,
            Shipment.delivered_at >= now - timedelta(days=HISTORY_DAYS),
            Shipment.shipped_at.is_not(None),
        )
    ).all()
    model = TransitModel.learn(transit_rows(delivered, store_zone(store)))
    # A store that cannot estimate yet asks again next time (cheap: it has few deliveries).
    if model.useful:
        cache[store.id] = (time.monotonic() + MODEL_SECONDS, model)
    return model


def default_transit(carrier: str | None) -> tuple[int, int, int]:
    known = carrier_named(carrier)
    return (
        DEFAULT_TRANSIT.get(known.code, UNKNOWN_CARRIER_TRANSIT)
        if known
        else (UNKNOWN_CARRIER_TRANSIT)
    )


def estimate(db: Session, store: Store, shipment: Shipment, now: datetime) -> Estimate | None:
    """The delivery window of a parcel still on its way; None once it has arrived (or won't)."""
    status = as_tracking_status(shipment.status)
    if status.is_final or status is TrackingStatus.READY_FOR_PICKUP:
        return None
    zone = store_zone(store)
    start = (shipment.shipped_at or now).astimezone(zone).date()
    learned = learned_model(db, store, now).transit(
        shipment.carrier, shipment.service, shipment.destination_region
    )
    if learned is not None:
        return _window(start, learned, "store_history")
    if shipment.estimated_delivery is not None:
        day = shipment.estimated_delivery.astimezone(zone).date()
        return Estimate(earliest=day, likely=day, latest=day, source="carrier")
    return _window(start, default_transit(shipment.carrier), "default")


def _window(start: date, days: tuple[int, int, int], source: str) -> Estimate:
    earliest, likely, latest = days
    return Estimate(
        earliest=add_business_days(start, earliest),
        likely=add_business_days(start, likely),
        latest=add_business_days(start, latest),
        source=source,
    )


def day_as_time(day: date) -> datetime:
    """A calendar day stored as noon UTC, which is that same day from UTC-11 to UTC+11."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def refresh_estimate(db: Session, store: Store, shipment: Shipment, now: datetime) -> None:
    """Store the parcel's current window on it, for the storefront to read without work."""
    found = estimate(db, store, shipment, now)
    if found is None:
        shipment.eta_earliest = shipment.eta_likely = shipment.eta_latest = None
        shipment.eta_source = None
        return
    shipment.eta_earliest = day_as_time(found.earliest)
    shipment.eta_likely = day_as_time(found.likely)
    shipment.eta_latest = day_as_time(found.latest)
    shipment.eta_source = found.source
