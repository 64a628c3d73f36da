"""The health page: inbox backlog, dead letters (replayed per store only), token status, and
the background tasks every store relies on (is tracking being polled?)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from plugin.crypto import seal
from plugin.jobs import periodic
from plugin.jobs.periodic import PeriodicTask, run_periodic
from plugin.jobs.tables import PeriodicRun
from plugin.models import InboxEvent, InboxStatus, Store, StoreCredential, utcnow
from plugin.web.formatting import when
from tests.admin_helpers import log_in, make_admin, make_store


def inbox(db: Session, store: Store, key: str, status: str) -> InboxEvent:
    event = InboxEvent(
        event_key=key,
        kind="woocommerce.webhook",
        topic="order.updated",
        store_id=store.id,
        body="{}",
        status=status,
        attempts=8 if status == InboxStatus.DEAD else 0,
        last_error="KeyError: 'line_items'" if status == InboxStatus.DEAD else None,
        received_at=utcnow() - timedelta(hours=2),
        finished_at=utcnow() if status == InboxStatus.DEAD else None,
    )
    db.add(event)
    db.commit()
    return event


def test_health_counts_this_stores_backlog_and_dead_letters(
    client: FlaskClient, db: Session
) -> None:
    store, other = make_store(db, "Corner Shop"), make_store(db, "Rival Shop")
    for n in range(3):
        inbox(db, store, f"pending-{n}", InboxStatus.PENDING)
    inbox(db, store, "dead-1", InboxStatus.DEAD)
    inbox(db, other, "dead-2", InboxStatus.DEAD)
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")

    report = client.get(f"/admin/api/stores/{store.public_id}/health").json
    assert report["inbox"]["pending"] == 3
    assert report["inbox"]["dead"] == 1
    assert [d["topic"] for d in report["dead_letters"]] == ["order.updated"]
    page = client.get(f"/admin/stores/{store.public_id}/health").get_data(as_text=True)
    assert "KeyError" in page
    assert "Replay all 1" in page


def test_replay_requeues_only_this_stores_dead_letters(client: FlaskClient, db: Session) -> None:
    store, other = make_store(db, "Corner Shop"), make_store(db, "Rival Shop")
    mine = inbox(db, store, "dead-mine", InboxStatus.DEAD)
    theirs = inbox(db, other, "dead-theirs", InboxStatus.DEAD)
    make_admin(db, "ann@corner.example", [store])
    csrf = log_in(client, "ann@corner.example")
    url = f"/admin/api/stores/{store.public_id}/dead-letters/replay"

    refused = client.post(url, json={"ids": [mine.id, theirs.id]}, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 404
    assert refused.json["error"]["fields"] == {"ids": [f"No dead letter {theirs.id}."]}
    db.expire_all()
    assert db.get_one(InboxEvent, mine.id).status == InboxStatus.DEAD

    assert client.post(url, json={"all": True}).status_code == 403  # no CSRF token
    done = client.post(url, json={"all": True}, headers={"X-CSRF-Token": csrf})
    assert done.json == {"replayed": 1}
    db.expire_all()
    assert db.get_one(InboxEvent, mine.id).status == InboxStatus.PENDING
    assert db.get_one(InboxEvent, mine.id).attempts == 0
    assert db.get_one(InboxEvent, theirs.id).status == InboxStatus.DEAD

    again = client.post(url, json={"all": True}, headers={"X-CSRF-Token": csrf})
    assert again.json == {"replayed": 0}
    db.expire_all()
    assert db.get_one(InboxEvent, theirs.id).status == InboxStatus.DEAD


def test_replay_needs_ids_or_all(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "Corner Shop")
    make_admin(db, "ann@corner.example", [store])
    csrf = log_in(client, "ann@corner.example")
    url = f"/admin/api/stores/{store.public_id}/dead-letters/replay"
    for body in ({}, {"ids": []}, {"ids": ["x"]}):
        response = client.post(url, json=body, headers={"X-CSRF-Token": csrf})
        assert response.status_code == 400, body


def test_token_status_of_a_shopify_store(client: FlaskClient, db: Session) -> None:
    store = make_store(db, "grocer", platform="shopify", domain="grocer.myshopify.com")
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")
    url = f"/admin/api/stores/{store.public_id}/health"
    assert client.get(url).json["token"]["state"] == "missing"
    assert "webhooks" in client.get(url).json
    assert "ORDERS_CREATE" in client.get(url).json["missing_topics"]
    store.credential = StoreCredential(
        access_token_sealed=seal("shpat_x"),
        access_expires_at=utcnow() - timedelta(minutes=1),
        refresh_token_sealed=seal("shprt_x"),
    )
    db.commit()
    assert client.get(url).json["token"]["state"] == "refresh_due"
    store.credential.access_expires_at = utcnow() + timedelta(hours=1)
    db.commit()
    assert client.get(url).json["token"]["state"] == "ok"


# ---- background tasks --------------------------------------------------------------------


def minutes_ago(minutes: float) -> datetime:
    return (utcnow() - timedelta(minutes=minutes)).replace(microsecond=0)


def last_run(
    db: Session,
    name: str,
    *,
    started: datetime | None,
    finished: datetime | None = None,
    error: str | None = None,
    leased_until: datetime | None = None,
) -> None:
    """The task's `periodic_runs` row as a worker would have left it."""
    db.add(
        PeriodicRun(
            name=name,
            last_started_at=started,
            last_finished_at=finished,
            last_error=error,
            leased_until=leased_until,
            leased_by="worker-host:4242:abcd1234" if leased_until else None,
        )
    )
    db.commit()


