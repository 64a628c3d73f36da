"""The inbox as a job queue: enqueue once, claim with a lease, retry with backoff, dead-letter.

Works the same on SQLite and PostgreSQL: a claim is a conditional UPDATE that only one worker
can win, so two workers never run the same row at the same time, and a row whose worker died
is claimed again once its lease has expired.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin.models import InboxEvent, InboxStatus, utcnow


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 5.0
    max_seconds: float = 3600.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Exponential backoff with jitter: about base * 2^(attempt-1), spread by ±50%."""
        rng = rng or random.Random()
        raw = min(self.max_seconds, self.base_seconds * 2 ** max(attempt - 1, 0))
        return float(min(self.max_seconds, raw * rng.uniform(0.5, 1.5)))

    @classmethod
    def from_config(cls, config: Any) -> RetryPolicy:
        return cls(
            max_attempts=int(config["JOBS_MAX_ATTEMPTS"]),
            base_seconds=float(config["JOBS_BACKOFF_BASE_SECONDS"]),
            max_seconds=float(config["JOBS_BACKOFF_MAX_SECONDS"]),
        )


def enqueue(
    db: Session,
    *,
    kind: str,
    topic: str,
    event_key: str,
    body: str,
    store_id: int | None = None,
    shop_domain: str | None = None,
    headers: dict[str, Any] | None = None,
    run_after: datetime | None = None,
) -> InboxEvent | None:
    """Store an event and commit. Returns None when the same event_key was stored before."""
    event = InboxEvent(
        kind=kind,
        topic=topic,
        event_key=event_key,
        body=body,
        store_id=store_id,
        shop_domain=shop_domain,
        headers=headers or {},
        run_after=run_after or utcnow(),
    )
    db.add(event)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        return None
    return event


def add_in_transaction(
    db: Session,
    *,
    kind: str,
    topic: str,
    event_key: str,
    body: str = "{}",
    store_id: int | None = None,
    shop_domain: str | None = None,
    run_after: datetime | None = None,
) -> bool:
    """Queue a follow-up job inside the caller's transaction (a job scheduling another job).

    Unlike `enqueue` it does not commit: the new row lands with the caller's other effects or
    not at all. False when a row with the same key exists (that job is already queued).
    """
    try:
        with db.begin_nested():
            db.add(
                InboxEvent(
                    kind=kind,
                    topic=topic,
                    event_key=event_key,
                    body=body,
                    store_id=store_id,
                    shop_domain=shop_domain,
                    headers={},
                    run_after=run_after or utcnow(),
                )
            )
    except IntegrityError:
        return False
    return True


def _claimable(now: datetime, max_attempts: int | None = None) -> Any:
    abandoned = and_(InboxEvent.status == InboxStatus.RUNNING, InboxEvent.lease_until < now)
    if max_attempts is not None:
        # A row whose worker died on every try (a job that crashes its process) is not taken
        # again: `bury_abandoned` dead-letters it.
        abandoned = and_(abandoned, InboxEvent.attempts < max_attempts)
    return or_(
        and_(InboxEvent.status == InboxStatus.PENDING, InboxEvent.run_after <= now),
        abandoned,
    )


