"""What happens right after an event is committed, by JOBS_BACKEND."""

from __future__ import annotations

from flask import current_app

from plugin.models import InboxEvent


def after_commit(event: InboxEvent) -> None:
    """`inline` runs the job before the response returns (tests); `db` leaves it to the worker."""
    if current_app.config["JOBS_BACKEND"] == "inline":
        from plugin.db import session
        from plugin.jobs.worker import Worker

        Worker(current_app._get_current_object(), worker_id="inline").run_one(  # type: ignore[attr-defined]
            event_id=event.id
        )
        # The job wrote through its own session: what this request's session holds is stale.
        session().expire_all()
