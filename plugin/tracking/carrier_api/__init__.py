"""Carrier tracking APIs: one small adapter per carrier, all speaking `TrackResult`.

Each adapter calls the carrier's REST API through `requests` (so tests mock it with
`responses`) and maps the carrier's own status codes onto `TrackingStatus`. Karrio's carrier
integrations were the model, but karrio sends its HTTP through urllib, which `responses`
cannot intercept, and brings lxml, Pillow and PDF tooling a tracker does not need (see
docs/tracking.md).
"""

from __future__ import annotations

from plugin.tracking.carrier_api.base import (
    CarrierApiError,
    CarrierClient,
    Credentials,
    TrackEvent,
    TrackResult,
)
from plugin.tracking.carrier_api.dhl import DhlClient
from plugin.tracking.carrier_api.fedex import FedexClient
from plugin.tracking.carrier_api.ups import UpsClient
from plugin.tracking.carrier_api.usps import UspsClient

# Account carrier code → client. DHL's one tracking API answers for Express and eCommerce.
CLIENTS: dict[str, type[CarrierClient]] = {
    "ups": UpsClient,
    "usps": UspsClient,
    "fedex": FedexClient,
    "dhl": DhlClient,
}

# A parcel's carrier code → the account that can track it.
ACCOUNT_FOR_CARRIER = {
    "ups": "ups",
    "usps": "usps",
    "fedex": "fedex",
    "dhl_express": "dhl",
    "dhl_ecommerce": "dhl",
}

__all__ = [
    "ACCOUNT_FOR_CARRIER",
    "CLIENTS",
    "CarrierApiError",
    "CarrierClient",
    "Credentials",
    "TrackEvent",
    "TrackResult",
]
