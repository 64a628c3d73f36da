"""Login rate limit: a few wrong passwords per email and per client address, then a pause.

Attempts are rows in the database (not process memory), so every web worker sees the same
count and a restart does not reset it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from plugin.admin.tables import AdminLoginAttempt
from plugin.models import utcnow

RETENTION = timedelta(days=1)


def failures_since(db: Session, since: datetime, *, email: str, client: str) -> tuple[int, int]:
    """(failed attempts for this email, failed attempts from this client) since `since`."""
    by_email = db.scalar(
        select(func.count())
        .select_from(AdminLoginAttempt)
        .where(
            AdminLoginAttempt.email == email,
            AdminLoginAttempt.succeeded.is_(False),
            AdminLoginAttempt.at >= since,
        )
    )
    by_client = db.scalar(
        select(func.count())
        .select_from(AdminLoginAttempt)
        .where(
            AdminLoginAttempt.client_address == client,
            AdminLoginAttempt.succeeded.is_(False),
            AdminLoginAttempt.at >= since,
        )
    )
    return int(by_email or 0), int(by_client or 0)


def is_locked_out(db: Session, *, email: str, client: str, limit: int, window: timedelta) -> bool:
    """True once either count reached the limit within the window."""
    by_email, by_client = failures_since(db, utcnow() - window, email=email, client=client)
    # A shared office address gets a little more room than one account.
    return by_email >= limit or by_client >= limit * 4


def record_attempt(
    db: Session, *, email: str, client: str, succeeded: bool, window: timedelta = RETENTION
) -> None:
    """Keep this attempt and forget the ones too old to matter (the caller commits).

    Attempts inside the lockout `window` always matter, however long it is configured.
    """
    keep = max(RETENTION, window)
    db.execute(delete(AdminLoginAttempt).where(AdminLoginAttempt.at < utcnow() - keep))
    db.add(AdminLoginAttempt(email=email[:320], client_address=client[:64], succeeded=succeeded))


def forget_failures(db: Session, email: str) -> None:
    """A correct password clears this account's count (not the client's)."""
    db.execute(
        delete(AdminLoginAttempt).where(
            AdminLoginAttempt.email == email, AdminLoginAttempt.succeeded.is_(False)
        )
    )
