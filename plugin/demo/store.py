"""Which store is the demo store: one fixed identity, found the same way by loader and pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Platform, Store

DEMO_DOMAIN = "demo-grocer.myshopify.com"
DEMO_NAME = "Fresh Fields Grocer"
DEMO_CURRENCY = "USD"
DEMO_ORDER_KIND = "demo.order"  # inbox rows the demo sends through the job pipeline


def find_demo_store(db: Session) -> Store | None:
    return db.scalar(
        select(Store).where(Store.platform == Platform.DEMO, Store.domain == DEMO_DOMAIN)
    )


def is_ready(store: Store) -> bool:
    """A demo store is ready once its load finished; `installed_at` is set as the last step."""
    return store.installed_at is not None
