"""JOBS_BACKEND=celery end to end: real Redis, real `celery worker` processes, both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.crypto import seal
from plugin.jobs.shopify_events import KIND as SHOPIFY_KIND
from plugin.models import InboxEvent, InboxStatus, Order, Store, StoreCredential, utcnow
from tests.celery_helpers import (
    celery_test_config,
    inbox_row,
    prepared,
    queue_job,
    running,
    status_is,
    wait_until,
    worker,
)
from tests.celery_jobs import FAIL, FOLLOW_UP, RECORD, attempts_marked, effects
from tests.conftest import SHOP, load_fixture
from tests.services import redis_url


@pytest.fixture
def broker() -> str:
    return redis_url()


@pytest.fixture
def app_config(app_config: dict[str, Any], broker: str, database_url: str) -> dict[str, Any]:
    # Naming `database_url` keeps its sqlite/postgresql parameters on this override.
    return {
        **app_config,
        **celery_test_config(broker, JOBS_BACKOFF_BASE_SECONDS=0.5, JOBS_MAX_ATTEMPTS=3),
    }


@pytest.fixture
def celery_app(app: Flask, broker: str) -> Iterator[Flask]:
    with prepared(app, broker):
        yield app


def test_signed_order_webhook_is_processed_by_a_celery_worker(
    celery_app: Flask, db: Session, send_shopify_webhook: Any, tmp_path: Path
) -> None:
    shop = Store(platform="shopify", domain=SHOP, name="Fresh Grocer", installed_at=utcnow())
    shop.credential = StoreCredential(access_token_sealed=seal("shpat_test_token"))
    db.add(shop)
    db.commit()
    with running(worker(celery_app.config, tmp_path)) as celery_worker:
        response = send_shopify_webhook("orders/create", load_fixture("shopify/orders_create.json"))
        assert (response.status_code, response.json) == (200, {"status": "accepted"})
        event_id = db.scalar(select(InboxEvent.id).where(InboxEvent.kind == SHOPIFY_KIND))
        assert event_id is not None
        wait_until(status_is(db, event_id, InboxStatus.DONE), "the webhook's job", (celery_worker,))
    order = db.scalar(select(Order).where(Order.store_id == shop.id))
    assert order is not None and order.platform_order_id == "5723942158451"
    assert inbox_row(db, event_id).attempts == 1


def test_follow_up_queued_by_a_job_runs_without_waiting_for_the_sweep(
    celery_app: Flask, db: Session, tmp_path: Path
) -> None:
    # The sweep is off (JOBS_SWEEP_SECONDS=0, no beat): only the publish after the job's
    # commit can bring the follow-up row to the worker.
    first = queue_job(db, FOLLOW_UP, "first", {"marks": str(tmp_path)})
    with running(worker(celery_app.config, tmp_path)) as celery_worker:
        wait_until(status_is(db, first, InboxStatus.DONE), "the first job", (celery_worker,))
        follow_up = db.scalar(select(InboxEvent.id).where(InboxEvent.kind == RECORD))
        assert follow_up is not None
        wait_until(status_is(db, follow_up, InboxStatus.DONE), "its follow-up", (celery_worker,))
    assert effects(db, follow_up) == 1


def test_failing_job_is_retried_with_backoff_then_dead_lettered(
    celery_app: Flask, db: Session, tmp_path: Path
) -> None:
    event_id = queue_job(db, FAIL, "doomed", {"marks": str(tmp_path)})
    with running(worker(celery_app.config, tmp_path)) as celery_worker:
        wait_until(status_is(db, event_id, InboxStatus.DEAD), "the dead letter", (celery_worker,))
    row = inbox_row(db, event_id)
    assert row.attempts == 3  # JOBS_MAX_ATTEMPTS
    assert row.last_error is not None and "this job always fails" in row.last_error
    started = [attempt["at"] for attempt in attempts_marked(tmp_path, event_id)]
    assert len(started) == 3
    # Backoff is 0.5s * 2^(attempt-1), jittered by ±50%: no retry may start sooner than that.
    assert started[1] - started[0] >= 0.25
    assert started[2] - started[1] >= 0.5
