"""The job worker: claims due inbox rows, runs their job, commits effects and status together."""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
import uuid
from datetime import datetime, timedelta

from flask import Flask, has_app_context
from sqlalchemy.orm import Session

from plugin.db import SQLITE_BUSY_WAIT_SECONDS, Database
from plugin.jobs.queue import (
    RetryPolicy,
    claim,
    finish_if_still_claimed,
    postpone,
    record_failure,
)
from plugin.jobs.registry import handler_for
from plugin.models import InboxEvent, utcnow
from plugin.observability import job_log_context
from plugin.platforms.base import PayloadError
from plugin.platforms.circuit import CircuitOpen

log = logging.getLogger(__name__)

# The longest a worker goes without reading a periodic task's row (a changed schedule, a
# cleared lease): a few cheap reads a minute per worker.
PERIODIC_LOOK_SECONDS = 60.0


class Worker:
    """Runs jobs from the inbox. Many workers may share one database."""

    def __init__(self, app: Flask, worker_id: str | None = None) -> None:
        self.app = app
        self.db: Database = app.extensions["encore_db"]
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease_seconds = float(app.config["JOBS_LEASE_SECONDS"])
        if self.db.is_sqlite and self.lease_seconds <= SQLITE_BUSY_WAIT_SECONDS:
            log.warning(
                "JOBS_LEASE_SECONDS=%s is not longer than SQLite's %ss wait for the write lock: "
                "a live job may lose its lease and run twice. Set it above %s.",
                self.lease_seconds,
                SQLITE_BUSY_WAIT_SECONDS,
                SQLITE_BUSY_WAIT_SECONDS,
            )
        self.poll_seconds = float(app.config["JOBS_POLL_SECONDS"])
        self.policy = RetryPolicy.from_config(app.config)
        self._stop = threading.Event()
        self._next_look: dict[str, datetime] = {}

    def run_one(self, now: datetime | None = None, event_id: int | None = None) -> bool:
        """Claim and run one due row. Returns False when nothing was due."""
        if has_app_context():
            # Inline dispatch runs inside a request: a nested app context would, on exit,
            # close the request's own scoped session.
            return self._claim_and_run(now, event_id)
        with self.app.app_context():
            return self._claim_and_run(now, event_id)

    def _claim_and_run(self, now: datetime | None, event_id: int | None) -> bool:
        with self.db.new_session() as db:
            event = claim(
                db,
                self.worker_id,
                self.lease_seconds,
                now=now,
                event_id=event_id,
                max_attempts=self.policy.max_attempts,
            )
            if event is None:
                return False
            self._run(db, event, now)
            return True

    def _run(self, db: Session, event: InboxEvent, now: datetime | None) -> None:
        event_id = event.id
        try:
            with job_log_context(event_id, event.kind):
                handler_for(event.kind)(db, event)
            if finish_if_still_claimed(db, event, self.worker_id):
                db.commit()
            else:
                # Our lease ran out and another worker owns the row now: its run counts, not ours.
                db.rollback()
                log.warning("inbox %s: lease lost before commit; effects rolled back", event_id)
        except CircuitOpen as paused:
            # The store's API keeps failing: come back after its cool-down, no try spent.
            db.rollback()
            postpone(db, event_id, self.worker_id, paused.retry_in, str(paused), now=now)
            log.info("inbox %s (%s) postponed: %s", event_id, event.topic, paused)
        except Exception as exc:
            db.rollback()
            error = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"
            status = record_failure(
                db,
                event_id,
                self.worker_id,
                error,
                self.policy,
                now=now,
                permanent=isinstance(exc, PayloadError),
            )
            log.warning("inbox %s (%s) failed, now %s: %s", event_id, event.topic, status, exc)

    def drain(self, now: datetime | None = None, limit: int = 1_000_000) -> int:
        """Run everything that is due now; returns how many jobs ran."""
        count = 0
        while count < limit and self.run_one(now=now):
            count += 1
        return count

    def run_forever(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_periodic_tasks()
                if not self.run_one():
                    self._stop.wait(self.poll_seconds)
            except Exception:  # keep the worker alive through a database hiccup
                log.exception("worker loop error; retrying after a pause")
                self._stop.wait(self.poll_seconds * 5)

    def run_periodic_tasks(self, now: datetime | None = None) -> None:
        """Run each periodic task that is due (see plugin.jobs.periodic).

        The schedule is the `periodic_runs` table every worker shares, so a task runs once per
        interval however many workers there are. Between looks at it, each worker remembers
        when a task is next due and asks the database again only then (at most once a poll,
        at least once every PERIODIC_LOOK_SECONDS).
        """
        from plugin.jobs.periodic import periodic_tasks, run_periodic

        for task in periodic_tasks():
            every = task.interval(self.app.config)
            at = now or utcnow()
            if every <= 0 or not self._periodic_look_due(task.name, at):
                continue
            look_again = at + timedelta(seconds=PERIODIC_LOOK_SECONDS)
            try:
                outcome = run_periodic(self.app, task, every=every, now=at)
                look_again = min(look_again, outcome.next_due)
            except Exception:
                log.exception("periodic task %s failed; it runs again next interval", task.name)
            self._next_look[task.name] = max(look_again, at + timedelta(seconds=self.poll_seconds))

    def _periodic_look_due(self, name: str, now: datetime) -> bool:
        next_look = self._next_look.get(name)
        # A look planned further ahead than ever planned means the clock went back: look now.
        return (
            next_look is None
            or next_look <= now
            or next_look - now > timedelta(seconds=PERIODIC_LOOK_SECONDS)
        )

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name="encore-worker", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
