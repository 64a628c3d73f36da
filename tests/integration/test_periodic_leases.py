"""Periodic tasks never run twice at once, in any process: each run holds its task's lease.

The lease is a row in `periodic_runs`, shared by the embedded workers and Celery's
`encore.periodic` task, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from plugin.jobs.celery_tasks import RUN_PERIODIC, celery_for
from plugin.jobs.periodic import PeriodicTask, run_periodic
from plugin.jobs.tables import PeriodicRun
from plugin.jobs.worker import Worker
from plugin.models import utcnow
from plugin.tracking import schedule

WAIT_LIMIT_SECONDS = 20.0


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


def lease_row(app: Flask, name: str) -> PeriodicRun | None:
    """The task's row as it is now, read in a session of its own (closed, so no connection
    outlives the test: `run_periodic`'s app context ends the test's scoped session)."""
    with app.extensions["encore_db"].new_session() as session:
        return session.get(PeriodicRun, name)


def hold_lease(app: Flask, name: str, until: datetime | None, by: str | None) -> None:
    """Write the task's lease as another process would have left it."""
    with app.extensions["encore_db"].new_session() as session:
        run = session.get(PeriodicRun, name) or PeriodicRun(name=name)
        run.leased_until, run.leased_by = until, by
        run.last_started_at = utcnow() - timedelta(minutes=15)
        session.add(run)
        session.commit()


OTHER_HOLDER = "other-host:4242:dead"


@pytest.fixture
def ticks(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """The times `tracking.tick` ran at; the app's other periodic tasks are turned off."""
    from plugin.tracking import periodic

    app.config.update(TRACKING_TICK_SECONDS=300, RETENTION_INTERVAL_SECONDS=0, JOBS_SWEEP_SECONDS=0)
    ran: list[datetime] = []

    def counted_tick(session: Session, now: datetime) -> schedule.TickSummary:
        ran.append(now)
        return schedule.TickSummary()

    monkeypatch.setattr(periodic, "tick", counted_tick)
    return ran


def test_runs_started_at_the_same_moment_run_the_task_once(app: Flask) -> None:
    release = threading.Event()
    runs: list[datetime] = []

    def slow_task(session: Session, now: datetime) -> None:
        runs.append(now)
        release.wait(WAIT_LIMIT_SECONDS)

    task = PeriodicTask("test.slow", "TRACKING_TICK_SECONDS", slow_task)
    start = threading.Barrier(4)
    outcomes: list[Any] = []

    def attempt() -> None:
        start.wait()
        try:
            outcomes.append(run_periodic(app, task).ran)
        except Exception as exc:  # surfaced by the assertion below
            outcomes.append(exc)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: len(outcomes) >= 3, "three of the four runs to give up")
    finally:
        release.set()
        for thread in threads:
            thread.join(WAIT_LIMIT_SECONDS)

    assert sorted(outcomes, key=str) == [False, False, False, True]
    assert len(runs) == 1
    row = lease_row(app, "test.slow")
    assert row is not None and (row.leased_until, row.leased_by, row.last_error) == (
        None,
        None,
        None,
    )


def test_a_lease_left_by_a_crashed_run_is_taken_over_once_it_expires(app: Flask) -> None:
    runs: list[datetime] = []
    task = PeriodicTask("test.task", "TRACKING_TICK_SECONDS", lambda session, now: runs.append(now))
    now = utcnow()
    hold_lease(app, "test.task", until=now - timedelta(seconds=1), by=OTHER_HOLDER)

    assert run_periodic(app, task, now=now).ran

    assert runs == [now]
    row = lease_row(app, "test.task")
    assert row is not None
    assert (row.leased_until, row.leased_by, row.last_started_at) == (None, None, now)
    assert row.last_finished_at is not None and row.last_finished_at >= now


def test_a_task_that_raises_gives_its_lease_back_and_records_the_error(app: Flask) -> None:
    def broken(session: Session, now: datetime) -> None:
        raise RuntimeError("carrier API answered 503")

    task = PeriodicTask("test.broken", "TRACKING_TICK_SECONDS", broken)

    with pytest.raises(RuntimeError):
        run_periodic(app, task)

    row = lease_row(app, "test.broken")
    assert row is not None
    assert (row.leased_until, row.leased_by) == (None, None)
    assert row.last_error == "RuntimeError: carrier API answered 503"
    # The next run is not blocked, and a success clears the error.
    working = PeriodicTask("test.broken", "TRACKING_TICK_SECONDS", lambda session, now: None)
    assert run_periodic(app, working).ran
    row = lease_row(app, "test.broken")
    assert row is not None and row.last_error is None


def test_two_workers_on_one_database_run_a_periodic_task_once_per_interval(
    app: Flask, ticks: list[datetime]
) -> None:
    first, second = Worker(app, worker_id="first"), Worker(app, worker_id="second")
    start = utcnow()

    for minute in range(16):  # both workers loop every minute for a quarter of an hour
        at = start + timedelta(minutes=minute)
        for worker in (first, second) if minute % 2 else (second, first):
            worker.run_periodic_tasks(now=at)

    assert ticks == [start + timedelta(minutes=m) for m in (0, 5, 10, 15)]


def test_a_worker_does_not_start_a_task_another_process_is_running(
    app: Flask, ticks: list[datetime], caplog: pytest.LogCaptureFixture
) -> None:
    now = utcnow()
    hold_lease(app, "tracking.tick", until=now + timedelta(minutes=5), by=OTHER_HOLDER)

    with caplog.at_level(logging.INFO, logger="plugin.jobs.periodic"):
        Worker(app, worker_id="late").run_periodic_tasks(now=now)

    assert ticks == []
    assert f"periodic task tracking.tick skipped: a run by {OTHER_HOLDER}" in caplog.text


def test_the_celery_periodic_task_does_nothing_while_the_lease_is_held(
    app: Flask, ticks: list[datetime], caplog: pytest.LogCaptureFixture
) -> None:
    # The task runs in this process (`apply`): no broker is reached.
    app.config.update(JOBS_BACKEND="celery", CELERY_BROKER_URL="redis://127.0.0.1:1/0")
    periodic_task = celery_for(app).tasks[RUN_PERIODIC]
    hold_lease(app, "tracking.tick", until=utcnow() + timedelta(minutes=5), by=OTHER_HOLDER)

    with caplog.at_level(logging.INFO, logger="plugin.jobs.periodic"):
        periodic_task.apply(args=("tracking.tick",)).get()

    assert ticks == []
    assert "periodic task tracking.tick skipped" in caplog.text
    row = lease_row(app, "tracking.tick")
    assert row is not None and row.leased_by == OTHER_HOLDER  # still theirs

    hold_lease(app, "tracking.tick", until=None, by=None)  # the holder finished
    periodic_task.apply(args=("tracking.tick",)).get()
    assert len(ticks) == 1
