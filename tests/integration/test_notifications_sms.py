# ruff: noqa: F811  (pytest fixtures imported by name)
"""Shipping texts through Twilio's REST API (mocked with `responses`), the admin's test send,
and what a redacted shopper leaves behind."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest
import responses

from plugin.notifications import NotificationError, redact_recipients, send_test_notification
from tests.storefront_helpers import shopify_store
from tests.tracking_helpers import (
    CARRIER_FIXTURES,
    SHOPPER_PHONE,
    by_key,
    mail_server,  # noqa: F401
    notifications,
    parcel,
    place_order,
)

TWILIO_URL = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef/Messages.json"
TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC0123456789abcdef",
    "TWILIO_AUTH_TOKEN": "twilio-secret-token",
    "TWILIO_FROM": "+15005550006",
}


@pytest.fixture
def app_config(app_config: dict[str, Any], mail_server) -> dict[str, Any]:
    return {**app_config, **mail_server.config(), **TWILIO}


@pytest.fixture
def store(db):
    shop = shopify_store(db)
    shop.settings = {
        "quiet_hours": None,
        "notifications": {"sms": {"out_for_delivery": True, "delivered": True}},
    }
    db.commit()
    return shop


@responses.activate
def test_out_for_delivery_text_is_sent_once(db, store):
    responses.post(
        TWILIO_URL,
        body=(CARRIER_FIXTURES / "twilio_message_created.json").read_text(),
        status=201,
        content_type="application/json",
    )
    order = place_order(
        db,
        store,
        phone=SHOPPER_PHONE,
        shipments=(parcel("820982911946154508", "out_for_delivery"),),
    )
    place_order(
        db,
        store,
        phone=SHOPPER_PHONE,
        shipments=(parcel("820982911946154508", "out_for_delivery"),),
    )
    assert len(responses.calls) == 1
    sent = parse_qs(responses.calls[0].request.body)
    assert sent["To"] == [SHOPPER_PHONE] and sent["From"] == ["+15005550006"]
    assert sent["Body"][0].startswith("Fresh Grocer: your order #1042 is out for delivery today.")
    assert f"/t/{order.tracking_token}" in sent["Body"][0]
    row = by_key(db)[("out_for_delivery", "sms")]
    assert (row.status, row.provider_id) == ("sent", "SM1f0e8ae6ade43cb3c0ce4525424e404f")


@responses.activate
def test_shipped_text_is_off_by_default_and_missing_phone_is_counted(db, store):
    place_order(db, store, phone=None, shipments=(parcel("820982911946154508", "in_transit"),))
    assert len(responses.calls) == 0
    rows = by_key(db)
    assert rows[("shipped", "sms")].skip_reason == "disabled"
    place_order(
        db,
        store,
        "900001",
        phone=None,
        shipments=(parcel("900001", "out_for_delivery", fulfillment_id="7002"),),
    )
    assert {(n.milestone, n.skip_reason) for n in notifications(db) if n.channel == "sms"} >= {
        ("out_for_delivery", "no_phone")
    }


@responses.activate
def test_twilio_rejecting_the_number_is_a_permanent_failure(db, store):
    responses.post(
        TWILIO_URL,
        body=(CARRIER_FIXTURES / "twilio_invalid_number.json").read_text(),
        status=400,
        content_type="application/json",
    )
    place_order(
        db, store, phone="+1512555", shipments=(parcel("820982911946154508", "out_for_delivery"),)
    )
    row = by_key(db)[("out_for_delivery", "sms")]
    assert row.status == "failed" and "21211" in row.last_error
    assert "twilio-secret-token" not in (row.last_error or "")


def test_test_email_reaches_the_merchant(db, store, mail_server):
    send_test_notification(db, store, "email", "delivered", "owner@fresh-grocer.example")
    message = mail_server.received[-1]
    assert message["To"] == "owner@fresh-grocer.example"
    assert message["Subject"] == "Your order #1001 was delivered"
    row = notifications(db)[-1]
    assert (row.shipment_id, row.status, row.channel) == (None, "sent", "email")


@responses.activate
def test_test_text_goes_through_twilio(db, store):
    responses.post(TWILIO_URL, json={"sid": "SMtest"}, status=201)
    send_test_notification(db, store, "sms", "shipped", "+15125550143")
    assert parse_qs(responses.calls[0].request.body)["To"] == ["+15125550143"]


def test_test_send_explains_what_to_fix(app, db, store, mail_server):
    with pytest.raises(NotificationError, match="phone number"):
        send_test_notification(db, store, "sms", "shipped", "555")
    with pytest.raises(NotificationError, match="milestone"):
        send_test_notification(db, store, "email", "teleported", "a@b.example")
    app.config["SMTP_HOST"] = None
    with pytest.raises(NotificationError, match="SMTP_HOST"):
        send_test_notification(db, store, "email", "shipped", "owner@fresh-grocer.example")
    app.config["SMTP_HOST"] = "127.0.0.1"
    app.config["SMTP_PORT"] = 9  # nothing listens there
    with pytest.raises(NotificationError, match="SMTP_HOST, SMTP_PORT"):
        send_test_notification(db, store, "email", "shipped", "owner@fresh-grocer.example")
    assert notifications(db)[-1].status == "failed"


def test_redaction_forgets_recipients_but_keeps_the_counts(db, store, mail_server):
    order = place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    assert redact_recipients(db, store, [order.id]) == 2
    db.commit()
    assert [n.recipient for n in notifications(db)] == [None, None]
    assert by_key(db)[("shipped", "email")].status == "sent"