def merchant(client: FlaskClient, db: Session) -> Store:
    store = make_store(db, "Corner Shop")
    make_admin(db, "ann@corner.example", [store])
    log_in(client, "ann@corner.example")
    return store


def background_tasks(client: FlaskClient, store: Store) -> dict[str, dict[str, Any]]:
    report = client.get(f"/admin/api/stores/{store.public_id}/health").json
    return {task["name"]: task for task in report["background_tasks"]}


def health_page(client: FlaskClient, store: Store) -> str:
    return client.get(f"/admin/stores/{store.public_id}/health").get_data(as_text=True)


def test_tasks_that_never_ran_ask_whether_the_worker_is_running(
    client: FlaskClient, db: Session
) -> None:
    store = merchant(client, db)

    tasks = background_tasks(client, store)

    assert sorted(tasks) == [
        "jobs.bury_abandoned",
        "jobs.sweep",
        "privacy.retention",
        "tracking.tick",
    ]
    tick = tasks["tracking.tick"]
    assert tick["label"] == "Carrier tracking updates"
    assert tick["state"] == "never_ran"
    assert tick["interval_seconds"] == 300
    assert tick["last_started_at"] is None
    assert "Is `encore worker` (or Celery beat) running?" in tick["detail"]
    assert {task["state"] for task in tasks.values()} == {"never_ran"}
    page = health_page(client, store)
    assert "Carrier tracking updates" in page
    assert "Retiring jobs that crash their worker" in page
    assert "Never ran" in page
    assert "Is <code>encore worker</code> (or Celery beat) running?" in page


def test_a_run_that_finished_cleanly_is_ok(client: FlaskClient, db: Session) -> None:
    store = merchant(client, db)
    started, finished = minutes_ago(3), minutes_ago(2)
    last_run(db, "tracking.tick", started=started, finished=finished)

    tick = background_tasks(client, store)["tracking.tick"]

    assert tick["state"] == "ok"
    assert tick["running"] is False
    assert tick["last_started_at"] == started.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert tick["last_finished_at"] == finished.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert tick["last_error_kind"] is None
    page = health_page(client, store)
    assert when(started) in page
    assert when(finished) in page
    assert "every 5 min" in page


@pytest.fixture
def broken_task(app: Flask, monkeypatch: pytest.MonkeyPatch) -> PeriodicTask:
    """A periodic task registered for this test only; its carrier refuses every poll."""

    def poll(db: Session, now: datetime) -> None:
        raise RuntimeError("carrier API answered 503")

    task = PeriodicTask("test.broken_poll", "TEST_BROKEN_POLL_SECONDS", poll)
    monkeypatch.setitem(periodic._TASKS, task.name, task)
    app.config["TEST_BROKEN_POLL_SECONDS"] = 300
    return task


def test_a_failed_run_shows_its_error(
    app: Flask, client: FlaskClient, db: Session, broken_task: PeriodicTask
) -> None:
    with pytest.raises(RuntimeError):
        run_periodic(app, broken_task)
    store = merchant(client, db)

    broken = background_tasks(client, store)["test.broken_poll"]

    assert broken["state"] == "failed"
    assert broken["label"] == "test.broken_poll"  # a task without a label shows its name
    assert broken["last_error_kind"] == "RuntimeError"
    assert broken["running"] is False
    assert broken["last_finished_at"] is not None
    page = health_page(client, store)
    assert "RuntimeError" in page
    assert "carrier API answered 503" not in page  # the message stays in the worker's log
    assert "Failed" in page


