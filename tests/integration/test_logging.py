# ruff: noqa: F811  (pytest fixtures imported by name)
"""Logs during real flows are JSON lines with request ids, and never carry a secret or a
shopper's contact details."""

from __future__ import annotations

import copy
import io
import json
import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from flask import Flask

from plugin.models import utcnow
from plugin.observability import configure_logging, job_log_context, log_context
from tests.conftest import SHOPIFY_API_SECRET, load_fixture
from tests.shopify_helpers import FakeShopifyAdmin, mocked_http, signed_query, token_url
from tests.tracking_helpers import SHOPPER_EMAIL, SHOPPER_PHONE, mail_server  # noqa: F401
from tests.woocommerce_helpers import CONSUMER_KEY, CONSUMER_SECRET, STORE_URL, fake_store

CODE = "0907a61c0c8d55e99db179b68161bc00"
TWILIO_URL = "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef/Messages.json"
TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC0123456789abcdef",
    "TWILIO_AUTH_TOKEN": "twilio-secret-token",
    "TWILIO_FROM": "+15005550006",
}


@pytest.fixture
def messaging(app: Flask, mail_server: Any) -> Any:
    """The test app sends mail to a local SMTP server and texts through (mocked) Twilio."""
    app.config.update({**mail_server.config(), **TWILIO, "HOLDOUT_SHARE": 0.0})
    return mail_server


@pytest.fixture
def captured(app) -> Iterator[io.StringIO]:
    """Everything every logger writes while the test runs, as the production handler writes it."""
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    settings = {**app.config, "LOG_FORMAT": "json", "LOG_LEVEL": "DEBUG"}
    handler = configure_logging(settings, stream=stream)
    # The test's own SMTP server (aiosmtpd, logger "mail.log") runs in this process too; its
    # lines are not Encore's.
    handler.addFilter(lambda record: not record.name.startswith("mail.log"))
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    """Each captured line parsed as JSON (a line that is not JSON fails the test)."""
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def install_shopify(client: Any) -> None:
    start = signed_query({"shop": "fresh-grocer.myshopify.com", "timestamp": int(time.time())})
    response = client.get("/auth/shopify", query_string=start)
    assert response.status_code == 302
    state = parse_qs(urlsplit(response.location).query)["state"][0]
    callback = signed_query(
        {
            "code": CODE,
            "shop": "fresh-grocer.myshopify.com",
            "state": state,
            "timestamp": int(time.time()),
        }
    )
    response = client.get("/auth/shopify/callback", query_string=callback)
    assert response.status_code == 302, response.get_data(as_text=True)


def order_with_contacts() -> dict[str, Any]:
    payload = copy.deepcopy(load_fixture("shopify/orders_create.json"))
    payload["email"] = SHOPPER_EMAIL
    payload["phone"] = SHOPPER_PHONE
    payload["customer"]["email"] = SHOPPER_EMAIL
    payload["customer"]["phone"] = SHOPPER_PHONE
    now = utcnow()
    payload["created_at"] = payload["updated_at"] = (now - timedelta(hours=6)).isoformat()
    return payload


def fulfillment() -> dict[str, Any]:
    payload = copy.deepcopy(load_fixture("shopify/fulfillments_create.json"))
    payload["created_at"] = payload["updated_at"] = (utcnow() - timedelta(hours=1)).isoformat()
    return payload


def connect_woocommerce(client: Any) -> list[str]:
    """Connect a WooCommerce store; returns the webhook secrets Encore made for it."""
    response = client.get("/auth/woocommerce", query_string={"store_url": STORE_URL})
    assert response.status_code == 302
    state = parse_qs(urlsplit(response.headers["Location"]).query)["user_id"][0]
    with fake_store() as shop:
        body = {**load_fixture("woocommerce/wc_auth_callback.json"), "user_id": state}
        response = client.post("/auth/woocommerce/callback", json=body)
        assert response.status_code == 200, response.get_data(as_text=True)
        return list(shop.secrets.values())


