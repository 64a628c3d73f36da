"""One run of a periodic task at a time, in any process: a lease row per task (`periodic_runs`).

Taking the lease is an INSERT of the task's row if it is missing, then an UPDATE that only
matches while nobody holds it (SQLite and PostgreSQL alike): of two processes trying at once,
one updates the row and the other finds it leased and updates nothing. A holder that crashed
keeps the lease only until `leased_until`; then the next run takes it over.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Table, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from plugin.jobs.tables import PeriodicRun

ERROR_LENGTH = 500


def new_holder() -> str:
    """Who holds a lease: host and process (for the operator), unique per run."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[-128:]


def read_run(db: Session, name: str) -> PeriodicRun | None:
    """The task's row as it is now, or None before its first run (ends the read transaction)."""
    run = db.get(PeriodicRun, name, populate_existing=True)
    db.rollback()
    return run


def take_lease(
    db: Session,
    name: str,
    holder: str,
    now: datetime,
    lease_seconds: float,
    every: float | None = None,
) -> bool:
    """Lease the task for `lease_seconds` and mark it started; False when someone holds it.

    With `every`, also only when its last run started at least that many seconds ago (the
    embedded workers' shared schedule). Commits either way.
    """
    table: Table = PeriodicRun.__table__  # type: ignore[assignment]
    insert = sqlite.insert if db.get_bind().dialect.name == "sqlite" else postgresql.insert
    db.execute(insert(table).values(name=name).on_conflict_do_nothing(index_elements=["name"]))
    conditions = [
        PeriodicRun.name == name,
        or_(PeriodicRun.leased_until.is_(None), PeriodicRun.leased_until < now),
    ]
    if every is not None:
        started_before = now - timedelta(seconds=every)
        conditions.append(
            or_(
                PeriodicRun.last_started_at.is_(None),
                PeriodicRun.last_started_at <= started_before,
            )
        )
    won = db.execute(
        update(PeriodicRun)
        .where(*conditions)
        .values(
            leased_until=now + timedelta(seconds=lease_seconds),
            leased_by=holder,
            last_started_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return bool(won.rowcount == 1)  # type: ignore[attr-defined]


def release_lease(
    db: Session, name: str, holder: str, finished: datetime, error: str | None
) -> bool:
    """Give the lease back and record how the run ended; False when another run took it over."""
    released = db.execute(
        update(PeriodicRun)
        .where(PeriodicRun.name == name, PeriodicRun.leased_by == holder)
        .values(
            leased_until=None,
            leased_by=None,
            last_finished_at=finished,
            last_error=error[:ERROR_LENGTH] if error else None,
        )
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return bool(released.rowcount == 1)  # type: ignore[attr-defined]
