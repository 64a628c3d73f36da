"""Which store a storefront request is for; uninstalled and unknown stores look the same (404)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.errors import ApiError
from plugin.models import Platform, Store, StoreStatus

NOT_FOUND_MESSAGE = "Encore is not installed on this store."


def installed_store(db: Session, platform: Platform, domain: str) -> Store:
    store = db.scalar(
        select(Store).where(
            Store.platform == platform,
            Store.domain == domain,
            Store.status == StoreStatus.INSTALLED,
        )
    )
    if store is None:
        raise ApiError(404, "store_not_found", NOT_FOUND_MESSAGE)
    return store


def installed_store_by_id(db: Session, store_id: int) -> Store | None:
    return db.scalar(
        select(Store).where(Store.id == store_id, Store.status == StoreStatus.INSTALLED)
    )


def installed_store_by_public_id(db: Session, public_id: str) -> Store | None:
    return db.scalar(
        select(Store).where(Store.public_id == public_id, Store.status == StoreStatus.INSTALLED)
    )
