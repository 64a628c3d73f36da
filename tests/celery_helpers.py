"""Real Celery worker and beat processes for the Celery tests, on a queue of their own.

Each test gets a unique queue name, which also prefixes every Redis key its Celery uses, so
tests never see each other's messages (or other users of the same Redis) and clean up only
their own keys. Processes run in their own process group and are always stopped; waits poll
for an outcome with a bound, never sleep for a fixed time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, cast

import pytest
import redis
from flask import Flask
from sqlalchemy.orm import Session

from plugin.config import DEFAULTS
from plugin.jobs.dispatch import after_commit
from plugin.jobs.queue import enqueue
from plugin.jobs.registry import EXTRA_MODULES_VARIABLE
from plugin.models import InboxEvent
from tests.celery_jobs import create_effects_table, drop_effects_table

REPO = Path(__file__).resolve().parent.parent
WAIT_LIMIT_SECONDS = 90.0


def celery_test_config(broker_url: str, **overrides: Any) -> dict[str, Any]:
    """Config for JOBS_BACKEND=celery on a fresh queue, with the clock-driven work turned off."""
    settings: dict[str, Any] = {
        "JOBS_BACKEND": "celery",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_QUEUE": f"encore-test-{uuid.uuid4().hex[:12]}",
        "TRACKING_TICK_SECONDS": 0,
        "RETENTION_INTERVAL_SECONDS": 0,
        "JOBS_SWEEP_SECONDS": 0,
    }
    settings.update(overrides)
    return settings


@contextmanager
def prepared(app: Flask, broker_url: str) -> Iterator[Flask]:
    """The app with a table for the test jobs' effects; afterwards that table and the test
    queue's Redis keys are gone."""
    url = app.config["DATABASE_URL"]
    create_effects_table(url)
    try:
        yield app
    finally:
        app.extensions["encore_db"].session.remove()  # PostgreSQL: an open read blocks DROP
        drop_effects_table(url)
        forget_queue(broker_url, app.config["CELERY_QUEUE"])


def inbox_row(db: Session, event_id: int) -> InboxEvent:
    """The row as it is now (SQLite keeps a read transaction's snapshot: end it first)."""
    db.rollback()
    row = db.get(InboxEvent, event_id, populate_existing=True)
    assert row is not None
    return row


def status_is(db: Session, event_id: int, status: str) -> Callable[[], bool]:
    return lambda: inbox_row(db, event_id).status == status


def queue_job(db: Session, kind: str, key: str, body: dict[str, Any], publish: bool = True) -> int:
    """Store a row, and publish it the way a webhook does (commit, then `after_commit`)."""
    event = enqueue(db, kind=kind, topic=kind, event_key=key, body=json.dumps(body))
    assert event is not None
    if publish:
        after_commit(event)
    return event.id


def queued_messages(broker_url: str, queue: str) -> list[bytes]:
    """The messages waiting in a test queue (raw, as Celery stored them)."""
    client = redis.Redis.from_url(broker_url)
    try:
        return cast(list[bytes], client.lrange(f"{queue}:{queue}", 0, -1))
    finally:
        client.close()


def purge_queue(broker_url: str, queue: str) -> None:
    """Lose every message waiting in a test queue, as a broker restart without data would."""
    client = redis.Redis.from_url(broker_url)
    try:
        client.delete(f"{queue}:{queue}")
    finally:
        client.close()


def forget_queue(broker_url: str, queue: str) -> None:
    """Delete every Redis key of a test queue (its prefix is unique to the test)."""
    client = redis.Redis.from_url(broker_url)
    try:
        keys = list(client.scan_iter(match=f"{queue}:*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


class CeleryProcess:
    """`celery -A plugin.jobs.celery_app ...` with an app config in its environment."""

    def __init__(self, arguments: list[str], config: dict[str, Any], log_path: Path) -> None:
        self.arguments = arguments
        self.environment = _environment(config)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "plugin.jobs.celery_app", *self.arguments],
                cwd=REPO,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: one signal reaches the pool too
            )

    def kill(self) -> None:
        """SIGKILL the whole process group (main process and pool), as a crash would."""
        self._signal_group(signal.SIGKILL)
        self._reap(10.0)

    def stop(self) -> None:
        """Warm shutdown (running tasks finish); SIGKILL if it takes too long."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)  # to the main process only: it stops the pool
        if not self._reap(30.0):
            self.kill()
        self._signal_group(signal.SIGKILL)  # pool processes the main process left behind
        self.process = None

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _signal_group(self, number: signal.Signals) -> None:
        if self.process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, number)

    def _reap(self, timeout: float) -> bool:
        if self.process is None:
            return True
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True


def _environment(config: dict[str, Any]) -> dict[str, str]:
    environment = dict(os.environ)
    for key, value in config.items():
        if key in DEFAULTS and value is not None:
            environment[f"ENCORE_{key}"] = str(value)
    environment[EXTRA_MODULES_VARIABLE] = "tests.celery_jobs"
    environment["PYTHONUNBUFFERED"] = "1"  # the log shows what happened up to a kill
    return environment


@contextmanager
def running(process: CeleryProcess) -> Iterator[CeleryProcess]:
    process.start()
    try:
        yield process
    finally:
        process.stop()


def worker(config: dict[str, Any], directory: Path, name: str = "worker") -> CeleryProcess:
    """One worker with one prefork pool process, consuming the config's queue."""
    return CeleryProcess(
        [
            "worker",
            "-P",
            "prefork",
            "-c",
            "1",
            "-n",
            f"{config['CELERY_QUEUE']}-{name}@%h",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ],
        config,
        directory / f"{name}.log",
    )


def beat(config: dict[str, Any], directory: Path) -> CeleryProcess:
    return CeleryProcess(
        ["beat", "-s", str(directory / "beat-schedule"), "--loglevel", "INFO"],
        config,
        directory / "beat.log",
    )


def wait_until(
    condition: Callable[[], bool],
    what: str,
    processes: tuple[CeleryProcess, ...] = (),
    limit: float = WAIT_LIMIT_SECONDS,
) -> None:
    """Poll `condition` until it holds; fail with the processes' logs after `limit` seconds."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n\n".join(f"--- {p.log_path.name}\n{p.log_tail()}" for p in processes)
            pytest.fail(f"waited {limit:.0f}s for {what}\n{logs}")
        time.sleep(0.1)
