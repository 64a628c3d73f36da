"""DHL Shipment Tracking - Unified API (`GET /track/shipments`, `DHL-API-Key` header).

One API answers for DHL Express, DHL eCommerce and the parcel services.
"""

from __future__ import annotations

from typing import Any, ClassVar

from plugin.tracking.carrier_api.base import (
    CarrierApiError,
    CarrierClient,
    TrackEvent,
    TrackResult,
    iso_time,
    location_text,
)
from plugin.tracking.status import TrackingStatus

BASE = "https://api-eu.dhl.com"

STATUS_CODES: dict[str, TrackingStatus] = {
    "pre-transit": TrackingStatus.CONFIRMED,
    "transit": TrackingStatus.IN_TRANSIT,
    "delivered": TrackingStatus.DELIVERED,
    "failure": TrackingStatus.EXCEPTION,
    "unknown": TrackingStatus.IN_TRANSIT,
}


def map_status(item: dict[str, Any]) -> TrackingStatus:
    text = f"{item.get('status') or ''} {item.get('description') or ''}".lower()
    if "out for delivery" in text or "with delivery courier" in text:
        return TrackingStatus.OUT_FOR_DELIVERY
    if "attempt" in text:
        return TrackingStatus.ATTEMPTED_DELIVERY
    if "returned to" in text or "return to sender" in text:
        return TrackingStatus.RETURNED
    if "ready for pickup" in text or "awaiting collection" in text:
        return TrackingStatus.READY_FOR_PICKUP
    return STATUS_CODES.get(str(item.get("statusCode") or ""), TrackingStatus.IN_TRANSIT)


def _place(item: dict[str, Any]) -> str | None:
    address = ((item.get("location") or {}).get("address")) or {}
    return location_text(address.get("addressLocality"), address.get("countryCode"))


class DhlClient(CarrierClient):
    code: ClassVar[str] = "dhl"
    required: ClassVar[tuple[str, ...]] = ("api_key",)

    def track(self, tracking_number: str) -> TrackResult:
        body = self._request(
            "GET",
            f"{BASE}/track/shipments",
            "track",
            params={"trackingNumber": tracking_number},
            headers={"DHL-API-Key": self.credentials["api_key"], "Accept": "application/json"},
        )
        try:
            shipment = body["shipments"][0]
        except (KeyError, IndexError, TypeError) as exc:
            raise CarrierApiError("DHL answered without a shipment") from exc
        events = []
        for item in shipment.get("events") or []:
            at = iso_time(item.get("timestamp"))
            if at is None:
                continue
            events.append(
                TrackEvent(
                    at=at,
                    status=map_status(item),
                    message=item.get("description") or item.get("status") or None,
                    location=_place(item),
                )
            )
        events.sort(key=lambda e: e.at)
        current = shipment.get("status") or {}
        status = map_status(current)
        return TrackResult(
            status=status,
            events=tuple(events),
            estimated_delivery=iso_time(shipment.get("estimatedTimeOfDelivery")),
            delivered_at=iso_time(current.get("timestamp"))
            if status is TrackingStatus.DELIVERED
            else None,
            service=shipment.get("service") or None,
            carrier_status=current.get("statusCode"),
        )
