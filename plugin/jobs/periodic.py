"""Work that runs on a clock, not on an event: carrier polls, the inbox sweep, data retention.

Each periodic task is a function `(db, now) -> None` registered with `@periodic(name, key)`,
where `key` is the config key holding its interval in seconds (0 or less turns it off). The
embedded worker (`JOBS_BACKEND=db`) runs the due ones on its loop; Celery beat
(`JOBS_BACKEND=celery`) schedules each one as a task. A task commits its own work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from plugin.models import utcnow

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


def run_periodic(app: Flask, task: PeriodicTask) -> None:
    """Run one periodic task now, in an app context with a session of its own."""
    with app.app_context(), app.extensions["encore_db"].new_session() as db:
        task.run(db, utcnow())


def _load_tasks() -> None:
    """Import the modules whose @periodic functions fill the registry (once)."""
    import plugin.jobs.abandoned
    import plugin.jobs.sweep
    import plugin.retention
    import plugin.tracking.periodic  # noqa: F401
