"""Jobs for Shopify webhooks: one function per topic, all reached through the inbox."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin import ingest, privacy
from plugin.jobs.registry import job
from plugin.models import InboxEvent, Platform, Store
from plugin.platforms import shopify
from plugin.platforms.base import PayloadError
from plugin.platforms.shopify_fetch import fetch_order

log = logging.getLogger(__name__)

KIND = "shopify.webhook"
COMPLIANCE_TOPICS = {"customers/data_request", "customers/redact", "shop/redact"}

TopicHandler = Callable[[Session, Store, Any, InboxEvent], None]


def _orders(db: Session, store: Store, payload: Any, _event: InboxEvent) -> None:
    outcome = ingest.upsert_order(db, store, shopify.normalize_order(payload))
    log.info("order %s: %s", payload.get("id"), outcome)


def _checkouts(db: Session, store: Store, payload: Any, _event: InboxEvent) -> None:
    ingest.upsert_checkout(db, store, shopify.normalize_checkout(payload))


def _fulfillments(db: Session, store: Store, payload: Any, _event: InboxEvent) -> None:
    records = shopify.normalize_fulfillment(payload)
    if records and ingest.find_order(db, store, records[0].platform_order_id) is None:
        _fetch_missing_order(db, store, records[0].platform_order_id)
    for record in records:
        ingest.upsert_shipment(db, store, record)


def _fetch_missing_order(db: Session, store: Store, platform_order_id: str) -> None:
    """The fulfillment came first: ask Shopify for the order instead of waiting for its webhook.

    Without a token (or if Shopify does not answer) the job fails and is retried with backoff,
    by which time the order webhook has usually arrived.
    """
    if store.credential is None:
        return
    record = fetch_order(db, store, platform_order_id)
    if record is not None:
        ingest.upsert_order(db, store, record)


def _products(db: Session, store: Store, payload: Any, _event: InboxEvent) -> None:
    ingest.upsert_product(db, store, shopify.normalize_product(payload))


def _product_deleted(db: Session, store: Store, payload: Any, event: InboxEvent) -> None:
    if not isinstance(payload, dict):
        raise PayloadError("products/delete payload must be a JSON object")
    deleted_at = shopify.parse_time(event.headers.get("triggered_at"), "X-Shopify-Triggered-At")
    ingest.delete_product(db, store, shopify.platform_id(payload.get("id"), "id"), deleted_at)


def _uninstalled(db: Session, store: Store, _payload: Any, _event: InboxEvent) -> None:
    privacy.revoke_store(db, store)


def _customers_redact(db: Session, store: Store, payload: Any, event: InboxEvent) -> None:
    customer = payload.get("customer") or {}
    privacy.redact_customer(
        db,
        store,
        platform_customer_id=_maybe_id(customer.get("id")),
        platform_order_ids=[str(i) for i in payload.get("orders_to_redact") or []],
        email=customer.get("email"),
    )
    event.body = privacy.REDACTED_BODY  # the request itself names the shopper


def _data_request(db: Session, store: Store, payload: Any, _event: InboxEvent) -> None:
    customer = payload.get("customer") or {}
    request = payload.get("data_request") or {}
    privacy.record_data_request(
        db,
        store,
        platform_customer_id=_maybe_id(customer.get("id")),
        platform_order_ids=[str(i) for i in payload.get("orders_requested") or []],
        platform_request_id=_maybe_id(request.get("id")),
    )


def _shop_redact(db: Session, store: Store, _payload: Any, event: InboxEvent) -> None:
    privacy.redact_shop(db, store, keep_event_id=event.id)


def _maybe_id(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


TOPICS: dict[str, TopicHandler] = {
    "orders/create": _orders,
    "orders/updated": _orders,
    "orders/cancelled": _orders,
    "orders/paid": _orders,
    "orders/fulfilled": _orders,
    "checkouts/create": _checkouts,
    "checkouts/update": _checkouts,
    "fulfillments/create": _fulfillments,
    "fulfillments/update": _fulfillments,
    "products/create": _products,
    "products/update": _products,
    "products/delete": _product_deleted,
    "app/uninstalled": _uninstalled,
    "customers/redact": _customers_redact,
    "customers/data_request": _data_request,
    "shop/redact": _shop_redact,
}


@job(KIND)
def process_shopify_webhook(db: Session, event: InboxEvent) -> None:
    handler = TOPICS.get(event.topic)
    if handler is None:
        log.info("inbox %s: topic %s is not used by Encore; ignored", event.id, event.topic)
        return
    store = db.scalar(
        select(Store).where(Store.platform == Platform.SHOPIFY, Store.domain == event.shop_domain)
    )
    if store is None:
        log.info("inbox %s: %s is not a known shop; ignored", event.id, event.shop_domain)
        return
    if not store.is_installed and event.topic not in COMPLIANCE_TOPICS:
        log.info("inbox %s: %s is uninstalled; %s ignored", event.id, store.domain, event.topic)
        return
    try:
        payload = json.loads(event.body)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"body is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise PayloadError("body must be a JSON object")
    handler(db, store, payload, event)
