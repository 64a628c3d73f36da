"""Work that runs on a clock, not on an event: carrier polls, the inbox sweep, data retention.

Each periodic task is a function `(db, now) -> None` registered with `@periodic(name, key)`,
where `key` is the config key holding its interval in seconds (0 or less turns it off). The
embedded worker (`JOBS_BACKEND=db`) runs the due ones on its loop; Celery beat
(`JOBS_BACKEND=celery`) schedules each one as a task. A task commits its own work.

Either way a run first takes the task's lease (`plugin.jobs.periodic_lease`, table
`periodic_runs`), so at most one run of a task is in progress anywhere; a run that finds it
held logs that and does nothing. Embedded workers also share one schedule through that row:
a task is due when its last run, in any process, started one interval ago.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from plugin.jobs.periodic_lease import (
    new_holder,
    read_run,
    release_lease,
    take_lease,
)
from plugin.models import utcnow

log = logging.getLogger(__name__)

PeriodicFunction = Callable[[Session, datetime], None]


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    interval_key: str
    run: PeriodicFunction

    def interval(self, config: Any) -> float:
        """Seconds between runs from the app's config; 0 when the task is turned off."""
        return max(float(config.get(self.interval_key) or 0), 0.0)


_TASKS: dict[str, PeriodicTask] = {}


def periodic(name: str, interval_key: str) -> Callable[[PeriodicFunction], PeriodicFunction]:
    """Register `function` to run every `config[interval_key]` seconds."""

    def register(function: PeriodicFunction) -> PeriodicFunction:
        _TASKS[name] = PeriodicTask(name, interval_key, function)
        return function

    return register


def periodic_tasks() -> list[PeriodicTask]:
    """Every registered task, in name order (importing the modules that register them)."""
    _load_tasks()
    return [_TASKS[name] for name in sorted(_TASKS)]


def periodic_task(name: str) -> PeriodicTask:
    _load_tasks()
    return _TASKS[name]


@dataclass(frozen=True)
class PeriodicOutcome:
    ran: bool
    # The earliest time the task may run again, as far as this attempt learned.
    next_due: datetime


def lease_seconds(task: PeriodicTask, config: Any) -> float:
    """How long a run's lease lasts: its interval, and at least PERIODIC_LEASE_SECONDS."""
    return max(task.interval(config), float(config.get("PERIODIC_LEASE_SECONDS") or 0), 1.0)


def run_periodic(
    app: Flask, task: PeriodicTask, *, every: float | None = None, now: datetime | None = None
) -> PeriodicOutcome:
    """Run one periodic task now, unless another run of it, anywhere, holds its lease.

    With `every` (the embedded worker) it runs only when its last run started at least that
    many seconds ago; Celery beat keeps time by itself. The task gets an app context and a
    session of its own. A task that raises gives its lease back, and its error is recorded
    and raised again.
    """
    now = now or utcnow()
    database = app.extensions["encore_db"]
    with app.app_context():
        with database.new_session() as db:
            run = read_run(db, task.name)
            if every is not None and run is not None and run.last_started_at is not None:
                due = run.last_started_at + timedelta(seconds=every)
                if due > now:
                    return PeriodicOutcome(False, due)
            if run is not None and run.leased_until is not None and run.leased_until >= now:
                log.info(
                    "periodic task %s skipped: a run by %s holds its lease until %s",
                    task.name,
                    run.leased_by,
                    run.leased_until.isoformat(timespec="seconds"),
                )
                return PeriodicOutcome(False, run.leased_until)
            holder = new_holder()
            seconds = lease_seconds(task, app.config)
            if not take_lease(db, task.name, holder, now, seconds, every):
                log.info("periodic task %s skipped: another run took its lease first", task.name)
                return PeriodicOutcome(False, now)
        _run_holding_lease(app, task, holder, now, seconds)
    return PeriodicOutcome(True, now + timedelta(seconds=every or 0))


def _run_holding_lease(
    app: Flask, task: PeriodicTask, holder: str, now: datetime, seconds: float
) -> None:
    database = app.extensions["encore_db"]
    began = time.monotonic()
    error: str | None = None
    try:
        with database.new_session() as db:
            task.run(db, now)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        # On the caller's clock (tests pass one), so started and finished read alike.
        took = time.monotonic() - began
        with database.new_session() as db:
            released = release_lease(db, task.name, holder, now + timedelta(seconds=took), error)
        if not released or took > seconds:
            log.warning(
                "periodic task %s ran %.0fs, longer than its %.0fs lease: another run may have "
                "overlapped it (raise PERIODIC_LEASE_SECONDS)",
                task.name,
                took,
                seconds,
            )


def _load_tasks() -> None:
    """Import the modules whose @periodic functions fill the registry (once)."""
    import plugin.jobs.abandoned
    import plugin.jobs.sweep
    import plugin.retention
    import plugin.tracking.periodic  # noqa: F401
