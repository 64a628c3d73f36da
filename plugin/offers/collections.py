"""Which products are in which merchant collection, for pinned offers triggered by a collection.

Platforms do not send collection membership with orders or products, so a job reads it from
the platform (`jobs.py`) and keeps it here; the hot path only looks it up, and asks for a
sync (through `job_requests`) when a collection it needs was never read or is a day old.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from plugin.models import Store
from plugin.offers.tables import CollectionProduct, CollectionSync

SYNC_KIND = "offers.collection_sync"
STALE_AFTER = timedelta(days=1)


def collections_containing(
    db: Session, store: Store, collection_ids: Collection[str], product_ids: Collection[str]
) -> set[str]:
    """The collections among `collection_ids` that hold at least one of `product_ids`."""
    if not collection_ids or not product_ids:
        return set()
    return set(
        db.scalars(
            select(CollectionProduct.platform_collection_id)
            .where(
                CollectionProduct.store_id == store.id,
                CollectionProduct.platform_product_id.in_(sorted(product_ids)),
                CollectionProduct.platform_collection_id.in_(sorted(collection_ids)),
            )
            .distinct()
        )
    )


def collections_to_sync(
    db: Session, store: Store, collection_ids: Collection[str], now: datetime
) -> set[str]:
    """The collections that were never read, or not in the last day."""
    if not collection_ids:
        return set()
    fresh = set(
        db.scalars(
            select(CollectionSync.platform_collection_id).where(
                CollectionSync.store_id == store.id,
                CollectionSync.platform_collection_id.in_(sorted(collection_ids)),
                CollectionSync.synced_at > now - STALE_AFTER,
            )
        )
    )
    return set(collection_ids) - fresh


def sync_event_key(store: Store, collection_id: str, now: datetime) -> str:
    """At most one sync per collection and day, however many pages ask for it."""
    return f"{SYNC_KIND}:{store.id}:{collection_id}:{now:%Y-%m-%d}"


def replace_members(
    db: Session, store: Store, collection_id: str, product_ids: Iterable[str], now: datetime
) -> int:
    """Make the stored membership exactly what the platform answered (the caller commits)."""
    members = sorted(set(product_ids))
    db.execute(
        delete(CollectionProduct).where(
            CollectionProduct.store_id == store.id,
            CollectionProduct.platform_collection_id == collection_id,
        )
    )
    db.add_all(
        CollectionProduct(
            store_id=store.id, platform_collection_id=collection_id, platform_product_id=product_id
        )
        for product_id in members
    )
    sync = db.scalar(
        select(CollectionSync).where(
            CollectionSync.store_id == store.id,
            CollectionSync.platform_collection_id == collection_id,
        )
    )
    if sync is None:
        sync = CollectionSync(store_id=store.id, platform_collection_id=collection_id)
        db.add(sync)
    sync.synced_at = now
    sync.product_count = len(members)
    return len(members)
