"""Publishing inbox rows to Celery (JOBS_BACKEND=celery): one task message per row to run.

A message only says "look at inbox row N"; the row decides whether anything runs (its claim),
so publishing a row twice is harmless and a row never published is found by the sweep.
Publishing never raises for a broker that is down: the row is committed already, and the
failure is logged for the sweep to make up for.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial
from typing import Any

from flask import Flask
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy import event
from sqlalchemy.orm import Session

from plugin.models import InboxEvent, utcnow

log = logging.getLogger(__name__)

_NEW_ROWS = "encore_new_inbox_rows"


def publish_horizon(config: Any) -> float:
    """The longest delay a message is published with: beyond it, the sweep publishes the row.

    Redis hands a message that a worker holds (waiting for its time) to another worker after
    the visibility timeout, so delays stay well under it.
    """
    return float(config["CELERY_VISIBILITY_TIMEOUT_SECONDS"]) / 2


def publish(app: Flask, event_id: int, run_after: datetime | None = None) -> bool:
    """Ask Celery to run inbox row `event_id` at `run_after` (now when None or past).

    False when nothing was sent: the row is due too far ahead, or the broker is unreachable
    (logged). Either way the sweep publishes the row once it is due.
    """
    from plugin.jobs.celery_tasks import RUN_INBOX_EVENT, celery_for

    delay = 0.0 if run_after is None else (run_after - utcnow()).total_seconds()
    if delay > publish_horizon(app.config):
        log.debug("inbox %s: due in %.0fs; the sweep publishes it then", event_id, delay)
        return False
    try:
        celery_for(app).send_task(
            RUN_INBOX_EVENT, args=(event_id,), countdown=delay if delay > 0 else None
        )
    except (BrokerError, OSError) as exc:
        log.warning(
            "inbox %s: the broker did not take the task (%s: %s); the sweep will publish it",
            event_id,
            type(exc).__name__,
            exc,
        )
        return False
    return True


def publish_rows_after_commit(app: Flask) -> None:
    """Publish each inbox row the app's sessions insert, right after the commit that stores it.

    Celery worker processes install this, so a follow-up a job queues (an import's next page, a
    retry's successor) reaches the broker at once instead of waiting for the sweep.
    """
    factory = app.extensions["encore_db"].session_factory
    event.listen(factory, "after_flush", _remember_new_rows)
    event.listen(factory, "after_commit", partial(_publish_remembered, app))
    event.listen(factory, "after_rollback", _forget_rows)


def _remember_new_rows(session: Session, _flush_context: Any) -> None:
    rows = [(row.id, row.run_after) for row in session.new if isinstance(row, InboxEvent)]
    if rows:
        session.info.setdefault(_NEW_ROWS, []).extend(rows)


def _publish_remembered(app: Flask, session: Session) -> None:
    # Releasing a savepoint fires after_commit too, before anything is visible to a worker.
    if session.in_nested_transaction():
        return
    for event_id, run_after in session.info.pop(_NEW_ROWS, []):
        publish(app, event_id, run_after)


def _forget_rows(session: Session) -> None:
    # A savepoint rolled back may have held some of the rows: publishing a row that does not
    # exist is a no-op, so only the outermost rollback forgets them.
    if not session.in_nested_transaction():
        session.info.pop(_NEW_ROWS, None)
