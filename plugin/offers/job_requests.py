"""Asking for background work from the storefront hot path, without making the shopper wait.

The request is an inbox row (the same queue webhooks use) written through a short session of
its own, so the request's session keeps its objects and never rolls back; the event key makes
a second ask for the same work a no-op. The worker does the slow part (a platform call) later.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from plugin.jobs.dispatch import hand_to_broker
from plugin.jobs.queue import enqueue
from plugin.models import InboxEvent, Store
from plugin.offers.collections import SYNC_KIND, sync_event_key
from plugin.offers.discount_codes import CODE_KIND, code_event_key

log = logging.getLogger(__name__)


def request_job(db: Session, store: Store, kind: str, event_key: str, body: dict[str, Any]) -> bool:
    """Queue `kind` for `store` once per `event_key`; True when this call queued it.

    Never raises: a page that cannot queue work still shows its offers (without a code).
    """
    try:
        with Session(bind=db.get_bind(), expire_on_commit=False) as own:
            if own.scalar(select(InboxEvent.id).where(InboxEvent.event_key == event_key)):
                return False
            queued = enqueue(
                own,
                kind=kind,
                topic=kind,
                event_key=event_key,
                body=json.dumps(body, sort_keys=True),
                store_id=store.id,
                shop_domain=store.domain,
            )
    except SQLAlchemyError:
        log.exception("could not queue %s for %s; the next showing asks again", kind, store.domain)
        return False
    if queued is None:
        return False
    hand_to_broker([queued.id])
    return True


@dataclass
class Wanted:
    """Work a showing found missing: discount codes and collections to read.

    `discount_codes` maps a percent to the id of the code its new code replaces (None: the
    store has none yet), so each code gets exactly one successor.
    """

    discount_codes: dict[int, int | None] = field(default_factory=dict)
    collection_ids: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.discount_codes or self.collection_ids)


def request_wanted(db: Session, store: Store, wanted: Wanted, now: datetime) -> int:
    """Queue everything in `wanted` (each at most once a day); returns how many were queued."""
    queued = 0
    for percent, replacing in sorted(wanted.discount_codes.items()):
        key = code_event_key(store, percent, now, replacing)
        queued += request_job(db, store, CODE_KIND, key, {"percent": percent})
    for collection_id in sorted(wanted.collection_ids):
        queued += request_job(
            db,
            store,
            SYNC_KIND,
            sync_event_key(store, collection_id, now),
            {"collection_id": collection_id},
        )
    return queued
