"""FedEx Track API (OAuth client credentials; `POST /track/v1/trackingnumbers`)."""

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

PRODUCTION = "https://apis.fedex.com"
SANDBOX = "https://apis-sandbox.fedex.com"

# FedEx status codes (latestStatusDetail.code, scanEvents[].derivedStatusCode).
CODES: dict[str, TrackingStatus] = {
    "OC": TrackingStatus.CONFIRMED,  # shipment information sent to FedEx
    "PU": TrackingStatus.IN_TRANSIT,
    "PX": TrackingStatus.IN_TRANSIT,
    "IT": TrackingStatus.IN_TRANSIT,
    "AR": TrackingStatus.IN_TRANSIT,
    "DP": TrackingStatus.IN_TRANSIT,
    "AF": TrackingStatus.IN_TRANSIT,
    "CC": TrackingStatus.IN_TRANSIT,  # cleared customs
    "OD": TrackingStatus.OUT_FOR_DELIVERY,
    "DL": TrackingStatus.DELIVERED,
    "DE": TrackingStatus.EXCEPTION,
    "SE": TrackingStatus.EXCEPTION,
    "CD": TrackingStatus.EXCEPTION,  # clearance delay
    "DY": TrackingStatus.EXCEPTION,  # delay
    "CA": TrackingStatus.CANCELLED,
    "RS": TrackingStatus.RETURNED,
    "HL": TrackingStatus.READY_FOR_PICKUP,  # held at location
    "HP": TrackingStatus.READY_FOR_PICKUP,
}


def map_code(code: str | None, description: str | None = None) -> TrackingStatus:
    status = CODES.get(str(code or "").upper(), TrackingStatus.IN_TRANSIT)
    if status is TrackingStatus.EXCEPTION and "attempt" in str(description or "").lower():
        return TrackingStatus.ATTEMPTED_DELIVERY
    return status


class FedexClient(CarrierClient):
    code: ClassVar[str] = "fedex"
    required: ClassVar[tuple[str, ...]] = ("client_id", "client_secret")
    production_url: ClassVar[str] = PRODUCTION
    sandbox_url: ClassVar[str] = SANDBOX
    token_path: ClassVar[str] = "/oauth/token"

    def _token_request(self) -> dict[str, Any]:
        return {
            "data": {
                "grant_type": "client_credentials",
                "client_id": self.credentials["client_id"],
                "client_secret": self.credentials["client_secret"],
            }
        }

    def track(self, tracking_number: str) -> TrackResult:
        body = self._request(
            "POST",
            f"{self.base}/track/v1/trackingnumbers",
            "track",
            json={
                "includeDetailedScans": True,
                "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": tracking_number}}],
            },
            headers={"Authorization": f"Bearer {self._token()}", "X-locale": "en_US"},
        )
        try:
            result = body["output"]["completeTrackResults"][0]["trackResults"][0]
        except (KeyError, IndexError, TypeError) as exc:
            raise CarrierApiError("FedEx answered without a track result") from exc
        if result.get("error"):
            raise CarrierApiError(f"FedEx: {result['error'].get('code', 'error')}")
        events = []
        for scan in result.get("scanEvents") or []:
            at = iso_time(scan.get("date"))
            if at is None:
                continue
            place = scan.get("scanLocation") or {}
            description = scan.get("eventDescription")
            events.append(
                TrackEvent(
                    at=at,
                    status=map_code(scan.get("derivedStatusCode"), description),
                    message=description or None,
                    location=location_text(
                        str(place.get("city") or "").title(),
                        place.get("stateOrProvinceCode"),
                        place.get("countryCode"),
                    ),
                )
            )
        events.sort(key=lambda e: e.at)
        latest = result.get("latestStatusDetail") or {}
        status = map_code(latest.get("code"), latest.get("description"))
        times = {
            t.get("type"): iso_time(t.get("dateTime")) for t in result.get("dateAndTimes") or []
        }
        window = (result.get("estimatedDeliveryTimeWindow") or {}).get("window") or {}
        return TrackResult(
            status=status,
            events=tuple(events),
            estimated_delivery=times.get("ESTIMATED_DELIVERY") or iso_time(window.get("ends")),
            delivered_at=times.get("ACTUAL_DELIVERY")
            if status is TrackingStatus.DELIVERED
            else None,
            service=(result.get("serviceDetail") or {}).get("description"),
            carrier_status=latest.get("code"),
        )
