"""The inbox stays the source of truth under Celery: lost messages are swept, beat keeps time."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin import create_app
from plugin.config import DEFAULTS
from plugin.jobs.celery_tasks import RUN_INBOX_EVENT, RUN_PERIODIC, celery_settings
from plugin.jobs.periodic import periodic_task, run_periodic
from plugin.jobs.sweep import sweep, unfinished_rows
from plugin.models import InboxEvent, InboxStatus, utcnow
from tests.celery_helpers import (
    beat,
    celery_test_config,
    inbox_row,
    prepared,
    purge_queue,
    queue_job,
    queued_messages,
    running,
    status_is,
    wait_until,
    worker,
)
from tests.celery_jobs import RECORD, effects
from tests.services import redis_url

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def broker() -> str:
    return redis_url()


@pytest.fixture
def app_config(app_config: dict[str, Any], broker: str, database_url: str) -> dict[str, Any]:
    # Naming `database_url` keeps its sqlite/postgresql parameters on this override.
    settings = celery_test_config(broker, JOBS_SWEEP_SECONDS=1, JOBS_SWEEP_GRACE_SECONDS=1)
    return {**app_config, **settings}


@pytest.fixture
def celery_app(app: Flask, broker: str) -> Iterator[Flask]:
    with prepared(app, broker):
        yield app


def published_rows(broker: str, queue: str) -> list[tuple[str, str]]:
    """(task name, arguments) of each message waiting in the queue."""
    messages = [json.loads(raw) for raw in queued_messages(broker, queue)]
    return [(m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages]


def test_lost_messages_are_found_by_the_sweep_and_processed_once(
    celery_app: Flask, db: Session, broker: str, tmp_path: Path
) -> None:
    queue = celery_app.config["CELERY_QUEUE"]
    body = {"marks": str(tmp_path)}
    never_published = queue_job(db, RECORD, "never-published", body, publish=False)
    purged = queue_job(db, RECORD, "purged", body)
    assert published_rows(broker, queue) == [(RUN_INBOX_EVENT, f"({purged},)")]
    purge_queue(broker, queue)
    celery_worker = worker(celery_app.config, tmp_path)
    celery_beat = beat(celery_app.config, tmp_path)
    with running(celery_worker), running(celery_beat):
        for event_id in (never_published, purged):
            wait_until(
                status_is(db, event_id, InboxStatus.DONE),
                f"row {event_id} to be swept and run",
                (celery_worker, celery_beat),
            )
    # Both processes have stopped: whatever the sweep published twice has been consumed.
    assert [effects(db, never_published), effects(db, purged)] == [1, 1]


def test_webhook_is_accepted_while_the_broker_is_down_and_swept_later(
    celery_app: Flask,
    app_config: dict[str, Any],
    broker: str,
    db: Session,
    send_shopify_webhook: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    celery_app.config["CELERY_BROKER_URL"] = DEAD_BROKER
    with caplog.at_level(logging.WARNING, logger="plugin.jobs.publish"):
        response = send_shopify_webhook("orders/create", {"id": 1001}, event_id="evt-broker-down")
    assert (response.status_code, response.json) == (200, {"status": "accepted"})
    event_id = db.scalar(select(InboxEvent.id))
    assert event_id is not None
    assert inbox_row(db, event_id).status == InboxStatus.PENDING
    assert "the sweep will publish it" in caplog.text

    # Later, in a process whose broker is up (where beat's sweep runs), the row is published.
    recovered = create_app(app_config)
    try:
        assert sweep(recovered, db, utcnow() + timedelta(seconds=2)) == 1
    finally:
        recovered.extensions["encore_db"].dispose()
    queue = app_config["CELERY_QUEUE"]
    assert published_rows(broker, queue) == [(RUN_INBOX_EVENT, f"({event_id},)")]


def add_row(db: Session, key: str, status: str, run_after_minutes: float, **values: Any) -> int:
    row = InboxEvent(
        kind=RECORD,
        topic=RECORD,
        event_key=key,
        body="{}",
        headers={},
        status=status,
        run_after=utcnow() + timedelta(minutes=run_after_minutes),
        **values,
    )
    db.add(row)
    db.commit()
    return row.id


def test_sweep_picks_overdue_and_abandoned_rows_oldest_first(
    celery_app: Flask, db: Session
) -> None:
    now = utcnow()
    abandoned = add_row(
        db, "abandoned", InboxStatus.RUNNING, -30, lease_until=now - timedelta(seconds=1)
    )
    add_row(db, "running", InboxStatus.RUNNING, -20, lease_until=now + timedelta(minutes=1))
    overdue = add_row(db, "overdue", InboxStatus.PENDING, -10)
    add_row(db, "within-grace", InboxStatus.PENDING, -0.5)
    add_row(db, "future", InboxStatus.PENDING, 10)
    add_row(db, "done", InboxStatus.DONE, -40)
    add_row(db, "dead", InboxStatus.DEAD, -50)
    assert unfinished_rows(db, now, grace_seconds=60, limit=10) == [abandoned, overdue]
    assert unfinished_rows(db, now, grace_seconds=60, limit=1) == [abandoned]


def test_sweep_publishes_nothing_with_the_embedded_worker(
    celery_app: Flask, db: Session, broker: str
) -> None:
    celery_app.config["JOBS_BACKEND"] = "db"  # the embedded worker polls the inbox itself
    add_row(db, "overdue", InboxStatus.PENDING, -10)
    run_periodic(celery_app, periodic_task("jobs.sweep"))
    assert published_rows(broker, celery_app.config["CELERY_QUEUE"]) == []
    celery_app.config["JOBS_BACKEND"] = "celery"
    run_periodic(celery_app, periodic_task("jobs.sweep"))
    assert len(published_rows(broker, celery_app.config["CELERY_QUEUE"])) == 1


def schedule(**intervals: float) -> dict[str, dict[str, Any]]:
    settings: dict[str, dict[str, Any]] = celery_settings({**DEFAULTS, **intervals})[
        "beat_schedule"
    ]
    return settings


def test_beat_runs_the_tracking_tick_and_the_sweep_at_their_configured_intervals() -> None:
    beats = schedule(TRACKING_TICK_SECONDS=120, JOBS_SWEEP_SECONDS=30)
    assert beats["tracking.tick"]["schedule"] == timedelta(seconds=120)
    assert beats["jobs.sweep"]["schedule"] == timedelta(seconds=30)
    for name in ("tracking.tick", "jobs.sweep"):
        assert (beats[name]["task"], beats[name]["args"]) == (RUN_PERIODIC, (name,))


def test_beat_leaves_out_a_periodic_task_whose_interval_is_zero() -> None:
    beats = schedule(TRACKING_TICK_SECONDS=0, JOBS_SWEEP_SECONDS=30)
    assert "tracking.tick" not in beats
    assert "jobs.sweep" in beats
