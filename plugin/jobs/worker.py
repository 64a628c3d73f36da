"""The job worker: claims due inbox rows, runs their job, commits effects and status together."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
import uuid
from datetime import datetime

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
from plugin.models import InboxEvent
from plugin.observability import job_log_context
from plugin.platforms.base import PayloadError
from plugin.platforms.circuit import CircuitOpen

log = logging.getLogger(__name__)


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
        self._next_run: dict[str, float] = {}

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

    def run_periodic_tasks(self) -> None:
        """Run each periodic task whose interval has passed (see plugin.jobs.periodic)."""
        from plugin.jobs.periodic import periodic_tasks, run_periodic

        for task in periodic_tasks():
            every = task.interval(self.app.config)
            if every <= 0 or time.monotonic() < self._next_run.get(task.name, 0.0):
                continue
            self._next_run[task.name] = time.monotonic() + every
            try:
                run_periodic(self.app, task)
            except Exception:
                log.exception("periodic task %s failed; it runs again next interval", task.name)

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run_forever, name="encore-worker", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()
