"""The work Encore does on a clock, as the health page shows it: is tracking being polled?

Every periodic task (`plugin.jobs.periodic`) leaves its lease and its last run in
`periodic_runs`; this reads all of them in one query and says, in the merchant's words, how
each task is doing and what to do when it is not. The tasks are shared by every store.

States, first match wins:
- `off`: the task's interval is 0 in this process's config;
- `running`: a run holds the task's lease now (and the lease has not run out);
- `never_ran`: no run has started yet;
- `late`: the last run started more than LATE_AFTER_INTERVALS intervals ago, and at least
  LATE_AFTER_AT_LEAST ago (an embedded worker runs one task at a time, so a long tracking
  tick delays the others without anything being wrong);
- `failed`: the last run recorded an error, or it never gave its lease back (its process
  stopped, or it outlived its lease);
- `ok`: otherwise.

The tasks serve every store, so an error's message may speak of another store: the page shows
only its kind (the exception's name); the worker's log has the whole message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.jobs.periodic import PeriodicTask, periodic_tasks
from plugin.jobs.tables import PeriodicRun
from plugin.web.formatting import ago

LATE_AFTER_INTERVALS = 3
LATE_AFTER_AT_LEAST = timedelta(minutes=15)

# What each registered task does, for a merchant, in the order the page lists them; a task
# missing here shows its name, after these.
TASK_LABELS = {
    "tracking.tick": "Carrier tracking updates",
    "privacy.retention": "Data retention",
    "jobs.sweep": "Re-sending lost jobs",
    "jobs.bury_abandoned": "Retiring jobs that crash their worker",
}

IS_THE_WORKER_RUNNING = "Is `encore worker` (or Celery beat) running?"
QUOTED_CODE = re.compile(r"`([^`]+)`")
ERROR_KIND = re.compile(r"[A-Za-z_][\w.]{0,99}")


class TaskState(StrEnum):
    OFF = "off"
    NEVER_RAN = "never_ran"
    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    LATE = "late"


STATE_WORDS = {
    TaskState.OFF: "Turned off",
    TaskState.NEVER_RAN: "Never ran",
    TaskState.RUNNING: "Running now",
    TaskState.OK: "OK",
    TaskState.FAILED: "Failed",
    TaskState.LATE: "Late",
}


@dataclass(frozen=True)
class BackgroundTask:
    name: str
    label: str
    interval_seconds: float  # 0: turned off
    state: TaskState
    detail: str  # what the state means, and what to do next
    running: bool  # a run holds the lease now
    last_started_at: datetime | None
    last_finished_at: datetime | None
    last_error_kind: str | None  # the exception's name only (see the module's docstring)

    @property
    def state_words(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def every(self) -> str:
        return every_words(self.interval_seconds)

    @property
    def detail_html(self) -> Markup:
        """The detail, escaped, with its `commands` as <code>."""
        return Markup(QUOTED_CODE.sub(r"<code>\1</code>", str(escape(self.detail))))


def background_tasks(db: Session, config: Mapping[str, Any], now: datetime) -> list[BackgroundTask]:
    """Every registered periodic task with its last run; tracking first (TASK_LABELS' order)."""
    order = list(TASK_LABELS)
    tasks = sorted(
        periodic_tasks(),
        key=lambda task: (order.index(task.name) if task.name in order else len(order), task.name),
    )
    runs = {
        run.name: run
        for run in db.scalars(
            select(PeriodicRun)
            .where(PeriodicRun.name.in_([task.name for task in tasks]))
            .execution_options(populate_existing=True)
        )
    }
    return [_background_task(task, runs.get(task.name), config, now) for task in tasks]


def _background_task(
    task: PeriodicTask, run: PeriodicRun | None, config: Mapping[str, Any], now: datetime
) -> BackgroundTask:
    interval = task.interval(config)
    running = run is not None and run.leased_until is not None and run.leased_until >= now
    state, detail = _state(task, run, interval, running, now)
    return BackgroundTask(
        name=task.name,
        label=TASK_LABELS.get(task.name, task.name),
        interval_seconds=interval,
        state=state,
        detail=detail,
        running=running,
        last_started_at=run.last_started_at if run else None,
        last_finished_at=run.last_finished_at if run else None,
        last_error_kind=error_kind(run.last_error) if run else None,
    )


def _state(
    task: PeriodicTask, run: PeriodicRun | None, interval: float, running: bool, now: datetime
) -> tuple[TaskState, str]:
    if interval <= 0:
        return TaskState.OFF, f"Turned off: set {task.interval_key} to a number of seconds."
    if running:
        return TaskState.RUNNING, "A run is in progress now."
    started = run.last_started_at if run else None
    if run is None or started is None:
        return TaskState.NEVER_RAN, f"No run has started yet. {IS_THE_WORKER_RUNNING}"
    late_after = max(timedelta(seconds=interval * LATE_AFTER_INTERVALS), LATE_AFTER_AT_LEAST)
    if now - started > late_after:
        return TaskState.LATE, (
            f"It runs {every_words(interval)}, but the last run started {ago(started, now)}. "
            f"{IS_THE_WORKER_RUNNING}"
        )
    if run.last_error:
        return TaskState.FAILED, (
            "The last run failed; it is tried again next interval. If the error repeats, "
            "look for its whole message in the worker's log."
        )
    if run.leased_until is not None:
        return TaskState.FAILED, (
            "The last run never finished: its process stopped, or it ran longer than its "
            "lease (raise PERIODIC_LEASE_SECONDS). Look in the worker's log."
        )
    return TaskState.OK, "The last run finished without an error."


def every_words(seconds: float) -> str:
    """An interval as words: "every 5 min", "every 24 h", "off"."""
    if seconds <= 0:
        return "off"
    if seconds < 60:
        return f"every {seconds:.3g} s"
    if seconds < 2 * 3600:
        return f"every {seconds / 60:.3g} min"
    if seconds < 2 * 86400:
        return f"every {seconds / 3600:.3g} h"
    return f"every {seconds / 86400:.3g} days"


def error_kind(error: str | None) -> str | None:
    """`KeyError` from "KeyError: 'line_items'": the name the run recorded before its message."""
    if not error:
        return None
    found = ERROR_KIND.match(error.split(":", 1)[0].strip())
    return found.group(0) if found else "Error"
