"""WooCommerce webhook intake: per-webhook signatures, ping, dedupe, drafts, statuses, tracking."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from plugin.models import (
    Customer,
    InboxEvent,
    Order,
    Product,
    Shipment,
    Store,
    Variant,
)
from tests.woocommerce_helpers import (
    connected_store,
    count,
    fake_store,
    fixture,
    send_webhook,
    webhook_secret,
)


@pytest.fixture(autouse=True)
def _instant_backoff(monkeypatch):
    monkeypatch.setattr("plugin.platforms.woocommerce_client.wait", lambda _seconds: None)


@pytest.fixture
def store(db) -> Store:
    return connected_store(db)


def deliveries(db) -> int:
    """Webhook deliveries in the inbox (orders also queue offers jobs of their own)."""
    db.expire_all()
    return int(
        db.scalar(
            select(func.count())
            .select_from(InboxEvent)
            .where(InboxEvent.kind == "woocommerce.webhook")
        )
        or 0
    )


def order(db, platform_id: str = "812") -> Order | None:
    db.expire_all()
    return db.scalar(select(Order).where(Order.platform_order_id == platform_id))


# ---- signatures --------------------------------------------------------------------------


def test_a_delivery_signed_with_its_webhooks_secret_is_accepted_and_processed(client, db, store):
    response = send_webhook(client, store, "order.created", fixture("order_guest.json"))
    assert response.status_code == 200
    assert response.json == {"status": "accepted"}
    saved = order(db)
    assert saved is not None and saved.status == "paid"
    # The delivery is the first inbox row; jobs it scheduled come after it.
    assert db.scalar(select(InboxEvent.status).order_by(InboxEvent.id)) == "done"


@pytest.mark.parametrize(
    "forgery",
    [
        {"secret": "guessed-secret"},
        {"secret": webhook_secret("product.updated")},  # another webhook's secret
        {"signature": ""},
        {"signature": "bm90IGEgc2lnbmF0dXJl"},
        {"webhook_id": "999"},  # no webhook of ours has this id
        {"webhook_id": "not-a-number"},
    ],
)
def test_a_forged_delivery_is_401_and_nothing_is_stored(client, db, store, forgery):
    response = send_webhook(client, store, "order.created", fixture("order_guest.json"), **forgery)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_signature"
    assert count(db, InboxEvent) == 0 and count(db, Order) == 0


def test_a_signature_over_another_body_is_rejected(client, db, store):
    from plugin.webhooks.signatures import sign_body

    other = sign_body(b'{"id": 1}', webhook_secret("order.created"))
    response = send_webhook(
        client, store, "order.created", fixture("order_guest.json"), signature=other
    )
    assert response.status_code == 401
    assert count(db, InboxEvent) == 0


def test_a_delivery_for_another_store_does_not_verify_there(client, db, store):
    other = connected_store(db, url="https://other-shop.example", with_webhooks=False)
    response = send_webhook(client, other, "order.created", fixture("order_guest.json"))
    assert response.status_code == 401
    assert count(db, InboxEvent) == 0


def test_unknown_or_disconnected_store_is_404(client, db, store):
    response = client.post("/webhooks/woocommerce/no-such-store", data=b"webhook_id=5")
    assert response.status_code == 404
    store.status = "uninstalled"
    db.commit()
    response = send_webhook(client, store, "order.created", fixture("order_guest.json"))
    assert response.status_code == 404
    assert count(db, InboxEvent) == 0


# ---- ping ---------------------------------------------------------------------------------


def test_the_creation_ping_is_answered_200_and_leaves_nothing(client, db, store):
    response = client.post(
        f"/webhooks/woocommerce/{store.public_id}",
        data="webhook_id=301",
        content_type="application/x-www-form-urlencoded",
        headers={"User-Agent": "WooCommerce/9.4.2 Hookshot (WordPress/6.7)"},
    )
    assert response.status_code == 200
    assert count(db, InboxEvent) == 0


def test_an_unsigned_body_that_is_not_a_ping_is_rejected(client, db, store):
    response = client.post(
        f"/webhooks/woocommerce/{store.public_id}",
        data=json.dumps(fixture("order_guest.json")),
        content_type="application/json",
        headers={"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-ID": "201"},
    )
    assert response.status_code == 401
    assert count(db, InboxEvent) == 0


# ---- dedupe -------------------------------------------------------------------------------


def test_a_repeated_delivery_is_stored_once_and_processed_once(client, db, store):
    payload = fixture("order_guest.json")
    first = send_webhook(client, store, "order.updated", payload, delivery_id="a1b2c3")
    again = send_webhook(client, store, "order.updated", payload, delivery_id="a1b2c3")
    assert first.json == {"status": "accepted"}
    assert again.status_code == 200 and again.json == {"status": "duplicate"}
    assert deliveries(db) == 1 and count(db, Order) == 1


def test_two_changes_in_one_second_share_a_delivery_id_but_both_count(client, db, store):
    """WooCommerce hashes the webhook id and the current second into the delivery id."""
    first = fixture("order_guest.json")
    second = fixture("order_guest.json")
    second.update(status="completed", date_modified_gmt="2026-11-20T09:30:00")
    send_webhook(client, store, "order.updated", first, delivery_id="same-second")
    response = send_webhook(client, store, "order.updated", second, delivery_id="same-second")
    assert response.json == {"status": "accepted"}
    assert deliveries(db) == 2
    assert order(db).status == "fulfilled"


def test_an_older_version_arriving_late_does_not_overwrite_a_newer_one(client, db, store):
    newer = fixture("order_guest.json")
    newer.update(status="completed", date_modified_gmt="2026-11-20T09:30:00")
    send_webhook(client, store, "order.updated", newer)
    send_webhook(client, store, "order.updated", fixture("order_guest.json"))
    assert order(db).status == "fulfilled"


# ---- orders -------------------------------------------------------------------------------


def test_a_checkout_draft_is_ignored_until_it_becomes_an_order(client, db, store):
    draft = fixture("order_checkout_draft.json")
    assert send_webhook(client, store, "order.updated", draft).status_code == 200
    assert count(db, Order) == 0
    assert db.scalar(select(InboxEvent.status).order_by(InboxEvent.id)) == "done"

    placed = fixture("order_checkout_draft.json")
    placed.update(status="processing", date_modified_gmt="2026-11-20T09:02:10")
    send_webhook(client, store, "order.updated", placed)
    assert order(db, "815").status == "paid"


@pytest.mark.parametrize(
    ("woocommerce_status", "domain_status"),
    [
        ("pending", "pending"),
        ("processing", "paid"),
        ("on-hold", "on_hold"),
        ("completed", "fulfilled"),
        ("cancelled", "cancelled"),
        ("refunded", "refunded"),
        ("failed", "failed"),
    ],
)
def test_order_statuses_map_onto_the_domain(client, db, store, woocommerce_status, domain_status):
    payload = fixture("order_guest.json")
    payload["status"] = woocommerce_status
    send_webhook(client, store, "order.updated", payload)
    assert order(db).status == domain_status


def test_a_guest_order_keeps_its_email_and_order_key_without_a_customer(client, db, store):
    send_webhook(client, store, "order.created", fixture("order_guest.json"))
    saved = order(db)
    assert saved.customer is None
    assert saved.email == "john.doe@example.com"
    assert saved.order_key == "wc_order_Hk3dP0qZ1xYb2"
    assert saved.name == "#812"
    assert str(saved.total_price) == "21.50"
    assert saved.placed_at == datetime(2026, 11, 20, 8, 15, 2, tzinfo=UTC)
    titles = [item.title for item in saved.line_items]
    assert titles == ["Earl Grey Tea \N{EN DASH} 100 bags", "Shortbread Biscuits"]
    assert [item.platform_variant_id for item in saved.line_items] == ["1001", "1003"]


def test_a_registered_customers_order_with_a_variation_and_a_refund(client, db, store):
    send_webhook(client, store, "order.created", fixture("order_registered.json"))
    saved = order(db, "723")
    assert saved.customer is not None and saved.customer.platform_customer_id == "26"
    assert saved.customer.first_name == "Joana"
    assert saved.status == "fulfilled"
    assert saved.financial_status == "partially_refunded"
    hoodie = saved.line_items[0]
    assert (hoodie.platform_product_id, hoodie.platform_variant_id) == ("2200", "2202")
    assert str(saved.line_items[1].price) == "7.50"
    assert count(db, Customer) == 1


def test_tracking_meta_becomes_shipments(client, db, store):
    send_webhook(client, store, "order.updated", fixture("order_registered.json"))
    shipments = sorted(order(db, "723").shipments, key=lambda s: s.tracking_number)
    assert [(s.carrier, s.tracking_number, s.status) for s in shipments] == [
        ("Yodel", "JJD0002249111111", "confirmed"),
        ("Royal Mail", "RM123456785GB", "confirmed"),
    ]
    yodel, royal_mail = shipments
    assert yodel.tracking_url == "https://www.yodel.co.uk/tracking/JJD0002249111111"
    assert yodel.platform_status == "shipped"  # Advanced Shipment Tracking's status_shipped
    assert royal_mail.shipped_at == datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
    assert royal_mail.events[0].message == "Shipped by the store"


def test_a_tracking_number_removed_from_the_order_cancels_its_shipment(client, db, store):
    payload = fixture("order_registered.json")
    send_webhook(client, store, "order.updated", payload)
    payload["meta_data"][1]["value"] = payload["meta_data"][1]["value"][1:]
    payload["date_modified_gmt"] = "2026-11-21T10:30:00"
    send_webhook(client, store, "order.updated", payload)
    db.expire_all()
    statuses = {s.tracking_number: s.status for s in db.scalars(select(Shipment))}
    assert statuses == {"RM123456785GB": "cancelled", "JJD0002249111111": "confirmed"}


def test_an_unrelated_order_update_keeps_the_shipments_progress(client, db, store):
    payload = fixture("order_registered.json")
    send_webhook(client, store, "order.updated", payload)
    shipment = db.scalar(select(Shipment).where(Shipment.tracking_number == "RM123456785GB"))
    shipment.status = "in_transit"  # as the carrier poll would have it
    db.commit()
    payload["customer_note"] = "Please leave with a neighbour"
    payload["date_modified_gmt"] = "2026-11-22T08:00:00"
    send_webhook(client, store, "order.updated", payload)
    db.expire_all()
    assert db.get(Shipment, shipment.id).status == "in_transit"


def test_a_deleted_order_counts_as_cancelled(client, db, store):
    send_webhook(client, store, "order.created", fixture("order_guest.json"))
    send_webhook(client, store, "order.deleted", {"id": 812})
    assert order(db).status == "cancelled"


def test_a_signed_body_that_is_not_json_is_accepted_then_dead_lettered(client, db, store):
    response = send_webhook(client, store, "order.updated", b"<html>oops</html>")
    assert response.status_code == 200
    event = db.scalar(select(InboxEvent).order_by(InboxEvent.id))
    db.refresh(event)
    assert event.status == "dead" and "not JSON" in event.last_error


# ---- products -----------------------------------------------------------------------------


def test_a_simple_product_with_upsells_and_cross_sells(client, db, store):
    send_webhook(client, store, "product.created", fixture("product_simple.json"))
    db.expire_all()
    product = db.scalar(select(Product))
    assert product.title == "Earl Grey Tea \N{EN DASH} 100 bags"
    assert product.linked_product_ids == ["1004", "1003"]
    assert product.product_type == "Tea & Coffee" and product.tags == "Black tea, Gift"
    (variant,) = product.variants
    assert variant.platform_variant_id == "1001"
    assert (str(variant.price), str(variant.compare_at_price)) == ("7.50", "9.00")
    assert variant.inventory_quantity == 23 and variant.available


def test_a_variable_product_reads_its_variations_from_the_store(client, db, store):
    with fake_store() as shop:
        shop.variations = {2200: fixture("product_variations.json")}
        send_webhook(client, store, "product.updated", fixture("product_variable.json"))
    db.expire_all()
    product = db.scalar(select(Product))
    assert [(v.platform_variant_id, v.title, v.available) for v in product.variants] == [
        ("2202", "Black / M", True),
        ("2201", "Green / S", False),  # out of stock
    ]
    assert product.is_available


def test_a_variation_update_rewrites_its_parent(client, db, store):
    with fake_store() as shop:
        shop.products = [fixture("product_variable.json")]
        variations = fixture("product_variations.json")
        shop.variations = {2200: variations}
        send_webhook(client, store, "product.updated", fixture("product_variable.json"))
        variations[1].update(
            price="19.00", sale_price="19.00", on_sale=True, date_modified_gmt="2026-11-22T07:40:00"
        )
        response = send_webhook(
            client, store, "product.updated", fixture("product_variation_updated.json")
        )
    assert response.status_code == 200
    db.expire_all()
    black = db.scalar(select(Variant).where(Variant.platform_variant_id == "2202"))
    assert (str(black.price), str(black.compare_at_price)) == ("19.00", "24.00")
    assert db.scalar(select(InboxEvent.status).order_by(InboxEvent.id.desc())) == "done"


def test_a_deleted_product_is_never_offered_again(client, db, store):
    send_webhook(client, store, "product.created", fixture("product_simple.json"))
    send_webhook(client, store, "product.deleted", {"id": 1001})
    db.expire_all()
    product = db.scalar(select(Product))
    assert product.status == "deleted" and not product.is_available


def test_a_deleted_variation_is_dropped_from_its_product(client, db, store):
    with fake_store() as shop:
        shop.products = [fixture("product_variable.json")]
        shop.variations = {2200: fixture("product_variations.json")}
        send_webhook(client, store, "product.created", fixture("product_variable.json"))
        shop.variations[2200] = shop.variations[2200][1:]
        send_webhook(client, store, "product.deleted", {"id": 2201})
    db.expire_all()
    assert [v.platform_variant_id for v in db.scalar(select(Product)).variants] == ["2202"]


def test_an_order_from_a_webhook_is_served_to_its_shopper_by_order_key(client, db, store):
    send_webhook(client, store, "order.created", fixture("order_registered.json"))
    url = f"/api/storefront/woocommerce/{store.public_id}/orders/723"
    right = client.get(url, query_string={"key": "wc_order_58d17c18352"})
    assert right.status_code == 200
    tracking = right.json["tracking"]
    assert {s["tracking_number"] for s in tracking["shipments"]} == {
        "RM123456785GB",
        "JJD0002249111111",
    }
    wrong = client.get(url, query_string={"key": "wc_order_Hk3dP0qZ1xYb2"})  # another order's
    assert wrong.status_code == 404
    assert client.get(url).status_code == 404