def test_a_run_that_never_gave_its_lease_back_failed(client: FlaskClient, db: Session) -> None:
    store = merchant(client, db)
    last_run(db, "tracking.tick", started=minutes_ago(10), leased_until=minutes_ago(1))

    tick = background_tasks(client, store)["tracking.tick"]

    assert tick["state"] == "failed"
    assert tick["running"] is False
    assert "never finished" in tick["detail"]


def test_a_task_turned_off_says_so_even_with_an_old_run(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    app.config["RETENTION_INTERVAL_SECONDS"] = 0
    store = merchant(client, db)
    last_run(db, "privacy.retention", started=minutes_ago(60 * 24 * 30), finished=minutes_ago(1))

    retention = background_tasks(client, store)["privacy.retention"]

    assert retention["state"] == "off"
    assert retention["interval_seconds"] == 0
    assert "RETENTION_INTERVAL_SECONDS" in retention["detail"]
    assert "Turned off" in health_page(client, store)


def test_a_task_is_late_after_three_intervals_and_fifteen_minutes(
    client: FlaskClient, db: Session
) -> None:
    store = merchant(client, db)
    # tracking.tick runs every 5 min: late after 15; the sweep every minute: late after 15 too.
    last_run(db, "tracking.tick", started=minutes_ago(16), finished=minutes_ago(15))
    last_run(db, "jobs.sweep", started=minutes_ago(10), finished=minutes_ago(10))

    tasks = background_tasks(client, store)

    assert tasks["tracking.tick"]["state"] == "late"
    assert "Is `encore worker` (or Celery beat) running?" in tasks["tracking.tick"]["detail"]
    assert tasks["jobs.sweep"]["state"] == "ok"
    page = health_page(client, store)
    assert "Late" in page
    assert "the last run started 16 min ago" in page


def test_a_run_holding_its_lease_is_running(client: FlaskClient, db: Session) -> None:
    store = merchant(client, db)
    last_run(
        db,
        "tracking.tick",
        started=minutes_ago(20),  # a long tick: running, not late
        finished=minutes_ago(25),
        error="TimeoutError: the previous tick",
        leased_until=utcnow() + timedelta(minutes=5),
    )

    tick = background_tasks(client, store)["tracking.tick"]

    assert tick["state"] == "running"
    assert tick["running"] is True
    assert "Running now" in health_page(client, store)


def test_a_task_error_shows_only_its_kind_which_may_not_speak_of_other_stores(
    client: FlaskClient, db: Session
) -> None:
    store = merchant(client, db)
    error = "IntegrityError: duplicate key for store other-shop.myshopify.com <script>"
    last_run(db, "tracking.tick", started=minutes_ago(3), finished=minutes_ago(2), error=error)
    last_run(db, "jobs.sweep", started=minutes_ago(3), finished=minutes_ago(2), error="<b>: odd")

    page = health_page(client, store)
    tasks = background_tasks(client, store)

    assert tasks["tracking.tick"]["last_error_kind"] == "IntegrityError"
    assert tasks["jobs.sweep"]["last_error_kind"] == "Error"
    assert "other-shop" not in page
    assert "<script>" not in page and "<b>" not in page


def test_the_health_json_lists_background_tasks_as_documented(
    client: FlaskClient, db: Session
) -> None:
    store = merchant(client, db)
    started, finished = minutes_ago(2), minutes_ago(1)
    last_run(db, "jobs.sweep", started=started, finished=finished)

    report = client.get(f"/admin/api/stores/{store.public_id}/health").json
    spec = client.get("/openapi.json").json
    answer = spec["paths"]["/admin/api/stores/{store_id}/health"]["get"]["responses"]["200"]
    documented = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    schemas = spec["components"]["schemas"]

    assert set(report) == set(schemas[documented]["properties"])
    task_schema = schemas["BackgroundTaskOut"]
    assert set(task_schema["properties"]["state"]["enum"]) == {
        "off",
        "never_ran",
        "running",
        "ok",
        "failed",
        "late",
    }
    for task in report["background_tasks"]:
        assert set(task) == set(task_schema["properties"])
    assert report["background_tasks"][0]["name"] == "tracking.tick"
    sweep = next(task for task in report["background_tasks"] if task["name"] == "jobs.sweep")
    assert sweep == {
        "name": "jobs.sweep",
        "label": "Re-sending lost jobs",
        "interval_seconds": 60.0,
        "state": "ok",
        "detail": "The last run finished without an error.",
        "running": False,
        "last_started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "last_finished_at": finished.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "last_error_kind": None,
    }
