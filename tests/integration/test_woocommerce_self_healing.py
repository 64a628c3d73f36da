"""Self-healing: webhooks repaired, missed orders reconciled, imports resumed after a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from plugin.crypto import unseal
from plugin.jobs.worker import Worker
from plugin.models import InboxEvent, Order, Product, Store, WebhookSubscription, utcnow
from plugin.platforms.woocommerce_health import (
    last_reconciliation,
    schedule_next_check,
    webhook_health,
)
from plugin.platforms.woocommerce_import import start_import
from plugin.platforms.woocommerce_runs import sync_state
from tests.conftest import run_cli
from tests.woocommerce_helpers import (
    STORE_URL,
    TOPICS,
    connected_store,
    count,
    fake_store,
    fixture,
    send_webhook,
    webhook_id_of,
)


@pytest.fixture(autouse=True)
def _instant_backoff(monkeypatch):
    monkeypatch.setattr("plugin.platforms.woocommerce_client.wait", lambda _seconds: None)


@pytest.fixture
def store(db) -> Store:
    return connected_store(db)


def reconciled_through(db, store: Store, when: datetime) -> None:
    sync_state(db, store).reconciled_through = when
    db.commit()


def missed_order(order_id: int = 901, modified: str = "2026-11-21T12:00:00") -> dict[str, Any]:
    """An order placed while the webhook was down: only the store knows it."""
    payload = fixture("order_guest.json")
    payload.update(
        id=order_id,
        number=str(order_id),
        order_key=f"wc_order_missed{order_id}",
        date_created_gmt=modified,
        date_modified_gmt=modified,
    )
    return payload


def test_a_check_reactivates_disabled_recreates_missing_and_removes_strays(app, client, db, store):
    with fake_store() as shop:
        shop.mirror(store)
        shop.webhook("order.updated")["status"] = "disabled"  # five failed deliveries
        shop.webhooks.remove(shop.webhook("product.deleted"))  # deleted by the merchant
        stray = shop.add_webhook(
            "order.created",
            url=f"https://old-encore.example.org/webhooks/woocommerce/{store.public_id}",
        )
        other_app = shop.add_webhook("order.created", url="https://erp.example.net/hooks")

        result = run_cli(app, "woocommerce", "reconcile", store.public_id)

        assert result.exit_code == 0, result.output
        assert "re-activated order.updated" in result.output
        assert "created product.deleted" in result.output
        assert shop.webhook("order.updated")["status"] == "active"
        assert [c.url for c in shop.calls("PUT", f"webhooks/{webhook_id_of('order.updated')}")]
        recreated = [h for h in shop.webhooks if h["topic"] == "product.deleted"]
        assert len(recreated) == 1
        assert {h["id"] for h in shop.webhooks} >= {other_app}
        assert stray not in {h["id"] for h in shop.webhooks}

    row = db.scalar(
        select(WebhookSubscription).where(WebhookSubscription.topic == "product.deleted")
    )
    db.refresh(row)
    assert row.platform_subscription_id == str(recreated[0]["id"])
    assert unseal(row.secret_sealed) == shop.secrets[recreated[0]["id"]]
    assert [h.status for h in webhook_health(db, store)] == ["active"] * len(TOPICS)
    # The recreated webhook's deliveries verify with its new secret.
    response = send_webhook(
        client,
        store,
        "product.deleted",
        {"id": 1001},
        webhook_id=row.platform_subscription_id,
        secret=shop.secrets[recreated[0]["id"]],
    )
    assert response.status_code == 200


def test_a_paused_webhook_is_reported_not_overridden(app, db, store):
    with fake_store() as shop:
        shop.mirror(store)
        shop.webhook("product.created")["status"] = "paused"
        result = run_cli(app, "woocommerce", "reconcile", store.public_id)
    assert result.exit_code == 0, result.output
    assert shop.webhook("product.created")["status"] == "paused"
    health = {h.topic: h.status for h in webhook_health(db, store)}
    assert health["product.created"] == "paused"
    assert "paused by the merchant product.created" in result.output


def test_reconcile_finds_the_order_a_webhook_missed(app, client, db, store):
    reconciled_through(db, store, datetime(2026, 11, 21, 8, 0, tzinfo=UTC))
    with fake_store() as shop:
        shop.mirror(store)
        seen = fixture("order_guest.json")
        shop.orders = [seen, missed_order()]
        send_webhook(client, store, "order.created", seen)  # this one arrived
        assert count(db, Order) == 1

        result = run_cli(app, "woocommerce", "reconcile", STORE_URL)

        assert result.exit_code == 0, result.output
        (listing,) = shop.calls("GET", "orders")
        assert "modified_after=2026-11-21T07%3A50%3A00" in listing.url  # 10 min overlap
        assert "dates_are_gmt=true" in listing.url

    assert count(db, Order) == 2
    assert count(db, Order, Order.platform_order_id == "901") == 1
    assert "1 new or changed" in result.output
    assert last_reconciliation(db, store) is not None
    assert sync_state(db, store).reconciled_through > datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def test_the_periodic_check_keeps_one_check_queued_and_reconciles(app, db, store):
    reconciled_through(db, store, datetime(2026, 11, 21, 8, 0, tzinfo=UTC))
    first = schedule_next_check(db, store)
    assert first is not None
    assert schedule_next_check(db, store) is None  # one chain per store
    with fake_store() as shop:
        shop.mirror(store)
        shop.webhook("order.created")["status"] = "disabled"
        shop.orders = [missed_order()]
        later = utcnow() + timedelta(hours=1)
        Worker(app).drain(now=later)
        Worker(app).drain(now=later)  # reconciliation pages queued by the check

    assert count(db, Order, Order.platform_order_id == "901") == 1
    assert shop.webhook("order.created")["status"] == "active"
    pending_checks = db.scalars(
        select(InboxEvent).where(
            InboxEvent.kind == "woocommerce.health", InboxEvent.status == "pending"
        )
    ).all()
    assert len(pending_checks) == 1
    assert pending_checks[0].run_after > utcnow() + timedelta(minutes=10)
    assert sync_state(db, store).last_error is None


def test_a_failed_check_is_recorded_and_the_next_one_stays_queued(app, db, store):
    schedule_next_check(db, store)
    with fake_store() as shop:
        shop.fail_next = [401]
        Worker(app).drain(now=utcnow() + timedelta(minutes=16))  # only the first check is due
    state = sync_state(db, store)
    db.refresh(state)
    assert "refused Encore's REST API keys" in state.last_error
    queued = count(
        db, InboxEvent, InboxEvent.kind == "woocommerce.health", InboxEvent.status == "pending"
    )
    assert queued == 2  # the failed check's retry and the next scheduled one


def many_products(n: int) -> list[dict[str, Any]]:
    products = []
    for i in range(n):
        product = fixture("product_simple.json")
        product.update(
            id=5000 + i, name=f"Tea no. {i}", slug=f"tea-{i}", upsell_ids=[], cross_sell_ids=[]
        )
        products.append(product)
    return products


def test_the_import_resumes_after_a_crash_without_reading_a_page_twice(app, db, store):
    with fake_store() as shop:
        shop.mirror(store)
        shop.products = many_products(230)  # three pages of 100
        shop.orders = [fixture("order_guest.json"), fixture("order_registered.json")]
        down = {"on": True}
        shop.outage = lambda request: 503 if down["on"] and "page=2" in request.url else None

        start_import(db, store)
        worker = Worker(app)
        worker.drain()
        assert count(db, Product) == 100  # page 1 is in; page 2 failed and waits for a retry
        page_job = db.scalar(
            select(InboxEvent).where(
                InboxEvent.kind == "woocommerce.sync", InboxEvent.status == "pending"
            )
        )
        assert page_job is not None and "503" in page_job.last_error

        down["on"] = False
        worker.drain(now=utcnow() + timedelta(hours=2))

        product_pages = [c.url for c in shop.calls("GET", "products")]
        assert sum("page=1&" in u or u.endswith("page=1") for u in product_pages) == 1

    assert count(db, Product) == 230
    assert count(db, Order) == 2
    assert sync_state(db, store).reconciled_through is not None


def test_a_stalled_import_is_resumed_by_the_health_check(app, db, store):
    with fake_store() as shop:
        shop.mirror(store)
        shop.products = many_products(3)
        shop.fail_next = [500] * 12  # every try of the first page, until it is dead-lettered
        start_import(db, store)
        worker = Worker(app)
        for hours in range(1, 8):
            worker.drain(now=utcnow() + timedelta(hours=hours))
        assert (
            count(
                db, InboxEvent, InboxEvent.kind == "woocommerce.sync", InboxEvent.status == "dead"
            )
            == 1
        )
        assert count(db, Product) == 0

        schedule_next_check(db, store)
        worker.drain(now=utcnow() + timedelta(hours=9))
        worker.drain(now=utcnow() + timedelta(hours=9))
    assert count(db, Product) == 3


def test_reconcile_of_an_unknown_store_says_so(app, store):
    result = run_cli(app, "woocommerce", "reconcile", "nope")
    assert result.exit_code != 0
    assert "No WooCommerce store matches 'nope'" in result.output


def test_health_command_lists_each_webhook(app, store):
    result = run_cli(app, "woocommerce", "health", store.public_id)
    assert result.exit_code == 0
    assert result.output.count("active") == len(TOPICS)
    assert "never reconciled" in result.output
