"""A job running when its Celery worker dies with SIGKILL is run again, and counts once.

No beat and no sweep run here (JOBS_SWEEP_SECONDS=0): the only way back for the job is the
broker redelivering its message (acks_late, reject_on_worker_lost, the visibility timeout)
and the task waiting for the dead worker's inbox lease to run out.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from plugin.jobs.celery_tasks import RowState, check_back_at
from plugin.models import InboxStatus
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
from tests.celery_jobs import RECORD, attempts_marked, effects
from tests.services import redis_url


@pytest.fixture
def broker() -> str:
    return redis_url()


@pytest.fixture
def app_config(app_config: dict[str, Any], broker: str, database_url: str) -> dict[str, Any]:
    # Naming `database_url` keeps its sqlite/postgresql parameters on this override. A short
    # lease and visibility timeout keep the waits short; publish delays stay under half the
    # visibility timeout, so the check-back at the lease's end is published.
    settings = celery_test_config(
        broker, JOBS_LEASE_SECONDS=3, CELERY_VISIBILITY_TIMEOUT_SECONDS=10, JOBS_MAX_ATTEMPTS=3
    )
    return {**app_config, **settings}


@pytest.fixture
def celery_app(app: Flask, broker: str) -> Iterator[Flask]:
    with prepared(app, broker):
        yield app


def held_job(db: Session, marks: Path) -> int:
    """A job whose first attempt waits (until killed); later attempts write the effect."""
    body = {"marks": str(marks), "hold_first_attempt": True}
    return queue_job(db, RECORD, "held", body)


def first_attempt_pid(marks: Path, event_id: int) -> int | None:
    attempts = attempts_marked(marks, event_id)
    return int(attempts[0]["pid"]) if attempts else None


def test_job_is_rerun_once_after_its_pool_process_is_killed(
    celery_app: Flask, db: Session, tmp_path: Path
) -> None:
    event_id = held_job(db, tmp_path)
    with running(worker(celery_app.config, tmp_path)) as celery_worker:
        wait_until(
            lambda: first_attempt_pid(tmp_path, event_id) is not None,
            "the first attempt to start",
            (celery_worker,),
        )
        victim = first_attempt_pid(tmp_path, event_id)
        assert victim is not None
        os.kill(victim, signal.SIGKILL)
        wait_until(status_is(db, event_id, InboxStatus.DONE), "the re-run", (celery_worker,))
    attempts = attempts_marked(tmp_path, event_id)
    assert len(attempts) == 2
    assert attempts[1]["pid"] != victim  # a fresh pool process ran it
    assert inbox_row(db, event_id).attempts == 2
    assert effects(db, event_id) == 1


def test_job_is_rerun_once_after_the_whole_worker_is_killed_and_restarted(
    celery_app: Flask, db: Session, tmp_path: Path
) -> None:
    event_id = held_job(db, tmp_path)
    crashed = worker(celery_app.config, tmp_path, name="crashed")
    with running(crashed):
        wait_until(
            lambda: first_attempt_pid(tmp_path, event_id) is not None,
            "the first attempt to start",
            (crashed,),
        )
        crashed.kill()  # main process and pool: nobody is left to put the message back
        assert inbox_row(db, event_id).status == InboxStatus.RUNNING
    restarted = worker(celery_app.config, tmp_path, name="restarted")
    with running(restarted):
        wait_until(status_is(db, event_id, InboxStatus.DONE), "the re-run", (crashed, restarted))
    assert len(attempts_marked(tmp_path, event_id)) == 2
    assert inbox_row(db, event_id).attempts == 2
    assert effects(db, event_id) == 1


NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        # This run failed and the inbox scheduled a retry: come back for it.
        (
            RowState(InboxStatus.PENDING, NOW + timedelta(seconds=8), None),
            NOW + timedelta(seconds=8),
        ),
        # Another worker holds the row (or held it and died): look again once its lease is over.
        (
            RowState(InboxStatus.RUNNING, NOW, NOW + timedelta(seconds=30)),
            NOW + timedelta(seconds=31),
        ),
        # Finished, given up on, or claimable by anyone (the sweep's business): nothing to do.
        (RowState(InboxStatus.DONE, NOW, None), None),
        (RowState(InboxStatus.DEAD, NOW, None), None),
        (RowState(InboxStatus.PENDING, NOW - timedelta(seconds=1), None), None),
        (RowState(InboxStatus.RUNNING, NOW, NOW - timedelta(seconds=1)), None),
    ],
)
def test_task_comes_back_only_while_the_row_has_a_run_ahead(
    state: RowState, expected: datetime | None
) -> None:
    assert check_back_at(state, NOW) == expected
