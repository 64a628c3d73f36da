"""Jobs that exist only for the Celery tests, loaded into their worker processes through
ENCORE_EXTRA_JOB_MODULES=tests.celery_jobs (see plugin.jobs.registry).

Each job leaves a mark file per attempt (outside the database, so a rolled-back or killed
attempt still shows) in the directory its body names; its effect is a row in a table of its
own, written in the job's transaction, without a unique key: a job committed twice would
show two rows.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from plugin.jobs.queue import add_in_transaction
from plugin.jobs.registry import job
from plugin.models import InboxEvent

RECORD = "test.record_effect"
FAIL = "test.always_fails"
FOLLOW_UP = "test.follow_up"
EFFECTS = "celery_test_effects"
HOLD_LIMIT_SECONDS = 120.0


def _marks(event: InboxEvent) -> Path:
    return Path(json.loads(event.body)["marks"])


def _mark_attempt(event: InboxEvent) -> None:
    attempt = _marks(event) / f"attempt-{event.id}-{event.attempts}"
    draft = attempt.with_suffix(".draft")
    draft.write_text(json.dumps({"pid": os.getpid(), "at": time.time()}))
    draft.rename(attempt)  # whole or not at all, for the test reading it


@job(RECORD)
def record_effect(db: Session, event: InboxEvent) -> None:
    """Writes one effect row; with `hold_first_attempt` the first attempt waits (for a kill)."""
    _mark_attempt(event)
    if json.loads(event.body).get("hold_first_attempt") and event.attempts == 1:
        release = _marks(event) / "release"
        deadline = time.monotonic() + HOLD_LIMIT_SECONDS
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    db.execute(
        text(f"INSERT INTO {EFFECTS} (event_id, pid) VALUES (:id, :pid)"),
        {
            "id": event.id,
            "pid": os.getpid(),
        },
    )


@job(FAIL)
def always_fail(_db: Session, event: InboxEvent) -> None:
    _mark_attempt(event)
    raise RuntimeError("this job always fails")


@job(FOLLOW_UP)
def queue_follow_up(db: Session, event: InboxEvent) -> None:
    """Queues a RECORD row in its own transaction, the way import pages queue the next one."""
    add_in_transaction(
        db, kind=RECORD, topic="follow-up", event_key=f"follow-up:{event.id}", body=event.body
    )


def create_effects_table(database_url: str) -> None:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE IF EXISTS {EFFECTS}"))
        connection.execute(text(f"CREATE TABLE {EFFECTS} (event_id INTEGER NOT NULL, pid INTEGER)"))
    engine.dispose()


def drop_effects_table(database_url: str) -> None:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(f"DROP TABLE IF EXISTS {EFFECTS}"))
    engine.dispose()


def effects(db: Session, event_id: int) -> int:
    """How many times the job for `event_id` committed its effect."""
    query = text(f"SELECT count(*) FROM {EFFECTS} WHERE event_id = :id")
    return int(db.scalar(query, {"id": event_id}) or 0)


def attempts_marked(marks: Path, event_id: int) -> list[dict[str, float]]:
    """What each attempt at `event_id` wrote when it started, in attempt order."""
    found = sorted(
        (path for path in marks.glob(f"attempt-{event_id}-*") if path.suffix != ".draft"),
        key=lambda path: int(path.name.rsplit("-", 1)[1]),
    )
    return [json.loads(path.read_text()) for path in found]
