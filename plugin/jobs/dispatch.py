"""What happens right after an event is committed, by JOBS_BACKEND."""

from __future__ import annotations

from flask import current_app

from plugin.models import InboxEvent


def after_commit(event: InboxEvent) -> None:
    """`inline` runs the job before the response returns (tests); `db` leaves it to the worker;
    `celery` publishes its task (a broker that is down is logged: the sweep publishes it later).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    backend = app.config["JOBS_BACKEND"]
    if backend == "inline":
        from plugin.db import session
        from plugin.jobs.worker import Worker

        Worker(app, worker_id="inline").run_one(event_id=event.id)
        # The job wrote through its own session: what this request's session holds is stale.
        session().expire_all()
    elif backend == "celery":
        from plugin.jobs.publish import publish

        publish(app, event.id, event.run_after)


def hand_to_broker(event_ids: list[int]) -> None:
    """Rows queued outside a webhook (a page asking for work, a replay): with `celery`, publish
    them now rather than after the sweep's grace; the other backends find them on their own."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["JOBS_BACKEND"] != "celery":
        return
    from plugin.jobs.publish import publish

    for event_id in event_ids:
        publish(app, event_id)
