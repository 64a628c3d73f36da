"""Each source's statuses map onto the one TrackingStatus: Shopify fulfillments and the four
carrier APIs (their HTTP mocked with `responses`, from recorded-shape fixtures)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import responses

from plugin.platforms.shopify import fulfillment_tracking_status
from plugin.tracking.carrier_api import CarrierApiError
from plugin.tracking.carrier_api.base import clear_token_cache
from plugin.tracking.carrier_api.dhl import DhlClient
from plugin.tracking.carrier_api.fedex import FedexClient
from plugin.tracking.carrier_api.ups import UpsClient
from plugin.tracking.carrier_api.usps import UspsClient
from plugin.tracking.status import TrackingStatus
from tests.tracking_helpers import CARRIER_FIXTURES

OAUTH = {"client_id": "merchant-client", "client_secret": "merchant-secret"}


def fixture(name: str) -> dict:
    return json.loads((CARRIER_FIXTURES / name).read_text())


@pytest.fixture(autouse=True)
def fresh_tokens():
    clear_token_cache()
    yield
    clear_token_cache()


@pytest.mark.parametrize(
    ("fulfillment", "expected"),
    [
        ({"status": "success", "shipment_status": None}, "confirmed"),
        ({"status": "success", "shipment_status": "label_printed"}, "confirmed"),
        ({"status": "success", "shipment_status": "in_transit"}, "in_transit"),
        ({"status": "success", "shipment_status": "out_for_delivery"}, "out_for_delivery"),
        ({"status": "success", "shipment_status": "attempted_delivery"}, "attempted_delivery"),
        ({"status": "success", "shipment_status": "ready_for_pickup"}, "ready_for_pickup"),
        ({"status": "success", "shipment_status": "delivered"}, "delivered"),
        ({"status": "success", "shipment_status": "failure"}, "exception"),
        ({"status": "cancelled", "shipment_status": "in_transit"}, "cancelled"),
        ({"status": "failure"}, "exception"),
    ],
)
def test_shopify_fulfillment_statuses(fulfillment, expected):
    assert fulfillment_tracking_status(fulfillment) == expected


@responses.activate
def test_ups_out_for_delivery_with_timeline():
    responses.post(
        "https://onlinetools.ups.com/security/v1/oauth/token", json=fixture("oauth_token.json")
    )
    responses.get(
        "https://onlinetools.ups.com/api/track/v1/details/1Z5R89390357567127",
        json=fixture("ups_track_out_for_delivery.json"),
    )
    result = UpsClient(OAUTH).track("1Z5R89390357567127")
    assert result.status is TrackingStatus.OUT_FOR_DELIVERY
    assert [e.status.value for e in result.events] == [
        "confirmed", "in_transit", "in_transit", "out_for_delivery",
    ]  # fmt: skip
    assert result.events[-1].at == datetime(2026, 11, 24, 12, 15, tzinfo=UTC)
    assert result.events[-1].location == "Brooklyn, NY, US"
    assert result.service == "UPS Ground"
    assert result.estimated_delivery.date().isoformat() == "2026-11-24"
    token_call = responses.calls[0].request
    assert token_call.headers["Authorization"].startswith("Basic ")
    assert responses.calls[1].request.headers["Authorization"] == "Bearer carrier-access-token-123"


@responses.activate
def test_usps_delivered():
    responses.post("https://apis.usps.com/oauth2/v3/token", json=fixture("oauth_token.json"))
    responses.get(
        "https://apis.usps.com/tracking/v3/tracking/9400111899223197428497",
        json=fixture("usps_tracking_delivered.json"),
    )
    result = UspsClient(OAUTH).track("9400111899223197428497")
    assert result.status is TrackingStatus.DELIVERED
    assert result.delivered_at == datetime(2026, 11, 24, 18, 45, tzinfo=UTC)
    assert [e.status.value for e in result.events] == [
        "confirmed", "in_transit", "out_for_delivery", "delivered",
    ]  # fmt: skip
    assert result.service == "Priority Mail"


@responses.activate
def test_fedex_delivery_exception_is_an_attempt():
    responses.post("https://apis.fedex.com/oauth/token", json=fixture("oauth_token.json"))
    responses.post(
        "https://apis.fedex.com/track/v1/trackingnumbers",
        json=fixture("fedex_track_exception.json"),
    )
    result = FedexClient(OAUTH).track("449044304137821")
    assert result.status is TrackingStatus.EXCEPTION
    assert [e.status.value for e in result.events] == [
        "in_transit",
        "out_for_delivery",
        "exception",
    ]
    assert result.estimated_delivery == datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    sent = json.loads(responses.calls[1].request.body)
    assert sent["trackingInfo"][0]["trackingNumberInfo"]["trackingNumber"] == "449044304137821"


@responses.activate
def test_dhl_in_transit_with_api_key():
    responses.get(
        "https://api-eu.dhl.com/track/shipments", json=fixture("dhl_shipment_transit.json")
    )
    result = DhlClient({"api_key": "dhl-key"}).track("3318810025")
    assert result.status is TrackingStatus.IN_TRANSIT
    assert [e.status.value for e in result.events] == ["confirmed", "in_transit", "in_transit"]
    assert responses.calls[0].request.headers["DHL-API-Key"] == "dhl-key"
    assert "trackingNumber=3318810025" in responses.calls[0].request.url


@responses.activate
def test_token_is_reused_until_it_expires():
    responses.post("https://apis.usps.com/oauth2/v3/token", json=fixture("oauth_token.json"))
    responses.get(
        "https://apis.usps.com/tracking/v3/tracking/9400111899223197428497",
        json=fixture("usps_tracking_delivered.json"),
    )
    client = UspsClient(OAUTH)
    client.track("9400111899223197428497")
    client.track("9400111899223197428497")
    assert [c.request.url.split("?")[0] for c in responses.calls].count(
        "https://apis.usps.com/oauth2/v3/token"
    ) == 1


@responses.activate
def test_carrier_outage_is_transient_and_bad_request_is_not():
    responses.get("https://api-eu.dhl.com/track/shipments", status=503)
    with pytest.raises(CarrierApiError) as outage:
        DhlClient({"api_key": "k"}).track("3318810025")
    assert outage.value.transient
    responses.replace(responses.GET, "https://api-eu.dhl.com/track/shipments", status=400)
    with pytest.raises(CarrierApiError) as refused:
        DhlClient({"api_key": "k"}).track("3318810025")
    assert not refused.value.transient


def test_missing_credentials_say_which():
    with pytest.raises(CarrierApiError, match="client_secret"):
        UpsClient({"client_id": "x"})


def test_shopify_order_gives_service_and_destination_region_for_eta_learning():
    from plugin.platforms.shopify import normalize_order
    from tests.conftest import load_fixture

    order = load_fixture("shopify/orders_create.json")
    order["shipping_address"] = {"country_code": "US", "province_code": "NY"}
    order["shipping_lines"] = [{"title": "Standard Shipping", "code": "STANDARD"}]
    order["fulfillments"] = [load_fixture("shopify/fulfillments_create.json")]
    parcel = normalize_order(order).shipments[0]
    assert (parcel.service, parcel.destination_region) == ("Standard Shipping", "US-NY")
