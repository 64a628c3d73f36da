"""USPS Tracking API v3 (OAuth client credentials; `GET /tracking/v3/tracking/{number}`)."""

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

PRODUCTION = "https://apis.usps.com"
SANDBOX = "https://apis-tem.usps.com"

# trackingEvents[].eventCode → status (USPS event codes); others read as in transit.
EVENT_CODES: dict[str, TrackingStatus] = {
    "GX": TrackingStatus.CONFIRMED,  # shipping label created
    "MA": TrackingStatus.CONFIRMED,  # pre-shipment info sent
    "03": TrackingStatus.IN_TRANSIT,  # accepted at the post office
    "OF": TrackingStatus.OUT_FOR_DELIVERY,
    "01": TrackingStatus.DELIVERED,
    "02": TrackingStatus.ATTEMPTED_DELIVERY,  # notice left
    "52": TrackingStatus.ATTEMPTED_DELIVERY,
    "53": TrackingStatus.READY_FOR_PICKUP,
    "16": TrackingStatus.READY_FOR_PICKUP,
    "04": TrackingStatus.EXCEPTION,  # refused
    "05": TrackingStatus.EXCEPTION,  # undeliverable as addressed
    "09": TrackingStatus.RETURNED,
    "21": TrackingStatus.EXCEPTION,  # no such number
}
CATEGORIES: dict[str, TrackingStatus] = {
    "pre-shipment": TrackingStatus.CONFIRMED,
    "accepted": TrackingStatus.IN_TRANSIT,
    "in transit": TrackingStatus.IN_TRANSIT,
    "out for delivery": TrackingStatus.OUT_FOR_DELIVERY,
    "delivered": TrackingStatus.DELIVERED,
    "delivery attempt": TrackingStatus.ATTEMPTED_DELIVERY,
    "available for pickup": TrackingStatus.READY_FOR_PICKUP,
    "alert": TrackingStatus.EXCEPTION,
    "return to sender": TrackingStatus.RETURNED,
}


class UspsClient(CarrierClient):
    code: ClassVar[str] = "usps"
    required: ClassVar[tuple[str, ...]] = ("client_id", "client_secret")
    production_url: ClassVar[str] = PRODUCTION
    sandbox_url: ClassVar[str] = SANDBOX
    token_path: ClassVar[str] = "/oauth2/v3/token"

    def _token_request(self) -> dict[str, Any]:
        return {
            "json": {
                "grant_type": "client_credentials",
                "client_id": self.credentials["client_id"],
                "client_secret": self.credentials["client_secret"],
            }
        }

    def track(self, tracking_number: str) -> TrackResult:
        body = self._request(
            "GET",
            f"{self.base}/tracking/v3/tracking/{tracking_number}",
            "track",
            params={"expand": "DETAIL"},
            headers={"Authorization": f"Bearer {self._token()}"},
        )
        if not isinstance(body, dict):
            raise CarrierApiError("USPS answered without tracking details")
        events = []
        for item in body.get("trackingEvents") or []:
            at = iso_time(item.get("GMTTimestamp")) or iso_time(item.get("eventTimestamp"))
            if at is None:
                continue
            code = str(item.get("eventCode") or "")
            events.append(
                TrackEvent(
                    at=at,
                    status=EVENT_CODES.get(code, TrackingStatus.IN_TRANSIT),
                    message=item.get("eventType") or None,
                    location=location_text(
                        str(item.get("eventCity") or "").title(),
                        item.get("eventState"),
                        item.get("eventCountry"),
                    ),
                )
            )
        events.sort(key=lambda e: e.at)
        category = str(body.get("statusCategory") or "").strip().lower()
        status = CATEGORIES.get(category) or (
            events[-1].status if events else TrackingStatus.CONFIRMED
        )
        delivered = next(
            (e.at for e in reversed(events) if e.status is TrackingStatus.DELIVERED), None
        )
        return TrackResult(
            status=status,
            events=tuple(events),
            estimated_delivery=iso_time(body.get("expectedDeliveryTimeStamp")),
            delivered_at=delivered if status is TrackingStatus.DELIVERED else None,
            service=body.get("mailClass") or None,
            carrier_status=body.get("statusCategory") or None,
        )
