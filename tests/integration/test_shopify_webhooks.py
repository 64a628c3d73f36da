"""Webhook intake: verify, store once, acknowledge; jobs turn payloads into the domain."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
import responses
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.crypto import seal
from plugin.jobs.shopify_events import KIND
from plugin.jobs.worker import Worker
from plugin.models import (
    Checkout,
    Customer,
    DataRequest,
    InboxEvent,
    Order,
    Product,
    Shipment,
    Store,
    StoreCredential,
    utcnow,
)
from tests.conftest import SHOP, load_fixture, run_cli
from tests.shopify_helpers import graphql_url


@pytest.fixture
def store(db: Session) -> Store:
    shop = Store(platform="shopify", domain=SHOP, name="Fresh Grocer", installed_at=utcnow())
    shop.credential = StoreCredential(access_token_sealed=seal("shpat_test_token"))
    db.add(shop)
    db.commit()
    return shop


def count(db: Session, model: Any) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def webhooks_stored(db: Session) -> int:
    """Inbox rows that are Shopify deliveries (orders also queue follow-up jobs there)."""
    db.expire_all()
    query = select(func.count()).select_from(InboxEvent).where(InboxEvent.kind == KIND)
    return int(db.scalar(query) or 0)


def order_payload(**changes: Any) -> dict[str, Any]:
    payload = copy.deepcopy(load_fixture("shopify/orders_create.json"))
    payload.update(changes)
    return payload


def test_forged_webhook_is_rejected_and_nothing_stored(send_shopify_webhook, db, store):
    response = send_shopify_webhook("orders/create", order_payload(), secret="not-the-app-secret")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_signature"
    assert count(db, InboxEvent) == 0
    assert count(db, Order) == 0


def test_unsigned_webhook_is_rejected(send_shopify_webhook, db, store):
    response = send_shopify_webhook("orders/create", order_payload(), signature="")
    assert response.status_code == 401
    assert count(db, InboxEvent) == 0


def test_signed_body_that_was_altered_is_rejected(client, db, store):
    from tests.conftest import shopify_hmac

    body = json.dumps(order_payload()).encode()
    response = client.post(
        "/webhooks/shopify",
        data=body.replace(b"29.46", b"0.01"),
        headers={
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Shop-Domain": SHOP,
            "X-Shopify-Hmac-Sha256": shopify_hmac(body),
        },
    )
    assert response.status_code == 401
    assert count(db, InboxEvent) == 0


def test_order_webhook_becomes_an_order_with_line_items(send_shopify_webhook, db, store):
    response = send_shopify_webhook("orders/create", order_payload(), event_id="evt-1")
    assert response.status_code == 200
    order = db.scalar(select(Order))
    assert order is not None
    assert order.platform_order_id == "5723942158451"
    assert order.name == "#1042"
    assert str(order.total_price) == "29.46"
    assert [(li.platform_product_id, li.quantity) for li in order.line_items] == [
        ("8123456789001", 2),
        ("8123456789002", 1),
    ]
    assert order.customer is not None and order.customer.platform_customer_id == "7012345678901"
    assert order.customer.email is None  # protected data not granted: id only
    assert db.scalar(select(InboxEvent.status).order_by(InboxEvent.id)) == "done"


def test_duplicate_delivery_is_stored_and_processed_once(send_shopify_webhook, db, store):
    first = send_shopify_webhook("orders/create", order_payload(), event_id="evt-dup")
    second = send_shopify_webhook("orders/create", order_payload(), event_id="evt-dup")
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json == {"status": "duplicate"}
    assert webhooks_stored(db) == 1
    assert count(db, Order) == 1


def test_unprefixed_shopify_headers_are_accepted(client, db, store):
    from tests.conftest import shopify_hmac

    body = json.dumps(order_payload()).encode()
    response = client.post(
        "/webhooks/shopify",
        data=body,
        headers={
            "shopify-topic": "orders/create",
            "shopify-shop-domain": SHOP,
            "shopify-event-id": "evt-new-style",
            "shopify-hmac-sha256": shopify_hmac(body),
        },
    )
    assert response.status_code == 200
    assert count(db, Order) == 1


def test_older_update_arriving_late_does_not_overwrite_newer_data(send_shopify_webhook, db, store):
    newer = order_payload(updated_at="2026-11-21T12:00:00-05:00", financial_status="refunded")
    older = order_payload(updated_at="2026-11-20T10:00:00-05:00", financial_status="paid")
    send_shopify_webhook("orders/updated", newer, event_id="evt-newer")
    send_shopify_webhook("orders/updated", older, event_id="evt-older")
    order = db.scalar(select(Order))
    assert order is not None
    assert order.status == "refunded"
    assert order.financial_status == "refunded"
    assert webhooks_stored(db) == 2  # both accepted; the older one changed nothing


def test_product_webhook_tracks_price_and_stock(send_shopify_webhook, db, store):
    payload = load_fixture("shopify/products_update.json")
    send_shopify_webhook("products/update", payload, event_id="p-1")
    product = db.scalar(select(Product))
    assert product is not None
    assert product.title == "Honeycrisp Apples"
    assert product.image_url and product.image_url.startswith("https://cdn.shopify.com/")
    variant = product.variants[0]
    assert (str(variant.price), str(variant.compare_at_price)) == ("5.49", "6.49")
    assert product.is_available

    sold_out = copy.deepcopy(payload)
    sold_out["updated_at"] = "2026-11-20T08:00:00-05:00"
    sold_out["variants"][0]["inventory_quantity"] = 0
    send_shopify_webhook("products/update", sold_out, event_id="p-2")
    db.expire_all()
    assert not db.scalar(select(Product)).is_available  # type: ignore[union-attr]

    # A restock that was sent earlier but arrives last must not bring it back.
    send_shopify_webhook("products/update", payload, event_id="p-1-retry")
    db.expire_all()
    assert not db.scalar(select(Product)).is_available  # type: ignore[union-attr]


def test_deleted_product_is_never_available_again(send_shopify_webhook, db, store):
    send_shopify_webhook("products/update", load_fixture("shopify/products_update.json"))
    send_shopify_webhook("products/delete", {"id": 8123456789003}, event_id="p-del")
    product = db.scalar(select(Product))
    assert product is not None and product.status == "deleted"
    assert not product.is_available


def test_checkout_keeps_the_cart_products(send_shopify_webhook, db, store):
    send_shopify_webhook("checkouts/create", load_fixture("shopify/checkouts_create.json"))
    checkout = db.scalar(select(Checkout))
    assert checkout is not None
    assert checkout.platform_product_ids == ["8123456789001", "8123456789002"]


def test_fulfillment_becomes_a_tracked_shipment(send_shopify_webhook, db, store):
    send_shopify_webhook("orders/create", order_payload())
    send_shopify_webhook("fulfillments/create", load_fixture("shopify/fulfillments_create.json"))
    shipment = db.scalar(select(Shipment))
    assert shipment is not None
    assert (shipment.carrier, shipment.tracking_number) == ("UPS", "1Z999AA10123456784")
    assert shipment.status == "confirmed"
    assert shipment.tracking_url and "1Z999AA10123456784" in shipment.tracking_url
    assert [e.status for e in shipment.events] == ["confirmed"]


def test_poison_payload_is_dead_lettered_at_once_and_visible(send_shopify_webhook, db, store):
    response = send_shopify_webhook("orders/create", b"{not json", event_id="evt-poison")
    assert response.status_code == 200  # acknowledged: the platform must not retry-storm
    event = db.scalar(select(InboxEvent).order_by(InboxEvent.id))
    assert event is not None
    assert event.status == "dead"
    assert event.last_error and "PayloadError" in event.last_error


@responses.activate
def test_fulfillment_before_its_order_fetches_the_order_from_shopify(
    send_shopify_webhook, db, store
):
    responses.post(graphql_url(), json=load_fixture("shopify/graphql_order.json"))
    send_shopify_webhook("fulfillments/create", load_fixture("shopify/fulfillments_create.json"))
    order = db.scalar(select(Order))
    assert order is not None and order.platform_order_id == "5723942158451"
    assert count(db, Shipment) >= 1
    assert db.scalar(select(InboxEvent.status).order_by(InboxEvent.id)) == "done"


@responses.activate
def test_failing_job_retries_with_backoff_then_dead_letters_and_replays(
    app: Flask, send_shopify_webhook, db, store
):
    # The fulfillment arrives before its order and Shopify does not show the order yet:
    # the job fails until the order exists.
    responses.post(graphql_url(), json={"data": {"order": None}})
    send_shopify_webhook("fulfillments/create", load_fixture("shopify/fulfillments_create.json"))
    worker = Worker(app, worker_id="test-worker")
    event = db.scalar(select(InboxEvent).order_by(InboxEvent.id))
    assert event is not None and event.status == "pending" and event.attempts == 1
    first_retry_at = event.run_after

    clock = utcnow()
    for _ in range(5):
        clock += timedelta(hours=2)
        worker.drain(now=clock)
    db.expire_all()
    event = db.get(InboxEvent, event.id)
    assert event is not None
    assert event.status == "dead" and event.attempts == 3  # JOBS_MAX_ATTEMPTS in tests
    assert first_retry_at > event.received_at

    send_shopify_webhook("orders/create", order_payload())
    result = run_cli(app, "jobs", "replay")
    assert "Re-queued 1 dead letter" in result.output
    worker.drain()
    assert count(db, Shipment) == 1
    db.expire_all()
    assert db.get(InboxEvent, event.id).status == "done"  # type: ignore[union-attr]


def test_worker_claims_a_row_whose_lease_expired_after_a_crash(app: Flask, db, store):
    from plugin.jobs.queue import claim, enqueue

    event = enqueue(
        db,
        kind="shopify.webhook",
        topic="orders/create",
        event_key="crash-1",
        body=json.dumps(order_payload()),
        shop_domain=SHOP,
        store_id=store.id,
    )
    assert event is not None
    crashed = claim(db, "crashed-worker", lease_seconds=60)
    assert crashed is not None and crashed.id == event.id
    # Within the lease nobody else may take it.
    assert Worker(app, worker_id="survivor").run_one() is False
    # After the lease expires the survivor takes over and does the work exactly once.
    assert Worker(app, worker_id="survivor").run_one(now=utcnow() + timedelta(seconds=61))
    db.expire_all()
    done = db.get(InboxEvent, event.id)
    assert done is not None and done.status == "done" and done.claimed_by == "survivor"
    assert count(db, Order) == 1


def test_uninstall_revokes_the_token_and_keeps_the_data(send_shopify_webhook, db, store):
    send_shopify_webhook("orders/create", order_payload())
    send_shopify_webhook("app/uninstalled", load_fixture("shopify/app_uninstalled.json"))
    db.expire_all()
    shop = db.scalar(select(Store))
    assert shop is not None and shop.status == "uninstalled"
    assert count(db, StoreCredential) == 0
    assert count(db, Order) == 1
    # Events that arrive after the uninstall change nothing.
    send_shopify_webhook("orders/updated", order_payload(id=1, name="#1043"))
    assert count(db, Order) == 1


def test_customers_redact_erases_the_shoppers_personal_data(send_shopify_webhook, db, store):
    payload = order_payload(email="ada@example.com")
    payload["customer"] = {**payload["customer"], "email": "ada@example.com", "first_name": "Ada"}
    send_shopify_webhook("orders/create", payload)
    send_shopify_webhook("customers/redact", load_fixture("shopify/customers_redact.json"))
    db.expire_all()
    customer = db.scalar(select(Customer))
    order = db.scalar(select(Order))
    assert customer is not None and order is not None
    assert (customer.email, customer.first_name, order.email) == (None, None, None)
    assert customer.redacted_at is not None
    stored = db.scalars(select(InboxEvent.body)).all()
    assert not any("ada@example.com" in body for body in stored)


def test_customers_redact_blanks_stored_payloads_whatever_the_case_of_the_email(
    send_shopify_webhook, db, store
):
    checkout = {**load_fixture("shopify/checkouts_create.json"), "email": "Ada@Example.com"}
    send_shopify_webhook("checkouts/create", checkout)
    redact = {
        **load_fixture("shopify/customers_redact.json"),
        "customer": {"email": "ada@example.com"},
    }
    send_shopify_webhook("customers/redact", redact)
    db.expire_all()
    stored = db.scalars(select(InboxEvent.body)).all()
    assert not any("ada@example.com" in body.lower() for body in stored)
    assert db.scalars(select(Checkout.email)).all() == [None]


def test_customers_data_request_is_recorded_for_the_merchant(send_shopify_webhook, db, store):
    send_shopify_webhook(
        "customers/data_request", load_fixture("shopify/customers_data_request.json")
    )
    request = db.scalar(select(DataRequest))
    assert request is not None
    assert request.platform_customer_id == "7012345678901"
    assert request.platform_order_ids == ["5723942158451"]


def test_shop_redact_erases_everything_of_the_shop(send_shopify_webhook, db, store):
    send_shopify_webhook("orders/create", order_payload())
    send_shopify_webhook("products/update", load_fixture("shopify/products_update.json"))
    send_shopify_webhook("app/uninstalled", load_fixture("shopify/app_uninstalled.json"))
    send_shopify_webhook("shop/redact", load_fixture("shopify/shop_redact.json"))
    for model in (Store, Order, Product, Customer, StoreCredential):
        assert count(db, model) == 0, model.__name__
    remaining = db.scalars(select(InboxEvent.topic)).all()
    assert remaining == ["shop/redact"]


def test_webhook_for_an_unknown_shop_is_acknowledged_and_ignored(send_shopify_webhook, db):
    response = send_shopify_webhook("orders/create", order_payload(), shop="other.myshopify.com")
    assert response.status_code == 200
    assert count(db, Order) == 0
    assert db.scalar(select(InboxEvent.status).order_by(InboxEvent.id)) == "done"


def test_bad_shop_domain_header_is_a_client_error(send_shopify_webhook, db):
    response = send_shopify_webhook("orders/create", order_payload(), shop="evil.example.com")
    assert response.status_code == 400
    assert count(db, InboxEvent) == 0


def test_healthz_reports_database_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
