"""Data retention: erase shoppers' personal data from old orders, delete old webhook bodies.

Each step finds rows that are past their retention and still hold something to erase, takes
them in bounded batches and commits per batch, so a crash loses at most one batch and a rerun
continues. The erasing itself is plugin.privacy's (the same code customers/redact runs).

- Orders placed more than RETENTION_PERSONAL_DATA_DAYS ago lose the shopper's email, the
  addresses their shipping messages went to, feedback comments and the shopper id on offers
  shown with them; amounts, products, parcels and ratings stay for the merchant's figures.
- Shoppers with no order since then (and no update) lose their contact details, names and
  learned habits. They are not marked redacted: a returning shopper is welcome again.
- Checkouts, offers shown and test messages older than that lose their email or shopper id.
- Finished inbox rows (webhook bodies full of addresses) go after RETENTION_INBOX_DAYS;
  dead letters after RETENTION_DEAD_LETTER_DAYS, so an operator has time to replay them.
  Pending and running rows are never touched.
- Admin login attempts (kept for the login rate limit) go after RETENTION_LOGIN_ATTEMPTS_DAYS,
  and never before the rate limit's window (ADMIN_LOGIN_WINDOW_SECONDS) has passed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, delete, func, not_, or_, select, update
from sqlalchemy.orm import Session

from plugin.admin.tables import AdminLoginAttempt
from plugin.jobs.periodic import periodic
from plugin.models import Checkout, Customer, Impression, InboxEvent, InboxStatus, Order, Store
from plugin.offers.tables import OfferExposure
from plugin.privacy import erase_customer_details, erase_order_contacts, order_holds_contacts
from plugin.tracking.tables import Notification

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
# Never more batches than this per step and run: a runaway step cannot hold the worker.
MAX_BATCHES = 10_000


@dataclass(frozen=True)
class Step:
    """One kind of cleanup: which rows are due (ids), and what to do with a batch of them."""

    name: str
    due: Select[Any]  # selects the ids (first column) of rows past retention
    apply: Callable[[Session, Sequence[Any]], int]


@dataclass
class StepResult:
    name: str
    rows: int  # rows due (dry run) or handled


def retention_steps(config: Mapping[str, Any], now: datetime) -> list[Step]:
    """The steps the configuration turns on (a retention of 0 days keeps that data forever)."""
    steps: list[Step] = []
    personal_days = int(config.get("RETENTION_PERSONAL_DATA_DAYS") or 0)
    if personal_days > 0:
        steps.extend(_personal_data_steps(now - timedelta(days=personal_days)))
    inbox_days = int(config.get("RETENTION_INBOX_DAYS") or 0)
    if inbox_days > 0:
        steps.append(_inbox_step("finished webhook bodies", InboxStatus.DONE, now, inbox_days))
    dead_days = int(config.get("RETENTION_DEAD_LETTER_DAYS") or 0)
    if dead_days > 0:
        steps.append(_inbox_step("dead letters", InboxStatus.DEAD, now, dead_days))
    login_days = int(config.get("RETENTION_LOGIN_ATTEMPTS_DAYS") or 0)
    if login_days > 0:
        window = float(config.get("ADMIN_LOGIN_WINDOW_SECONDS") or 0)
        steps.append(_login_attempts_step(now, login_days, window))
    return steps


def plan_retention(db: Session, config: Mapping[str, Any], now: datetime) -> list[StepResult]:
    """How many rows each step would handle now (changes nothing)."""
    results = []
    for step in retention_steps(config, now):
        due = db.scalar(select(func.count()).select_from(step.due.subquery()))
        results.append(StepResult(step.name, int(due or 0)))
    return results


def run_retention(
    db: Session,
    config: Mapping[str, Any],
    now: datetime,
    progress: Progress | None = None,
) -> list[StepResult]:
    """Apply every step in batches of RETENTION_BATCH_SIZE rows, committing each batch."""
    batch_size = max(int(config.get("RETENTION_BATCH_SIZE") or 500), 1)
    results = []
    for step in retention_steps(config, now):
        handled = 0
        previous: Sequence[Any] = ()
        for _ in range(MAX_BATCHES):
            ids = db.execute(step.due.limit(batch_size)).scalars().all()
            if not ids:
                break
            if ids == previous:  # the last batch changed nothing: never loop on it
                log.warning("retention: %s: rows %s stay due; stopping this step", step.name, ids)
                break
            previous = ids
            step.apply(db, ids)
            db.commit()
            handled += len(ids)
            if progress is not None:
                progress(f"{step.name}: {handled} done")
        results.append(StepResult(step.name, handled))
    return results


@periodic("privacy.retention", "RETENTION_INTERVAL_SECONDS")
def retention_task(db: Session, now: datetime) -> None:
    """The daily retention run (embedded worker or Celery beat)."""
    from flask import current_app

    for result in run_retention(db, current_app.config, now):
        if result.rows:
            log.info("retention: %s: %d", result.name, result.rows)


def _personal_data_steps(cutoff: datetime) -> list[Step]:
    recent_order = (
        select(Order.id).where(Order.customer_id == Customer.id, Order.placed_at >= cutoff).exists()
    )
    any_order = select(Order.id).where(Order.customer_id == Customer.id).exists()
    return [
        Step(
            "orders' personal data",
            select(Order.id)
            .where(Order.placed_at < cutoff, order_holds_contacts())
            .order_by(Order.id),
            _erase_orders,
        ),
        Step(
            "shoppers' details",
            select(Customer.id)
            .where(
                or_(
                    Customer.email.is_not(None),
                    Customer.phone.is_not(None),
                    Customer.first_name.is_not(None),
                    Customer.last_name.is_not(None),
                ),
                not_(recent_order),
                or_(
                    Customer.platform_updated_at < cutoff,
                    and_(Customer.platform_updated_at.is_(None), any_order),
                ),
            )
            .order_by(Customer.id),
            _erase_customers,
        ),
        Step(
            "checkouts' emails",
            select(Checkout.id)
            .where(
                Checkout.email.is_not(None),
                or_(Checkout.platform_updated_at < cutoff, Checkout.completed_at < cutoff),
            )
            .order_by(Checkout.id),
            _blank(Checkout, email=None),
        ),
        Step(
            "shopper ids on offers shown",
            select(Impression.id)
            .where(Impression.created_at < cutoff, Impression.platform_customer_id.is_not(None))
            .order_by(Impression.id),
            _blank(Impression, platform_customer_id=None),
        ),
        Step(
            "shopper ids on offer exposures",
            select(OfferExposure.id)
            .where(OfferExposure.shown_at < cutoff, OfferExposure.platform_customer_id.is_not(None))
            .order_by(OfferExposure.id),
            _blank(OfferExposure, platform_customer_id=None),
        ),
        Step(
            "test messages' recipients",
            select(Notification.id)
            .where(
                Notification.order_id.is_(None),
                Notification.created_at < cutoff,
                Notification.recipient.is_not(None),
            )
            .order_by(Notification.id),
            _blank(Notification, recipient=None),
        ),
    ]


def _inbox_step(name: str, status: InboxStatus, now: datetime, days: int) -> Step:
    cutoff = now - timedelta(days=days)
    return Step(
        name,
        select(InboxEvent.id)
        .where(InboxEvent.status == status, InboxEvent.finished_at < cutoff)
        .order_by(InboxEvent.id),
        _delete_inbox_rows(status),
    )


def _login_attempts_step(now: datetime, days: int, window_seconds: float) -> Step:
    # The rate limit counts attempts within its window: never delete one it still counts.
    cutoff = now - max(timedelta(days=days), timedelta(seconds=window_seconds))
    return Step(
        "admin login attempts",
        select(AdminLoginAttempt.id)
        .where(AdminLoginAttempt.at < cutoff)
        .order_by(AdminLoginAttempt.id),
        _delete_login_attempts,
    )


def _erase_orders(db: Session, ids: Sequence[int]) -> int:
    by_store: dict[int, list[int]] = defaultdict(list)
    for order_id, store_id in db.execute(select(Order.id, Order.store_id).where(Order.id.in_(ids))):
        by_store[store_id].append(order_id)
    changed = 0
    for store_id, order_ids in by_store.items():
        store = db.get(Store, store_id)
        if store is not None:
            changed += erase_order_contacts(db, store, order_ids)
    return changed


def _erase_customers(db: Session, ids: Sequence[int]) -> int:
    changed = 0
    for customer in db.scalars(select(Customer).where(Customer.id.in_(ids))):
        changed += erase_customer_details(db, customer)
    db.flush()
    return changed


def _blank(model: Any, **values: Any) -> Callable[[Session, Sequence[int]], int]:
    def apply(db: Session, ids: Sequence[int]) -> int:
        result = db.execute(
            update(model)
            .where(model.id.in_(list(ids)))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    return apply


def _delete_inbox_rows(status: InboxStatus) -> Callable[[Session, Sequence[int]], int]:
    def apply(db: Session, ids: Sequence[int]) -> int:
        # The status check again: a dead letter replayed meanwhile is pending, and stays.
        result = db.execute(
            delete(InboxEvent)
            .where(InboxEvent.id.in_(list(ids)), InboxEvent.status == status)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    return apply


def _delete_login_attempts(db: Session, ids: Sequence[int]) -> int:
    result = db.execute(
        delete(AdminLoginAttempt)
        .where(AdminLoginAttempt.id.in_(list(ids)))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
