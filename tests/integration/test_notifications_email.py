# ruff: noqa: F811  (pytest fixtures imported by name)
"""Shipping emails through a real SMTP server (aiosmtpd): sent once per parcel, milestone and
channel whatever the webhooks do, branded, with one-click unsubscribe, and never twice."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from plugin.db import get_db
from plugin.models import Order, utcnow
from plugin.notifications.delivery import deliver_due
from plugin.notifications.planning import plan_milestone
from plugin.tracking.tables import Milestone
from tests.conftest import load_fixture
from tests.storefront_helpers import catalogue, shopify_store
from tests.tracking_helpers import (
    SHOPPER_EMAIL,
    by_key,
    mail_server,  # noqa: F401  (fixture)
    notifications,
    parcel,
    place_order,
    update_parcel,
)

NO_QUIET_HOURS = {"quiet_hours": None}


@pytest.fixture
def app_config(app_config: dict[str, Any], mail_server) -> dict[str, Any]:
    return {**app_config, **mail_server.config(), "HOLDOUT_SHARE": 0.0}


@pytest.fixture
def store(db):
    shop = shopify_store(db)
    shop.settings = {
        **NO_QUIET_HOURS,
        "logo_url": "https://cdn.shopify.com/s/files/1/logo.png",
        "accent_color": "#ffcc00",
        "returns_url": "https://fresh-grocer.example/returns",
        "returns_text": "Returns are free within 30 days.",
        "support_email": "help@fresh-grocer.example",
    }
    db.commit()
    return shop


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def order_payload(email: str | None = SHOPPER_EMAIL) -> dict[str, Any]:
    payload = copy.deepcopy(load_fixture("shopify/orders_create.json"))
    payload["email"] = email
    payload["created_at"] = iso(utcnow() - timedelta(hours=6))
    payload["updated_at"] = iso(utcnow() - timedelta(hours=6))
    return payload


def fulfillment_payload(status: str | None, updated: datetime) -> dict[str, Any]:
    payload = copy.deepcopy(load_fixture("shopify/fulfillments_create.json"))
    payload["created_at"] = iso(utcnow() - timedelta(hours=3))
    payload["updated_at"] = iso(updated)
    payload["shipment_status"] = status
    return payload


def test_shipped_email_once_despite_duplicate_and_retried_webhooks(
    db, store, mail_server, send_shopify_webhook
):
    send_shopify_webhook("orders/create", order_payload())
    shipped = fulfillment_payload(None, utcnow() - timedelta(hours=3))
    send_shopify_webhook("fulfillments/create", shipped, event_id="evt-1")
    send_shopify_webhook("fulfillments/create", shipped, event_id="evt-1")  # duplicate delivery
    send_shopify_webhook("fulfillments/create", shipped, event_id="evt-2")  # platform retry
    # A later update with a newer timestamp but the same status: no new milestone.
    send_shopify_webhook(
        "fulfillments/update", fulfillment_payload(None, utcnow() - timedelta(hours=2))
    )

    assert len(mail_server.received) == 1
    message = mail_server.received[0]
    assert message["To"] == SHOPPER_EMAIL
    assert message["Subject"] == "Your order #1042 is on its way"
    rows = by_key(db)
    assert rows[("shipped", "email")].status == "sent"
    assert rows[("shipped", "email")].sent_at is not None
    assert rows[("shipped", "sms")].status == "skipped"
    assert rows[("shipped", "sms")].skip_reason == "disabled"  # SMS is off by default


def test_each_milestone_sends_its_own_email(db, store, mail_server, send_shopify_webhook):
    send_shopify_webhook("orders/create", order_payload())
    for hours_ago, status in (
        (3, None),
        (2, "in_transit"),
        (1, "out_for_delivery"),
        (0, "delivered"),
    ):
        send_shopify_webhook(
            "fulfillments/update",
            fulfillment_payload(status, utcnow() - timedelta(hours=hours_ago)),
        )
    subjects = [m["Subject"] for m in mail_server.received]
    assert subjects == [
        "Your order #1042 is on its way",
        "Your order #1042 is out for delivery",
        "Your order #1042 was delivered",
    ]


def test_email_is_branded_html_and_text_with_one_click_unsubscribe(
    db, store, mail_server, send_shopify_webhook
):
    catalogue(db, store, count=3)
    send_shopify_webhook("orders/create", order_payload())
    send_shopify_webhook(
        "fulfillments/create", fulfillment_payload("delivered", utcnow() - timedelta(minutes=5))
    )
    message = mail_server.received[-1]
    order_token = db.scalar(
        select(Order.tracking_token).where(Order.platform_order_id == "5723942158451")
    )
    page = f"https://encore.example.com/t/{order_token}"
    assert message["List-Unsubscribe"] == f"<{page}/unsubscribe/email>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["From"] == "Fresh Grocer <shipping@fresh-grocer.example>"
    assert message["Message-ID"].startswith("<encore.notification.")
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "https://cdn.shopify.com/s/files/1/logo.png" in html and "#ffcc00" in html
    assert page in html and page in text
    # Delivered: returns, support and the feedback request.
    assert "Returns are free within 30 days." in html and "help@fresh-grocer.example" in text
    assert "https://fresh-grocer.example/returns" in html
    assert f"{page}?rating=5#feedback" in html
    # One offer chosen by the offers engine, with its cart link.
    assert html.count("You might also like") == 1
    assert "https://fresh-grocer.myshopify.com/cart/" in html


def test_without_an_email_address_messages_are_skipped_and_counted(
    db, store, mail_server, send_shopify_webhook
):
    send_shopify_webhook("orders/create", order_payload(email=None))
    send_shopify_webhook(
        "fulfillments/create", fulfillment_payload(None, utcnow() - timedelta(hours=1))
    )
    assert mail_server.received == []
    row = by_key(db)[("shipped", "email")]
    assert (row.status, row.skip_reason, row.recipient) == ("skipped", "no_email", None)


def test_merchant_turns_a_milestone_off(db, store, mail_server):
    store.settings = {**store.settings, "notifications": {"email": {"shipped": False}}}
    db.commit()
    place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    assert mail_server.received == []
    assert by_key(db)[("shipped", "email")].skip_reason == "disabled"


def test_merchant_template_is_used_and_sandboxed(db, store, mail_server):
    store.settings = {
        **store.settings,
        "email_templates": {
            "shipped": {
                "subject": "{{ first_name }}, {{ order_name }} left {{ store_name }}!",
                "body": "Tracking {{ tracking_number }}. {{ ''.__class__.__mro__ }}",
            }
        },
    }
    db.commit()
    place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    message = mail_server.received[-1]
    assert message["Subject"] == "Maya, #1042 left Fresh Grocer!"
    # The body tried to reach Python internals: the sandbox refused, the built-in body stood in.
    text = message.get_body(("plain",)).get_content()
    assert "__mro__" not in text and "has shipped with UPS" in text


def test_transient_smtp_error_is_retried_later(db, store, mail_server):
    mail_server.refuse_next("451 4.3.0 Try again later")
    place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    row = by_key(db)[("shipped", "email")]
    assert (row.status, row.attempts) == ("pending", 1)
    assert "451" in row.last_error
    assert mail_server.received == []

    deliver_due(db, utcnow())  # not due yet: nothing happens
    assert mail_server.received == []
    deliver_due(db, utcnow() + timedelta(minutes=5))
    assert len(mail_server.received) == 1
    row = by_key(db)[("shipped", "email")]
    assert (row.status, row.attempts) == ("sent", 2)


def test_permanent_smtp_error_fails_without_retrying(db, store, mail_server):
    mail_server.refuse_next("554 5.7.1 Rejected")
    place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    deliver_due(db, utcnow() + timedelta(hours=1))
    row = by_key(db)[("shipped", "email")]
    assert row.status == "failed" and "554" in row.last_error
    assert mail_server.received == []


def test_crash_between_send_and_commit_never_sends_twice(db, store, mail_server, monkeypatch):
    """Documented behaviour (plugin/notifications/delivery.py): at most once. The message left
    but the process died before recording it; it is never sent again, and after the claim's
    lease it is marked failed/unconfirmed for the merchant to see."""
    import plugin.notifications.delivery as delivery

    class Crash(BaseException):
        pass

    def die(*_args, **_kwargs):
        raise Crash()

    monkeypatch.setattr(delivery, "mark_sent", die)
    with pytest.raises(Crash):
        place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    monkeypatch.undo()
    assert len(mail_server.received) == 1  # the SMTP server took it

    # Restart (a fresh session, as a new process would have), the same webhook again, then
    # the periodic sender, now and after the claim's lease.
    get_db().session.remove()
    db = get_db().session()
    update_parcel(db, store, parcel("820982911946154508", "in_transit", updated_at=utcnow()))
    deliver_due(db, utcnow())
    deliver_due(db, utcnow() + timedelta(hours=1))
    assert len(mail_server.received) == 1
    row = by_key(db)[("shipped", "email")]
    assert (row.status, row.skip_reason) == ("failed", "unconfirmed")


def test_quiet_hours_hold_messages_until_morning(db, store, mail_server):
    store.timezone = "America/New_York"
    store.settings = {**store.settings, "quiet_hours": {"start": "21:00", "end": "08:00"}}
    db.commit()
    order = place_order(db, store, email=SHOPPER_EMAIL)
    shipment = update_parcel(db, store, parcel(order.platform_order_id, "confirmed", number=""))
    late_evening = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)  # 10:30 pm in New York
    rows = plan_milestone(db, store, shipment, Milestone.OUT_FOR_DELIVERY, late_evening)
    db.commit()
    email = next(r for r in rows if r.channel == "email")
    assert (email.status, email.skip_reason) == ("pending", "quiet_hours")
    assert email.send_after == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # 8:00 am there

    deliver_due(db, datetime(2026, 11, 24, 12, 59, tzinfo=UTC))
    assert mail_server.received == []
    deliver_due(db, datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
    assert [m["Subject"] for m in mail_server.received] == ["Your order #1042 is out for delivery"]
    row = by_key(db)[("out_for_delivery", "email")]
    assert (row.status, row.skip_reason) == ("sent", None)


def test_a_held_message_overtaken_by_delivery_is_not_sent(db, store, mail_server):
    store.settings = {**store.settings, "quiet_hours": {"start": "00:00", "end": "23:59"}}
    db.commit()
    place_order(db, store, shipments=(parcel("820982911946154508", "out_for_delivery"),))
    update_parcel(db, store, parcel("820982911946154508", "delivered", delivered_at=utcnow()))
    rows = by_key(db)
    assert (
        rows[("out_for_delivery", "email")].status,
        rows[("out_for_delivery", "email")].skip_reason,
    ) == (
        "skipped",
        "superseded",
    )
    assert rows[("delivered", "email")].status == "pending"


def test_old_news_is_not_sent(db, store, mail_server):
    long_ago = utcnow() - timedelta(days=5)
    place_order(
        db,
        store,
        shipments=(parcel("820982911946154508", "delivered", delivered_at=long_ago),),
    )
    assert mail_server.received == []
    assert by_key(db)[("delivered", "email")].skip_reason == "stale"


def test_unsubscribe_link_stops_later_messages(client, db, store, mail_server):
    order = place_order(db, store, shipments=(parcel("820982911946154508", "in_transit"),))
    assert len(mail_server.received) == 1
    page = client.get(f"/t/{order.tracking_token}/unsubscribe/email")
    assert page.status_code == 200 and "Unsubscribe" in page.get_data(as_text=True)
    one_click = client.post(
        f"/t/{order.tracking_token}/unsubscribe/email",
        data={"List-Unsubscribe": "One-Click"},
    )
    assert one_click.status_code == 200
    assert "won't get shipping updates" in one_click.get_data(as_text=True)
    update_parcel(db, store, parcel("820982911946154508", "out_for_delivery"))
    assert len(mail_server.received) == 1
    assert by_key(db)[("out_for_delivery", "email")].skip_reason == "unsubscribed"
    assert SHOPPER_EMAIL not in json.dumps([row.skip_reason for row in notifications(db)])