def test_install_orders_messages_and_connect_log_no_secret_or_contact(
    app, client, db, messaging, captured, send_shopify_webhook
):
    granted = load_fixture("shopify/oauth_access_token.json")
    with mocked_http() as http:
        http.add(responses.POST, token_url(), json=granted)
        http.add(
            responses.POST,
            TWILIO_URL,
            json={"sid": "SM0123456789abcdef", "status": "queued"},
            status=201,
        )
        FakeShopifyAdmin(http)
        install_shopify(client)

        from plugin.models import Store

        store = db.query(Store).one()
        store.settings = {
            "quiet_hours": None,
            "notifications": {"sms": {"shipped": True}},
        }
        db.commit()
        assert send_shopify_webhook("orders/create", order_with_contacts()).status_code == 200
        assert send_shopify_webhook("fulfillments/create", fulfillment()).status_code == 200
    webhook_secrets = connect_woocommerce(client)

    assert messaging.received, "the shipping email was sent, so its flow was logged"
    output = captured.getvalue()
    forbidden = {
        "access token": granted["access_token"],
        "refresh token": granted["refresh_token"],
        "OAuth code": CODE,
        "consumer key": CONSUMER_KEY,
        "consumer secret": CONSUMER_SECRET,
        "shopper email": SHOPPER_EMAIL,
        "shopper phone": SHOPPER_PHONE,
        "phone digits": SHOPPER_PHONE.removeprefix("+"),
        "app secret": SHOPIFY_API_SECRET,
        "Twilio token": TWILIO["TWILIO_AUTH_TOKEN"],
        "encryption key": app.config["ENCRYPTION_KEY"],
        **{f"webhook secret {n}": secret for n, secret in enumerate(webhook_secrets)},
    }
    leaked = [name for name, value in forbidden.items() if value in output]
    assert leaked == []

    records = lines(captured)
    access = [r for r in records if r["logger"] == "encore.access"]
    assert {(r["method"], r["path"]) for r in access} >= {
        ("GET", "/auth/shopify/callback"),
        ("POST", "/webhooks/shopify"),
        ("POST", "/auth/woocommerce/callback"),
    }
    assert all(r.get("request_id") for r in records)
    assert {r["store"] for r in access if r["path"] == "/webhooks/shopify"} == {
        "fresh-grocer.myshopify.com"
    }
    assert len(records) > len(access), "lines logged by the app itself carry the request id too"


def test_a_safe_request_id_is_kept_and_an_unsafe_one_replaced(client, captured):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.92_x"})
    replaced = client.get("/healthz", headers={"X-Request-ID": 'evil"<id> ' + "x" * 80})
    missing = client.get("/healthz")

    assert kept.headers["X-Request-ID"] == "lb-7f3a.92_x"
    new_ids = {replaced.headers["X-Request-ID"], missing.headers["X-Request-ID"]}
    assert len(new_ids) == 2
    assert all(len(i) == 32 and i.isalnum() for i in new_ids)
    logged = [r["request_id"] for r in lines(captured) if r["logger"] == "encore.access"]
    assert logged == [
        "lb-7f3a.92_x",
        replaced.headers["X-Request-ID"],
        missing.headers["X-Request-ID"],
    ]
    assert "evil" not in captured.getvalue()


def test_access_lines_never_carry_the_query_string(client, captured):
    client.get("/auth/shopify/callback", query_string={"code": CODE, "hmac": "feedface" * 8})

    (access,) = [r for r in lines(captured) if r["logger"] == "encore.access"]
    assert access["path"] == "/auth/shopify/callback"
    assert access["status"] == 400
    assert isinstance(access["duration_ms"], float)
    assert CODE not in captured.getvalue() and "feedface" not in captured.getvalue()


def test_messages_arguments_extras_and_tracebacks_are_redacted(app, captured):
    log = logging.getLogger("plugin.test")
    token = "shpat_0123456789abcdef0123456789abcdef"
    log.info("token %s for %s", token, "ann.lee@example.org")
    log.info(
        "texting", extra={"to": "(512) 555-0143", "headers": {"Authorization": "Bearer ey.J9"}}
    )
    try:
        raise RuntimeError(f"GET /orders?consumer_key={CONSUMER_KEY} failed, key {CONSUMER_SECRET}")
    except RuntimeError:
        log.exception("WooCommerce call failed")
    log.warning("secret is %s", app.config["SECRET_KEY"])

    output = captured.getvalue()
    for value in (token, "ann.lee@example.org", "555-0143", "ey.J9", CONSUMER_KEY, CONSUMER_SECRET):
        assert value not in output
    assert app.config["SECRET_KEY"] not in output
    records = lines(captured)
    assert records[0]["message"] == "token [redacted] for [email]"
    assert records[1]["to"] == "[phone]"
    assert "RuntimeError" in records[2]["exc_info"]


def test_job_lines_carry_the_inbox_id_and_kind(captured):
    log = logging.getLogger("plugin.jobs.test")
    with log_context(request_id="req-1"), job_log_context(42, "shopify.webhook"):
        log.info("order 820982911946154508: created")
    log.info("after the job")

    during, after = lines(captured)
    assert (during["inbox_id"], during["job_kind"], during["request_id"]) == (
        42,
        "shopify.webhook",
        "req-1",
    )
    assert "820982911946154508" in during["message"], "order ids are not mistaken for phones"
    assert "inbox_id" not in after and "request_id" not in after
