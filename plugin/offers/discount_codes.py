"""Real discount codes for offers: one per (store, percent), reused while valid.

The hot path only reads (`usable_codes`): a missing or ageing code is reported to the caller,
which queues its creation; the job (`jobs.py`) calls the platform through `issue_code`.
Until the code exists the offer is shown without one, never with a made-up code.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Platform, Store
from plugin.offers.tables import DiscountCode
from plugin.platforms import discount_issuers

CODE_KIND = "offers.discount_code"
DEFAULT_LIFETIME_DAYS = 30
# A shopper gets a code with at least a day left; the next code is made three days ahead,
# so a store always has one to show while its successor is being created.
SHOW_MARGIN = timedelta(days=1)
RENEW_MARGIN = timedelta(days=3)
FORGET_AFTER = timedelta(days=90)
# Unambiguous capitals and digits: a shopper may type the code by hand.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def latest_codes(
    db: Session, store: Store, percents: Collection[int], now: datetime
) -> dict[int, DiscountCode]:
    """Each percent's newest code (the one ending last), usable or not (one indexed read).

    Codes that ended long ago are not read: a store makes about one per month and percent.
    """
    wanted = sorted({p for p in percents if p > 0})
    if not wanted:
        return {}
    codes = db.scalars(
        select(DiscountCode)
        .where(
            DiscountCode.store_id == store.id,
            DiscountCode.percent.in_(wanted),
            DiscountCode.ends_at > now - FORGET_AFTER,
        )
        .order_by(DiscountCode.ends_at, DiscountCode.id)
    )
    return {code.percent: code for code in codes}  # later rows (longer validity) win


def is_usable(code: DiscountCode | None, now: datetime) -> bool:
    """Started, and with at least `SHOW_MARGIN` left for the shopper to use it."""
    return code is not None and code.starts_at <= now and code.ends_at > now + SHOW_MARGIN


def usable_codes(
    db: Session, store: Store, percents: Collection[int], now: datetime
) -> dict[int, DiscountCode]:
    """The code to show for each percent, when there is one."""
    return {
        percent: code
        for percent, code in latest_codes(db, store, percents, now).items()
        if is_usable(code, now)
    }


def needs_new_code(code: DiscountCode | None, now: datetime) -> bool:
    """No code yet, or the newest one ends within `RENEW_MARGIN` (or already ended)."""
    return code is None or code.ends_at <= now + RENEW_MARGIN


def code_event_key(store: Store, percent: int, now: datetime, replacing: int | None) -> str:
    """One creation per (store, percent, code it replaces) and day.

    Every page that finds the code missing asks with the same key, so one job runs; a failing
    platform is asked again the next day, not on every page view.
    """
    return f"{CODE_KIND}:{store.id}:{percent}:{replacing or 'first'}:{now:%Y-%m-%d}"


def new_code_text(percent: int) -> str:
    """`ENCORE10-7KQ2M9XZ`: says what it gives, and cannot be guessed from another code."""
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"ENCORE{percent}-{suffix}"


def issue_code(
    db: Session, store: Store, percent: int, now: datetime, lifetime_days: int
) -> DiscountCode:
    """Create a code on the store's platform and remember it (the caller commits).

    Reuse wins: when a code that is not due for renewal exists (another job was faster, or
    this is a retry after the platform call succeeded), it is returned and nothing is created.
    """
    current = latest_codes(db, store, [percent], now).get(percent)
    if current is not None and is_usable(current, now) and not needs_new_code(current, now):
        return current
    code = new_code_text(percent)
    ends_at = now + timedelta(days=max(2, lifetime_days))
    if store.platform == Platform.SHOPIFY:
        platform_id: str | None = discount_issuers.create_shopify_code(
            db, store, code=code, percent=percent, starts_at=now, ends_at=ends_at
        )
    elif store.platform == Platform.WOOCOMMERCE:
        platform_id = discount_issuers.create_woocommerce_coupon(
            db, store, code=code, percent=percent, ends_at=ends_at
        )
    else:
        platform_id = None  # the demo store has no platform: its codes exist in Encore only
    issued = DiscountCode(
        store_id=store.id,
        code=code,
        percent=percent,
        platform_discount_id=platform_id,
        starts_at=now,
        ends_at=ends_at,
        created_at=now,
    )
    db.add(issued)
    return issued
