"""The inbox queue on SQLite and PostgreSQL: leases expire, concurrent workers never share a row.

Workers here are what `plugin.jobs.worker.Worker` does around a job: claim a row with a lease,
then mark it done only if the claim still holds. The concurrency tests run two of them at once,
in two threads and in two processes, against the same database file or server.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from plugin.db import Database
from plugin.jobs.queue import claim, finish_if_still_claimed
from plugin.models import InboxEvent, InboxStatus, utcnow
from tests.databases import ReusablePostgresDatabase

ROWS = 200
LEASE_SECONDS = 30.0
# Only guards against a hang; nothing here measures speed.
GIVE_UP_SECONDS = 300.0


def add_due_rows(database: Database, count: int, now: datetime) -> list[int]:
    """`count` pending inbox rows, all due at `now`; returns their ids."""
    with database.new_session() as db:
        rows = [
            InboxEvent(
                kind="test.queue",
                topic="test/queue",
                event_key=f"queue-{number}",
                body="{}",
                headers={},
                run_after=now,
            )
            for number in range(count)
        ]
        db.add_all(rows)
        db.commit()
        return [row.id for row in rows]


def work_until_empty(database_url: str, worker_id: str, start: Any) -> list[int]:
    """Claim and finish rows until none is due; returns the ids this worker finished.

    Runs in a thread or a spawned process: it opens the database itself, and waits at the
    `start` barrier so both workers begin together.
    """
    database = Database(database_url)
    finished: list[int] = []
    try:
        start.wait()
        while True:
            with database.new_session() as db:
                event = claim(db, worker_id, LEASE_SECONDS)
                if event is None:
                    return finished
                if finish_if_still_claimed(db, event, worker_id):
                    db.commit()
                    finished.append(event.id)
    finally:
        database.dispose()


def rows_by_status(database: Database) -> dict[str, int]:
    with database.new_session() as db:
        counts = db.execute(select(InboxEvent.status, func.count()).group_by(InboxEvent.status))
        return {str(status): int(number) for status, number in counts}


def claims_per_row(database: Database) -> set[int]:
    """The distinct numbers of times rows were claimed (1 when each was claimed once)."""
    with database.new_session() as db:
        return set(db.scalars(select(InboxEvent.attempts).distinct()))


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    opened = Database(database_url)
    yield opened
    opened.dispose()


def assert_each_row_finished_once_by_one_worker(
    database: Database, ids: list[int], finished: list[list[int]]
) -> None:
    first, second = (set(worker_ids) for worker_ids in finished)
    assert first and second, "both workers should have taken part"
    assert not first & second
    assert sorted(first | second) == sorted(ids)
    assert sum(len(worker_ids) for worker_ids in finished) == ROWS
    assert rows_by_status(database) == {"done": ROWS}
    assert claims_per_row(database) == {1}


def test_a_row_whose_worker_died_is_claimed_again_after_its_lease(database: Database) -> None:
    start = utcnow()
    [row_id] = add_due_rows(database, 1, start)
    with database.new_session() as dead, database.new_session() as survivor:
        taken = claim(dead, "dead-worker", LEASE_SECONDS, now=start)
        assert taken is not None and taken.id == row_id
        assert claim(survivor, "survivor", LEASE_SECONDS, now=start + timedelta(seconds=29)) is None

        retaken = claim(survivor, "survivor", LEASE_SECONDS, now=start + timedelta(seconds=31))
        assert retaken is not None and retaken.id == row_id
        assert (retaken.attempts, retaken.claimed_by) == (2, "survivor")

        # The dead worker wakes up and tries to commit its run: refused, the survivor's counts.
        assert not finish_if_still_claimed(dead, taken, "dead-worker")
        dead.rollback()
        assert finish_if_still_claimed(survivor, retaken, "survivor")
        survivor.commit()
    with database.new_session() as db:
        row = db.get(InboxEvent, row_id)
        assert row is not None
        assert (row.status, row.claimed_by, row.attempts) == (InboxStatus.DONE, "survivor", 2)


def test_a_late_worker_cannot_finish_a_row_another_worker_already_finished(
    database: Database,
) -> None:
    start = utcnow()
    add_due_rows(database, 1, start)
    with database.new_session() as dead, database.new_session() as survivor:
        taken = claim(dead, "dead-worker", LEASE_SECONDS, now=start)
        retaken = claim(survivor, "survivor", LEASE_SECONDS, now=start + timedelta(minutes=5))
        assert taken is not None and retaken is not None
        assert finish_if_still_claimed(survivor, retaken, "survivor")
        survivor.commit()
        assert not finish_if_still_claimed(dead, taken, "dead-worker")
        dead.rollback()
    assert rows_by_status(database) == {"done": 1}


def test_two_worker_threads_never_claim_the_same_row(database: Database, database_url: str) -> None:
    ids = add_due_rows(database, ROWS, utcnow())
    start = threading.Barrier(2)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(work_until_empty, database_url, f"thread-{n}", start) for n in range(2)]
        finished = [run.result(timeout=GIVE_UP_SECONDS) for run in runs]
    assert_each_row_finished_once_by_one_worker(database, ids, finished)


def test_two_worker_processes_never_claim_the_same_row(
    database: Database, database_url: str
) -> None:
    ids = add_due_rows(database, ROWS, utcnow())
    # Spawned, not forked: a child must not inherit this process's open connections.
    spawn = multiprocessing.get_context("spawn")
    with spawn.Manager() as manager, ProcessPoolExecutor(2, mp_context=spawn) as pool:
        start = manager.Barrier(2)
        runs = [
            pool.submit(work_until_empty, database_url, f"process-{n}", start) for n in range(2)
        ]
        finished = [run.result(timeout=GIVE_UP_SECONDS) for run in runs]
    assert_each_row_finished_once_by_one_worker(database, ids, finished)


@pytest.fixture
def postgres_database(migrated_postgres: ReusablePostgresDatabase) -> Iterator[Database]:
    migrated_postgres.empty()
    opened = Database(migrated_postgres.url)
    yield opened
    opened.dispose()


def lock_row(db: Session, row_id: int) -> None:
    """Hold a row lock in an open transaction, as a worker in the middle of a claim does."""
    db.execute(select(InboxEvent.id).where(InboxEvent.id == row_id).with_for_update())


def test_on_postgresql_a_claim_skips_a_row_another_worker_has_locked(
    postgres_database: Database,
) -> None:
    first, second = add_due_rows(postgres_database, 2, utcnow())
    with postgres_database.new_session() as holder, postgres_database.new_session() as other:
        lock_row(holder, first)
        # Without SKIP LOCKED this claim would wait for the lock: make that an error instead.
        other.execute(text("SET lock_timeout = '5s'"))
        taken = claim(other, "other-worker", LEASE_SECONDS)
        assert taken is not None and taken.id == second
        holder.rollback()
