"""Jobs for the demo store: demo `orders/create` events go through the same pipeline as webhooks."""

from __future__ import annotations

import json
import logging

from sqlalchemy.orm import Session

from plugin import ingest
from plugin.demo.store import DEMO_ORDER_KIND
from plugin.jobs.registry import job
from plugin.models import InboxEvent, Platform, Store
from plugin.platforms import demo
from plugin.platforms.base import PayloadError

log = logging.getLogger(__name__)


@job(DEMO_ORDER_KIND)
def ingest_demo_order(db: Session, event: InboxEvent) -> None:
    """Write the order an event carries into the demo store it was sent for."""
    store = db.get(Store, event.store_id) if event.store_id is not None else None
    if store is None or store.platform != Platform.DEMO:
        # The demo store was removed (reset) after this event was queued: nothing to write into.
        raise PayloadError(f"inbox {event.id}: its demo store no longer exists")
    try:
        payload = json.loads(event.body)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"body is not JSON: {exc}") from exc
    outcome = ingest.upsert_order(db, store, demo.normalize_order(payload))
    log.info("demo order %s: %s", payload.get("id"), outcome)
