"""Jobs for WooCommerce: webhook deliveries, finishing a connect, import pages, health checks.

All of them are inbox rows, so they survive a crash and retry with backoff like any webhook.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from plugin.jobs.registry import job
from plugin.models import InboxEvent, Platform, Store
from plugin.platforms.base import PayloadError
from plugin.platforms.woocommerce import WooCommerceClient, client_for
from plugin.platforms.woocommerce_health import HEALTH_KIND, check_store, schedule_next_check
from plugin.platforms.woocommerce_import import start_import
from plugin.platforms.woocommerce_runs import SYNC_KIND, advance
from plugin.platforms.woocommerce_webhooks import ensure_webhooks
from plugin.platforms.woocommerce_writes import (
    order_deleted,
    product_deleted,
    save_order,
    save_product,
)

log = logging.getLogger(__name__)

WEBHOOK_KIND = "woocommerce.webhook"
CONNECT_KIND = "woocommerce.connect"


def _store(db: Session, event: InboxEvent) -> Store | None:
    store = db.get(Store, event.store_id) if event.store_id is not None else None
    if store is None or store.platform != Platform.WOOCOMMERCE or not store.is_installed:
        log.info("inbox %s: store %s is gone or disconnected; ignored", event.id, event.store_id)
        return None
    return store


def _json_object(body: str) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"body is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise PayloadError("body must be a JSON object")
    return payload


class _StoreReader:
    """Reads products from the store only when a payload needs more than it carries."""

    def __init__(self, db: Session, store: Store) -> None:
        self.db, self.store = db, store
        self._client: WooCommerceClient | None = None

    @property
    def client(self) -> WooCommerceClient:
        if self._client is None:
            self._client = client_for(self.db, self.store)
        return self._client

    def variations(self, product_id: str) -> list[dict[str, Any]]:
        return list(self.client.iterate(f"products/{product_id}/variations"))

    def product(self, product_id: str) -> Any:
        return self.client.get(f"products/{product_id}")


TopicHandler = Callable[[Session, Store, dict[str, Any], InboxEvent], None]


def _order_saved(db: Session, store: Store, payload: dict[str, Any], event: InboxEvent) -> None:
    outcome = save_order(db, store, payload)
    if outcome is None:
        log.info("inbox %s: order %s is a checkout draft; ignored", event.id, payload.get("id"))


def _order_deleted(db: Session, store: Store, payload: dict[str, Any], event: InboxEvent) -> None:
    order_deleted(db, store, payload, event.received_at)


def _product_saved(db: Session, store: Store, payload: dict[str, Any], _event: InboxEvent) -> None:
    reader = _StoreReader(db, store)
    save_product(db, store, payload, reader.variations, reader.product)


def _product_deleted(db: Session, store: Store, payload: dict[str, Any], event: InboxEvent) -> None:
    reader = _StoreReader(db, store)
    product_deleted(db, store, payload, event.received_at, reader.variations, reader.product)


TOPICS: dict[str, TopicHandler] = {
    "order.created": _order_saved,
    "order.updated": _order_saved,
    "order.deleted": _order_deleted,
    "product.created": _product_saved,
    "product.updated": _product_saved,
    "product.deleted": _product_deleted,
}


@job(WEBHOOK_KIND)
def process_woocommerce_webhook(db: Session, event: InboxEvent) -> None:
    handler = TOPICS.get(event.topic)
    if handler is None:
        log.info("inbox %s: topic %s is not used by Encore; ignored", event.id, event.topic)
        return
    store = _store(db, event)
    if store is not None:
        handler(db, store, _json_object(event.body), event)


@job(CONNECT_KIND)
def finish_woocommerce_connect(db: Session, event: InboxEvent) -> None:
    """After the callback answered: webhooks first (so nothing new is missed), then the
    import, then the first health check."""
    store = _store(db, event)
    if store is None:
        return
    ensure_webhooks(db, store, client_for(db, store))
    start_import(db, store)
    schedule_next_check(db, store)


@job(SYNC_KIND)
def run_woocommerce_sync_page(db: Session, event: InboxEvent) -> None:
    store = _store(db, event)
    if store is None:
        return
    body = _json_object(event.body)
    try:
        run_id, step, page = int(body["run_id"]), str(body["step"]), int(body["page"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PayloadError(f"sync job body is malformed: {exc}") from exc
    advance(db, store, run_id, step, page, lambda: client_for(db, store))


@job(HEALTH_KIND)
def run_woocommerce_health_check(db: Session, event: InboxEvent) -> None:
    store = _store(db, event)
    if store is None:
        return  # a disconnected store's chain of checks ends here
    schedule_next_check(db, store, running=event)
    log.info("store %s health: %s", store.id, check_store(db, store, client_for(db, store)))
