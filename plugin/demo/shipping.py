"""Parcels for the demo's recent orders: a carrier, a tracking number and a timeline.

Each recent order gets one parcel whose steps (label created, picked up, through a hub, out
for delivery, delivered) are planned from the order time; only the steps that lie before
"now" have happened, so a parcel's status matches the order's age.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from plugin.platforms.base import ShipmentEventRecord, ShipmentRecord
from plugin.tracking.status import TrackingStatus

SHIPPING_WINDOW = timedelta(days=10)  # older orders were delivered long ago: no live parcel
WAREHOUSE = "Columbus, OH"


@dataclass(frozen=True)
class Carrier:
    name: str
    share: float
    hub: str
    transit_days: tuple[int, int]
    tracking_url: str  # with {number}
    new_number: Callable[[random.Random], str]


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def _ups_number(rng: random.Random) -> str:
    account = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(6))
    return f"1Z{account}03{_digits(rng, 8)}"


def _usps_number(rng: random.Random) -> str:
    return f"94001{_digits(rng, 17)}"


def _fedex_number(rng: random.Random) -> str:
    return f"7{_digits(rng, 11)}"


CARRIERS: tuple[Carrier, ...] = (
    Carrier(
        "UPS",
        0.4,
        "Louisville, KY",
        (2, 4),
        "https://www.ups.com/track?tracknum={number}",
        _ups_number,
    ),
    Carrier(
        "USPS",
        0.35,
        "Chicago, IL",
        (2, 5),
        "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
        _usps_number,
    ),
    Carrier(
        "FedEx",
        0.25,
        "Memphis, TN",
        (1, 3),
        "https://www.fedex.com/fedextrack/?trknbr={number}",
        _fedex_number,
    ),
)


@dataclass(frozen=True)
class _Step:
    at: datetime
    status: TrackingStatus
    message: str
    location: str


def parcel_for(
    order_id: str, placed_at: datetime, now: datetime, destination: str
) -> ShipmentRecord | None:
    """The order's parcel as of `now`; None when the order is too old or not yet packed."""
    if now - placed_at > SHIPPING_WINDOW:
        return None
    rng = random.Random(f"parcel:{order_id}")
    carrier = rng.choices(CARRIERS, weights=[c.share for c in CARRIERS])[0]
    number = carrier.new_number(rng)
    plan = _plan(rng, carrier, placed_at, destination)
    happened = [step for step in plan if step.at <= now]
    if not happened:
        return None
    delivered = happened[-1].status is TrackingStatus.DELIVERED
    picked_up = next((s.at for s in happened if s.status is TrackingStatus.IN_TRANSIT), None)
    return ShipmentRecord(
        platform_fulfillment_id=f"{order_id}-1",
        tracking_number=number,
        status=happened[-1].status,
        platform_order_id=order_id,
        carrier=carrier.name,
        tracking_url=carrier.tracking_url.format(number=number),
        platform_status=happened[-1].status.value,
        shipped_at=picked_up,
        delivered_at=happened[-1].at if delivered else None,
        estimated_delivery=plan[-1].at.replace(hour=23, minute=59, second=59),
        updated_at=happened[-1].at,
        events=tuple(
            ShipmentEventRecord(at=s.at, status=s.status, message=s.message, location=s.location)
            for s in happened
        ),
    )


def _plan(
    rng: random.Random, carrier: Carrier, placed_at: datetime, destination: str
) -> list[_Step]:
    """Every step the parcel will take, timed from the order; seconds dropped for tidiness."""

    def later(at: datetime, low_hours: float, high_hours: float) -> datetime:
        return (at + timedelta(hours=rng.uniform(low_hours, high_hours))).replace(microsecond=0)

    label = later(placed_at, 1, 4)
    pickup = later(label, 3, 10)
    arrived = later(pickup, 8, 20)
    departed = later(arrived, 2, 6)
    delivery_day = pickup + timedelta(days=rng.randint(*carrier.transit_days))
    # Vans leave between 7 am and noon on the US East Coast (12:00 to 17:59 UTC).
    out = delivery_day.replace(hour=rng.randint(12, 17), minute=rng.randint(0, 59), second=0)
    out = max(out, later(departed, 4, 8))
    delivered = later(out, 3, 10)  # a van round: out in the morning, dropped off by evening
    name = carrier.name
    return [
        _Step(label, TrackingStatus.CONFIRMED, f"Shipping label created for {name}", WAREHOUSE),
        _Step(pickup, TrackingStatus.IN_TRANSIT, f"Picked up by {name}", WAREHOUSE),
        _Step(arrived, TrackingStatus.IN_TRANSIT, f"Arrived at {name} facility", carrier.hub),
        _Step(departed, TrackingStatus.IN_TRANSIT, f"Departed {name} facility", carrier.hub),
        _Step(out, TrackingStatus.OUT_FOR_DELIVERY, "Out for delivery", destination),
        _Step(delivered, TrackingStatus.DELIVERED, "Delivered, left at front door", destination),
    ]
