"""How far an order has come, as one TrackingStatus, from its own status and its parcels."""

from __future__ import annotations

from collections.abc import Iterable

from plugin.models import OrderStatus
from plugin.tracking.status import TrackingStatus

# How far along a parcel is. A problem ranks before "in transit" so that an order with one
# parcel stuck and one delivered reads as having a problem, not as nearly done.
PROGRESS: dict[TrackingStatus, int] = {
    TrackingStatus.ORDERED: 0,
    TrackingStatus.CONFIRMED: 1,
    TrackingStatus.EXCEPTION: 2,
    TrackingStatus.IN_TRANSIT: 3,
    TrackingStatus.ATTEMPTED_DELIVERY: 4,
    TrackingStatus.OUT_FOR_DELIVERY: 5,
    TrackingStatus.READY_FOR_PICKUP: 6,
    TrackingStatus.DELIVERED: 7,
    TrackingStatus.RETURNED: 8,
    TrackingStatus.CANCELLED: 9,
}

# The steps a shopper expects to see, in order, on a timeline.
MILESTONES: tuple[TrackingStatus, ...] = (
    TrackingStatus.ORDERED,
    TrackingStatus.CONFIRMED,
    TrackingStatus.IN_TRANSIT,
    TrackingStatus.OUT_FOR_DELIVERY,
    TrackingStatus.DELIVERED,
)

LABELS: dict[TrackingStatus, str] = {
    TrackingStatus.ORDERED: "Ordered",
    TrackingStatus.CONFIRMED: "Confirmed",
    TrackingStatus.IN_TRANSIT: "In transit",
    TrackingStatus.OUT_FOR_DELIVERY: "Out for delivery",
    TrackingStatus.DELIVERED: "Delivered",
    TrackingStatus.ATTEMPTED_DELIVERY: "Delivery attempted",
    TrackingStatus.READY_FOR_PICKUP: "Ready for pickup",
    TrackingStatus.EXCEPTION: "Delivery problem",
    TrackingStatus.RETURNED: "Returned to sender",
    TrackingStatus.CANCELLED: "Cancelled",
}

_NOT_GOING_TO_SHIP = {OrderStatus.CANCELLED, OrderStatus.FAILED}
_AWAITING_PAYMENT = {OrderStatus.PENDING, OrderStatus.ON_HOLD}


def as_tracking_status(value: str | None) -> TrackingStatus:
    """A stored status string; anything unknown reads as "confirmed" rather than failing."""
    try:
        return TrackingStatus(value or TrackingStatus.CONFIRMED)
    except ValueError:
        return TrackingStatus.CONFIRMED


def order_tracking_status(order_status: str, shipment_statuses: Iterable[str]) -> TrackingStatus:
    """The order's status: the least advanced live parcel, else what the order itself says."""
    if order_status in _NOT_GOING_TO_SHIP:
        return TrackingStatus.CANCELLED
    live = [
        status
        for status in map(as_tracking_status, shipment_statuses)
        if status != TrackingStatus.CANCELLED
    ]
    if live:
        return min(live, key=PROGRESS.__getitem__)
    if order_status == OrderStatus.REFUNDED:
        return TrackingStatus.CANCELLED  # refunded before anything shipped: nothing will come
    if order_status in _AWAITING_PAYMENT:
        return TrackingStatus.ORDERED
    return TrackingStatus.CONFIRMED


def milestone_reached(status: TrackingStatus, milestone: TrackingStatus) -> bool:
    """Whether a timeline step is done, for an order at `status`."""
    if status in (TrackingStatus.CANCELLED, TrackingStatus.RETURNED):
        return milestone in (TrackingStatus.ORDERED, TrackingStatus.CONFIRMED)
    if status == TrackingStatus.EXCEPTION:
        return PROGRESS[milestone] <= PROGRESS[TrackingStatus.CONFIRMED]
    position = {
        TrackingStatus.ATTEMPTED_DELIVERY: PROGRESS[TrackingStatus.OUT_FOR_DELIVERY],
        TrackingStatus.READY_FOR_PICKUP: PROGRESS[TrackingStatus.OUT_FOR_DELIVERY],
    }.get(status, PROGRESS[status])
    return PROGRESS[milestone] <= position
