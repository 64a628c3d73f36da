"""Data retention: old orders lose the shopper's personal data, old webhook bodies go, and
nothing recent, pending or running is touched."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.admin.tables import AdminLoginAttempt
from plugin.jobs.periodic import periodic_task
from plugin.models import (
    Checkout,
    Customer,
    InboxEvent,
    InboxStatus,
    Order,
    Store,
    utcnow,
)
from plugin.retention import plan_retention, run_retention
from plugin.tracking.tables import Feedback, Notification
from tests.conftest import run_cli
from tests.privacy_helpers import ERASED, order_with_traces, shopper, traces

NOW = utcnow()
OLD = NOW - timedelta(days=800)
RECENT = NOW - timedelta(days=10)


@pytest.fixture
def store(db: Session) -> Store:
    shop = Store(platform="shopify", domain="fresh-grocer.myshopify.com", installed_at=OLD)
    db.add(shop)
    db.commit()
    return shop


def inbox_row(db: Session, key: str, status: InboxStatus, finished_days_ago: int | None) -> None:
    finished = NOW - timedelta(days=finished_days_ago) if finished_days_ago is not None else None
    db.add(
        InboxEvent(
            event_key=key,
            kind="shopify.webhook",
            topic="orders/create",
            body='{"email": "maya@example.com"}',
            status=status,
            received_at=NOW - timedelta(days=400),
            finished_at=finished,
        )
    )
    db.commit()


def test_old_orders_lose_personal_data_and_recent_ones_keep_it(app, db, store):
    gone = shopper(db, store, "1")
    old = order_with_traces(db, store, gone, "5001", OLD)
    active = shopper(db, store, "2")
    active_old = order_with_traces(db, store, active, "5002", OLD)
    recent = order_with_traces(db, store, active, "5003", RECENT)

    run_retention(db, app.config, NOW)

    assert traces(db, old) == ERASED
    assert traces(db, active_old) == ERASED
    assert traces(db, recent) == {
        "email": "shopper2@example.com",
        "recipient": "shopper2@example.com",
        "comment": "Maya loved it",
        "impression shopper": "2",
        "exposure shopper": "2",
    }
    # The merchant's figures stay: the order, its amount, the rating.
    assert db.get(Order, old.id).total_price == Decimal("24.00")
    assert db.scalar(select(Feedback.rating).where(Feedback.order_id == old.id)) == 5
    # A shopper with no order since the cutoff loses their details, but is not "redacted":
    # if they order again, their new details are kept.
    gone_now = db.get(Customer, gone.id)
    assert (gone_now.email, gone_now.phone, gone_now.first_name, gone_now.last_name) == (
        None,
        None,
        None,
        None,
    )
    assert gone_now.redacted_at is None
    assert db.get(Customer, active.id).email == "shopper2@example.com"


def test_finished_webhook_bodies_go_but_pending_and_running_rows_stay(app, db, store):
    inbox_row(db, "done-old", InboxStatus.DONE, 40)
    inbox_row(db, "done-recent", InboxStatus.DONE, 5)
    inbox_row(db, "dead-old", InboxStatus.DEAD, 100)
    inbox_row(db, "dead-recent", InboxStatus.DEAD, 40)
    inbox_row(db, "pending", InboxStatus.PENDING, None)
    inbox_row(db, "running", InboxStatus.RUNNING, None)

    run_retention(db, app.config, NOW)

    db.expire_all()
    left = set(db.scalars(select(InboxEvent.event_key)))
    assert left == {"done-recent", "dead-recent", "pending", "running"}


def login_attempt(db: Session, email: str, at_days_ago: float) -> None:
    at = NOW - timedelta(days=at_days_ago)
    db.add(AdminLoginAttempt(email=email, client_address="203.0.113.9", succeeded=False, at=at))
    db.commit()


def login_attempts_left(db: Session) -> set[str]:
    db.expire_all()
    return set(db.scalars(select(AdminLoginAttempt.email)))


def test_old_admin_login_attempts_go_and_recent_ones_stay(app, db, store):
    login_attempt(db, "old@shop.example", 40)
    login_attempt(db, "recent@shop.example", 10)
    login_attempt(db, "now@shop.example", 0)

    results = {r.name: r.rows for r in run_retention(db, app.config, NOW)}

    assert results["admin login attempts"] == 1
    assert login_attempts_left(db) == {"recent@shop.example", "now@shop.example"}


def test_login_attempts_the_login_limit_still_counts_are_kept(app, db, store):
    login_attempt(db, "inside-window@shop.example", 2)
    login_attempt(db, "past-window@shop.example", 4)
    config = {
        **app.config,
        "RETENTION_LOGIN_ATTEMPTS_DAYS": 1,
        "ADMIN_LOGIN_WINDOW_SECONDS": 3 * 86400,
    }

    run_retention(db, config, NOW)

    assert login_attempts_left(db) == {"inside-window@shop.example"}


def test_work_is_done_in_batches_until_nothing_is_due(app, db, store):
    for n in range(7):
        order_with_traces(db, store, shopper(db, store, f"c{n}"), f"60{n}", OLD)
    config = {**app.config, "RETENTION_BATCH_SIZE": 3}
    lines: list[str] = []

    results = {r.name: r.rows for r in run_retention(db, config, NOW, progress=lines.append)}

    assert results["orders' personal data"] == 7
    assert "orders' personal data: 3 done" in lines
    assert "orders' personal data: 7 done" in lines
    assert db.scalar(select(func.count()).where(Order.email.is_not(None))) == 0
    assert run_retention(db, config, NOW)[0].rows == 0  # a second run finds nothing


def test_zero_days_keeps_data_forever(app, db, store):
    order = order_with_traces(db, store, shopper(db, store, "1"), "5001", OLD)
    inbox_row(db, "done-old", InboxStatus.DONE, 4000)
    login_attempt(db, "old@shop.example", 4000)
    config = {
        **app.config,
        "RETENTION_PERSONAL_DATA_DAYS": 0,
        "RETENTION_INBOX_DAYS": 0,
        "RETENTION_DEAD_LETTER_DAYS": 0,
        "RETENTION_LOGIN_ATTEMPTS_DAYS": 0,
    }

    assert run_retention(db, config, NOW) == []

    assert traces(db, order)["email"] == "shopper1@example.com"
    assert db.scalar(select(func.count()).select_from(InboxEvent)) == 1
    assert login_attempts_left(db) == {"old@shop.example"}


def test_old_checkouts_and_test_messages_lose_their_contacts(app, db, store):
    db.add(
        Checkout(
            store_id=store.id,
            platform_checkout_id="c1",
            email="a@example.com",
            platform_updated_at=OLD,
        )
    )
    db.add(
        Checkout(
            store_id=store.id,
            platform_checkout_id="c2",
            email="b@example.com",
            platform_updated_at=RECENT,
        )
    )
    db.add(
        Notification(
            store_id=store.id,
            milestone="shipped",
            channel="sms",
            status="sent",
            recipient="+15125550143",
            created_at=OLD,
        )
    )
    db.commit()

    run_retention(db, app.config, NOW)

    db.expire_all()
    assert set(db.scalars(select(Checkout.email))) == {None, "b@example.com"}
    assert db.scalar(select(Notification.recipient)) is None


def test_dry_run_counts_and_changes_nothing(app, db, store):
    order = order_with_traces(db, store, shopper(db, store, "1"), "5001", OLD)
    inbox_row(db, "done-old", InboxStatus.DONE, 40)
    login_attempt(db, "old@shop.example", 40)

    result = run_cli(app, "privacy", "retention", "--dry-run")

    assert result.exit_code == 0, result.output
    assert "admin login attempts 30 days" in result.output
    assert "orders' personal data: 1 row(s) would be handled" in result.output
    assert "finished webhook bodies: 1 row(s) would be handled" in result.output
    assert "shoppers' details: 1 row(s) would be handled" in result.output
    assert "admin login attempts: 1 row(s) would be handled" in result.output
    assert traces(db, order)["email"] == "shopper1@example.com"
    assert db.scalar(select(func.count()).select_from(InboxEvent)) == 1
    assert login_attempts_left(db) == {"old@shop.example"}
    assert {r.name: r.rows for r in plan_retention(db, app.config, NOW)}["dead letters"] == 0


def test_the_command_applies_retention(app, db, store):
    order = order_with_traces(db, store, shopper(db, store, "1"), "5001", OLD)

    result = run_cli(app, "privacy", "retention")

    assert result.exit_code == 0, result.output
    assert "orders' personal data: 1 row(s) handled" in result.output
    assert traces(db, order) == ERASED


def test_retention_is_a_daily_periodic_task(app, db, store):
    order = order_with_traces(db, store, shopper(db, store, "1"), "5001", OLD)
    task = periodic_task("privacy.retention")

    assert task.interval(app.config) == 86400.0
    task.run(db, NOW)

    assert traces(db, order) == ERASED
