"""A job whose store's API is paused (open circuit) waits out the cool-down without spending a
try; dead letters are replayed exactly as asked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from plugin.jobs import registry
from plugin.jobs.queue import enqueue, replay_dead_letters
from plugin.jobs.worker import Worker
from plugin.models import InboxEvent, InboxStatus, utcnow
from plugin.platforms.circuit import CircuitOpen

PAUSED_KIND = "test.store_paused"


@registry.job(PAUSED_KIND)
def _store_is_paused(_db, _event):
    raise CircuitOpen("shopify:fresh-grocer.myshopify.com", retry_in=60)


def queue(db, kind: str, key: str) -> InboxEvent:
    event = enqueue(db, kind=kind, topic=kind, event_key=key, body="{}")
    assert event is not None
    return event


def test_a_job_meeting_an_open_circuit_waits_for_the_cool_down_without_spending_a_try(app, db):
    event = queue(db, PAUSED_KIND, "paused-1")
    now = utcnow()

    for _ in range(app.config["JOBS_MAX_ATTEMPTS"] + 2):
        assert Worker(app, worker_id="w").run_one(now=now, event_id=event.id)
        db.expire_all()
        row = db.get(InboxEvent, event.id)
        assert row.status == InboxStatus.PENDING
        assert row.attempts == 0
        assert row.run_after >= now + timedelta(seconds=59)
        assert "paused" in row.last_error
        now = row.run_after + timedelta(seconds=1)  # the cool-down is over: it runs again


def test_replaying_an_empty_selection_replays_nothing(app, db):
    for key in ("dead-1", "dead-2"):
        queue(db, "test.dead", key)
    for row in db.scalars(select(InboxEvent)):
        row.status = InboxStatus.DEAD
    db.commit()

    assert replay_dead_letters(db, []) == []
    chosen = db.scalar(select(InboxEvent.id).where(InboxEvent.event_key == "dead-1"))
    assert replay_dead_letters(db, [chosen]) == [chosen]
    assert len(replay_dead_letters(db, None)) == 1
    db.expire_all()
    statuses = {row.event_key: row.status for row in db.scalars(select(InboxEvent))}
    assert statuses == {"dead-1": InboxStatus.PENDING, "dead-2": InboxStatus.PENDING}


def test_a_job_whose_worker_dies_on_every_try_is_dead_lettered_not_claimed_forever(app, db):
    from plugin.jobs.abandoned import bury_abandoned_rows
    from plugin.jobs.queue import claim

    event = queue(db, "test.crashes_its_worker", "crash-1")
    now = utcnow()
    tries = app.config["JOBS_MAX_ATTEMPTS"]
    for _ in range(tries):  # each worker claims it, then vanishes without a word
        assert claim(db, "doomed", 30, now=now, max_attempts=tries) is not None
        now += timedelta(seconds=31)

    assert claim(db, "next", 30, now=now, max_attempts=tries) is None
    bury_abandoned_rows(db, now)
    db.expire_all()
    row = db.get(InboxEvent, event.id)
    assert row.status == InboxStatus.DEAD
    assert "stopped without finishing it" in row.last_error