def claim(
    db: Session,
    worker_id: str,
    lease_seconds: float,
    now: datetime | None = None,
    event_id: int | None = None,
    max_attempts: int | None = None,
) -> InboxEvent | None:
    """Claim the oldest due row (or the given one) for this worker; None when nothing is due.

    With `max_attempts`, a row abandoned by that many workers is left for `bury_abandoned`.
    """
    now = now or utcnow()
    candidates = select(InboxEvent.id).where(_claimable(now, max_attempts))
    if event_id is not None:
        candidates = candidates.where(InboxEvent.id == event_id)
    candidates = candidates.order_by(InboxEvent.run_after, InboxEvent.id)
    if db.get_bind().dialect.name == "postgresql":
        # The row lock already makes this claim the winner; locking only the one row taken
        # leaves every other due row to the other workers.
        candidates = candidates.limit(1).with_for_update(skip_locked=True)
    else:
        candidates = candidates.limit(20)
    for candidate_id in db.scalars(candidates).all():
        won = db.execute(
            update(InboxEvent)
            .where(InboxEvent.id == candidate_id, _claimable(now, max_attempts))
            .values(
                status=InboxStatus.RUNNING,
                lease_until=now + timedelta(seconds=lease_seconds),
                claimed_by=worker_id,
                attempts=InboxEvent.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if won.rowcount == 1:  # type: ignore[attr-defined]
            db.commit()
            event = db.get(InboxEvent, candidate_id, populate_existing=True)
            return event
    db.commit()
    return None


def finish_if_still_claimed(db: Session, event: InboxEvent, worker_id: str) -> bool:
    """Mark a claimed row done in the caller's transaction, if no other worker took it over."""
    finished = db.execute(
        update(InboxEvent)
        .where(
            InboxEvent.id == event.id,
            InboxEvent.claimed_by == worker_id,
            InboxEvent.status == InboxStatus.RUNNING,
        )
        .values(status=InboxStatus.DONE, finished_at=utcnow(), lease_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    return bool(finished.rowcount == 1)  # type: ignore[attr-defined]


def record_failure(
    db: Session,
    event_id: int,
    worker_id: str,
    error: str,
    policy: RetryPolicy,
    now: datetime | None = None,
    rng: random.Random | None = None,
    permanent: bool = False,
) -> InboxStatus | None:
    """After a failed run: schedule a retry, or dead-letter once the tries are used up.

    A permanent failure (a payload that can never be understood) is dead-lettered at once.
    """
    now = now or utcnow()
    event = db.get(InboxEvent, event_id, populate_existing=True)
    if event is None or event.claimed_by != worker_id or event.status != InboxStatus.RUNNING:
        db.rollback()
        return None
    event.last_error = error[-4000:]
    event.lease_until = None
    if permanent or event.attempts >= policy.max_attempts:
        event.status = InboxStatus.DEAD
        event.finished_at = now
    else:
        event.status = InboxStatus.PENDING
        event.run_after = now + timedelta(seconds=policy.delay(event.attempts, rng))
    db.commit()
    return InboxStatus(event.status)


def bury_abandoned(db: Session, max_attempts: int, now: datetime | None = None) -> int:
    """Dead-letter rows whose worker vanished on each of their `max_attempts` tries.

    A job that kills its own process (out of memory, a crash in a C library) would otherwise
    be claimed again after every lease, forever. Returns how many rows were dead-lettered.
    """
    now = now or utcnow()
    buried = db.execute(
        update(InboxEvent)
        .where(
            InboxEvent.status == InboxStatus.RUNNING,
            InboxEvent.lease_until < now,
            InboxEvent.attempts >= max_attempts,
        )
        .values(
            status=InboxStatus.DEAD,
            finished_at=now,
            lease_until=None,
            last_error=(
                f"The worker running this job stopped without finishing it on each of "
                f"{max_attempts} tries (a crash or a kill). Check the worker logs for this "
                "inbox id, then replay it with `encore jobs replay --id`."
            ),
        )
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return int(buried.rowcount)  # type: ignore[attr-defined]


def postpone(
    db: Session,
    event_id: int,
    worker_id: str,
    seconds: float,
    reason: str,
    now: datetime | None = None,
) -> bool:
    """Put a claimed row back for later without spending a try (its store's API is paused).

    The claim counted an attempt; this gives it back, so a store that is down for an hour
    does not dead-letter its jobs. False when the row is no longer ours.
    """
    now = now or utcnow()
    postponed = db.execute(
        update(InboxEvent)
        .where(
            InboxEvent.id == event_id,
            InboxEvent.claimed_by == worker_id,
            InboxEvent.status == InboxStatus.RUNNING,
        )
        .values(
            status=InboxStatus.PENDING,
            run_after=now + timedelta(seconds=seconds),
            lease_until=None,
            attempts=case((InboxEvent.attempts > 0, InboxEvent.attempts - 1), else_=0),
            last_error=reason[-4000:],
        )
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return bool(postponed.rowcount == 1)  # type: ignore[attr-defined]


def replay_dead_letters(db: Session, event_ids: list[int] | None = None) -> list[int]:
    """Give dead letters a fresh set of tries, due now; returns the ids put back.

    None replays every dead letter; an empty list replays none.
    """
    chosen = select(InboxEvent.id).where(InboxEvent.status == InboxStatus.DEAD)
    if event_ids is not None:
        chosen = chosen.where(InboxEvent.id.in_(event_ids))
    ids = list(db.scalars(chosen))
    if ids:
        db.execute(
            update(InboxEvent)
            .where(InboxEvent.id.in_(ids), InboxEvent.status == InboxStatus.DEAD)
            .values(
                status=InboxStatus.PENDING,
                attempts=0,
                run_after=utcnow(),
                finished_at=None,
                claimed_by=None,
            )
            .execution_options(synchronize_session=False)
        )
    db.commit()
    return ids


def count_by_status(db: Session) -> dict[str, int]:
    rows = db.execute(select(InboxEvent.status, func.count()).group_by(InboxEvent.status)).all()
    counts = {status.value: 0 for status in InboxStatus}
    counts.update({str(status): int(count) for status, count in rows})
    return counts
