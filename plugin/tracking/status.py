"""The one tracking status every carrier and platform status maps onto (CONTRACT.md)."""

from __future__ import annotations

from enum import StrEnum


class TrackingStatus(StrEnum):
    ORDERED = "ordered"
    CONFIRMED = "confirmed"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    ATTEMPTED_DELIVERY = "attempted_delivery"
    READY_FOR_PICKUP = "ready_for_pickup"
    EXCEPTION = "exception"
    RETURNED = "returned"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in {TrackingStatus.DELIVERED, TrackingStatus.RETURNED, TrackingStatus.CANCELLED}
