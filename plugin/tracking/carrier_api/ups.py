"""UPS Tracking API (OAuth client credentials; `GET /api/track/v1/details/{number}`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar

from plugin.tracking.carrier_api.base import (
    CarrierApiError,
    CarrierClient,
    TrackEvent,
    TrackResult,
    location_text,
)
from plugin.tracking.status import TrackingStatus

PRODUCTION = "https://onlinetools.ups.com"
SANDBOX = "https://wwwcie.ups.com"

# activity[].status.type → status; a few status codes say more than their type.
TYPES: dict[str, TrackingStatus] = {
    "M": TrackingStatus.CONFIRMED,  # manifest: label created
    "MV": TrackingStatus.CANCELLED,  # label voided
    "P": TrackingStatus.IN_TRANSIT,  # picked up
    "I": TrackingStatus.IN_TRANSIT,
    "W": TrackingStatus.IN_TRANSIT,  # in a warehouse
    "DO": TrackingStatus.IN_TRANSIT,
    "DD": TrackingStatus.IN_TRANSIT,
    "O": TrackingStatus.OUT_FOR_DELIVERY,
    "D": TrackingStatus.DELIVERED,
    "X": TrackingStatus.EXCEPTION,
    "RS": TrackingStatus.RETURNED,
}
STATUS_CODES: dict[str, TrackingStatus] = {
    "021": TrackingStatus.OUT_FOR_DELIVERY,
    "048": TrackingStatus.ATTEMPTED_DELIVERY,
    "012": TrackingStatus.READY_FOR_PICKUP,  # at a UPS Access Point
    "011": TrackingStatus.DELIVERED,
}


def map_activity(status: dict[str, Any]) -> TrackingStatus:
    code = str(status.get("statusCode") or "")
    if code in STATUS_CODES:
        return STATUS_CODES[code]
    description = str(status.get("description") or "").lower()
    if "out for delivery" in description:
        return TrackingStatus.OUT_FOR_DELIVERY
    kind = str(status.get("type") or "")
    if kind == "X" and "attempt" in description:
        return TrackingStatus.ATTEMPTED_DELIVERY
    return TYPES.get(kind, TrackingStatus.IN_TRANSIT)


def _when(date: str | None, time: str | None, offset: str | None) -> datetime | None:
    if not date:
        return None
    try:
        moment = datetime.strptime(f"{date}{(time or '000000')[:6]:0<6}", "%Y%m%d%H%M%S")
    except ValueError:
        return None
    zone = UTC
    if offset and len(offset) >= 6 and offset[0] in "+-":
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        sign = -1 if offset[0] == "-" else 1
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return moment.replace(tzinfo=zone).astimezone(UTC)


class UpsClient(CarrierClient):
    code: ClassVar[str] = "ups"
    required: ClassVar[tuple[str, ...]] = ("client_id", "client_secret")
    production_url: ClassVar[str] = PRODUCTION
    sandbox_url: ClassVar[str] = SANDBOX
    token_path: ClassVar[str] = "/security/v1/oauth/token"

    def _token_request(self) -> dict[str, Any]:
        return {
            "auth": (self.credentials["client_id"], self.credentials["client_secret"]),
            "data": {"grant_type": "client_credentials"},
        }

    def track(self, tracking_number: str) -> TrackResult:
        body = self._request(
            "GET",
            f"{self.base}/api/track/v1/details/{tracking_number}",
            "track",
            params={"locale": "en_US", "returnSignature": "false"},
            headers={
                "Authorization": f"Bearer {self._token()}",
                "transId": uuid.uuid4().hex,
                "transactionSrc": "encore",
            },
        )
        try:
            package = body["trackResponse"]["shipment"][0]["package"][0]
        except (KeyError, IndexError, TypeError) as exc:
            raise CarrierApiError("UPS answered without a package") from exc
        events = []
        for activity in package.get("activity") or []:
            at = _when(activity.get("date"), activity.get("time"), activity.get("gmtOffset"))
            if at is None:
                continue
            address = (activity.get("location") or {}).get("address") or {}
            status = activity.get("status") or {}
            events.append(
                TrackEvent(
                    at=at,
                    status=map_activity(status),
                    message=str(status.get("description") or "").strip().capitalize() or None,
                    location=location_text(
                        str(address.get("city") or "").title(),
                        address.get("stateProvince"),
                        address.get("countryCode"),
                    ),
                )
            )
        events.sort(key=lambda e: e.at)
        estimated = delivered = None
        for entry in package.get("deliveryDate") or []:
            moment = _when(entry.get("date"), "235959", None)
            if entry.get("type") == "DEL":
                delivered = next(
                    (e.at for e in reversed(events) if e.status is TrackingStatus.DELIVERED),
                    moment,
                )
            elif entry.get("type") in ("SDD", "RDD"):
                estimated = moment
        current = package.get("currentStatus") or {}
        status = events[-1].status if events else TrackingStatus.CONFIRMED
        return TrackResult(
            status=status,
            events=tuple(events),
            estimated_delivery=estimated,
            delivered_at=delivered,
            service=(package.get("service") or {}).get("description"),
            carrier_status=current.get("code") or current.get("description"),
        )
