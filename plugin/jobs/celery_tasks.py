"""The Celery app for a Flask app (JOBS_BACKEND=celery): broker settings, tasks, beat schedule.

Two tasks, both thin: `encore.run_inbox_event(event_id)` runs one inbox row through the same
claim, job, finish and retry bookkeeping as the embedded worker (`Worker.run_one`), and
`encore.periodic(name)` runs one periodic task (unless another run holds its lease). Web
processes build the app only to publish; worker and beat processes get theirs from
`plugin.jobs.celery_app`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import Celery
from flask import Flask

from plugin.config import ConfigError
from plugin.jobs.periodic import periodic_task, periodic_tasks, run_periodic
from plugin.jobs.publish import publish
from plugin.jobs.worker import Worker
from plugin.models import InboxEvent, InboxStatus, utcnow

log = logging.getLogger(__name__)

RUN_INBOX_EVENT = "encore.run_inbox_event"
RUN_PERIODIC = "encore.periodic"


def celery_for(app: Flask) -> Celery:
    """The app's Celery instance, built on first use."""
    celery: Celery | None = app.extensions.get("encore_celery")
    if celery is None:
        celery = app.extensions["encore_celery"] = _build(app)
    return celery


def _build(app: Flask) -> Celery:
    broker = app.config["CELERY_BROKER_URL"]
    if not broker:
        raise ConfigError(
            "CELERY_BROKER_URL must be set for JOBS_BACKEND=celery (redis://HOST:6379/0)."
        )
    celery = Celery("encore", broker=broker, set_as_current=False)
    celery.conf.update(celery_settings(app.config))

    # Not shared: a shared task is added to every Celery app built later in the process, so
    # calls through a second Flask app's Celery would reach the first app (and its database).
    @celery.task(name=RUN_INBOX_EVENT, acks_late=True, reject_on_worker_lost=True, shared=False)
    def run_inbox_event_task(event_id: int) -> None:
        run_inbox_event(app, event_id)

    # A periodic run lost with its worker is simply the next one's work: no late ack. Its lease
    # (periodic_runs) keeps other runs of the task out until it expires.
    @celery.task(name=RUN_PERIODIC, acks_late=False, shared=False)
    def run_periodic_task(name: str) -> None:
        run_periodic(app, periodic_task(name))

    return celery


def celery_settings(config: Any) -> dict[str, Any]:
    """Celery configuration from Encore's config keys (see docs/scale-out.md)."""
    queue = str(config["CELERY_QUEUE"])
    visibility = float(config["CELERY_VISIBILITY_TIMEOUT_SECONDS"])
    timeout = float(config["CELERY_BROKER_TIMEOUT_SECONDS"])
    return {
        "task_default_queue": queue,
        "task_ignore_result": True,
        # Acknowledge a message only when its task returned, and put it back when the worker
        # process died under it; the inbox row's lease decides whether it runs again.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # A task that raised (the database was down) is acknowledged: requeueing it at once
        # would spin, and the sweep publishes its row again once it is due.
        "task_acks_on_failure_or_timeout": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": timeout,
        "broker_transport_options": {
            "global_keyprefix": f"{queue}:",
            "visibility_timeout": visibility,
            # Look for abandoned messages a few times per visibility timeout (at most every 10s).
            "unacked_restore_interval": max(1, min(10, int(visibility / 5))),
            "unacked_restore_throttle": 1,
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
        },
        # A webhook waits for its publish: give up quickly, the sweep makes up for it.
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.5,
            "interval_max": 1,
        },
        "beat_schedule": beat_schedule(config),
    }


def beat_schedule(config: Any) -> dict[str, dict[str, Any]]:
    """One beat entry per periodic task that is turned on (interval above 0), the sweep included.

    A run that waited in the queue for a whole interval expires: the next one replaces it.
    """
    schedule: dict[str, dict[str, Any]] = {}
    for task in periodic_tasks():
        every = task.interval(config)
        if every > 0:
            schedule[task.name] = {
                "task": RUN_PERIODIC,
                "schedule": timedelta(seconds=every),
                "args": (task.name,),
                "options": {"expires": every},
            }
    return schedule


@dataclass(frozen=True)
class RowState:
    status: str
    run_after: datetime
    lease_until: datetime | None


def run_inbox_event(app: Flask, event_id: int) -> None:
    """The task's body: run the row if it can be claimed, then come back when it is due again.

    A row that is done, dead or gone makes this a no-op. A row scheduled for a retry (this run
    failed) or not due yet is published again for its time; a row another worker holds is
    looked at again when that worker's lease runs out, so a message redelivered after its
    worker died re-runs the job as soon as the inbox allows it.
    """
    Worker(app).run_one(event_id=event_id)
    state = _row_state(app, event_id)
    if state is None:
        return
    again = check_back_at(state, utcnow())
    if again is not None:
        publish(app, event_id, again)


def check_back_at(state: RowState, now: datetime) -> datetime | None:
    """When a row that was not finished by this task can next be claimed; None: never."""
    if state.status == InboxStatus.PENDING and state.run_after > now:
        return state.run_after
    lease = state.lease_until
    if state.status == InboxStatus.RUNNING and lease is not None and lease >= now:
        return lease + timedelta(seconds=1)  # a claim needs the lease strictly past
    return None


def _row_state(app: Flask, event_id: int) -> RowState | None:
    with app.app_context(), app.extensions["encore_db"].new_session() as db:
        row = db.get(InboxEvent, event_id)
        if row is None:
            log.info("inbox %s: no such row; nothing to run", event_id)
            return None
        return RowState(str(row.status), row.run_after, row.lease_until)
