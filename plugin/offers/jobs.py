"""Jobs of the offers engine: create a discount code, read a collection's members.

Both are queued by the storefront (`job_requests`) when a page needed something that did not
exist yet, and run by the worker, so platform calls never happen while a shopper waits.
A platform that refuses for good (a missing scope, an invalid code) dead-letters the row at
once; a platform that is down is retried with backoff like any job.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from plugin.auth.shopify_oauth import ShopifyAuthError
from plugin.jobs.registry import job
from plugin.models import InboxEvent, Store, utcnow
from plugin.offers.collections import SYNC_KIND, replace_members
from plugin.offers.discount_codes import CODE_KIND, DEFAULT_LIFETIME_DAYS, issue_code
from plugin.offers.settings import MAX_DISCOUNT_PERCENT, whole_number
from plugin.platforms.base import PayloadError
from plugin.platforms.collection_members import collection_product_ids
from plugin.platforms.shopify_admin import ShopifyApiError
from plugin.platforms.woocommerce import WooCommerceApiError

log = logging.getLogger(__name__)

# Error codes that no retry will fix: invalid input, missing scope, revoked or missing keys.
PERMANENT_SHOPIFY_CODES = {"user", "ACCESS_DENIED", "unauthorized"}
PERMANENT_WOOCOMMERCE_CODES = {"unauthorized", "disconnected", "no_keys"}


@job(CODE_KIND)
def create_discount_code(db: Session, event: InboxEvent) -> None:
    """Make sure the store has a valid code for the percent (reusing one when it has)."""
    body = _body(event)
    store = _store(db, event)
    percent = whole_number(body.get("percent"))
    if percent is None or not 0 < percent <= MAX_DISCOUNT_PERCENT:
        raise PayloadError(f"inbox {event.id}: percent must be 1-90, got {body.get('percent')!r}")
    lifetime = int(current_app.config.get("OFFERS_DISCOUNT_CODE_DAYS", DEFAULT_LIFETIME_DAYS))
    with _permanent_when_refused(store):
        code = issue_code(db, store, percent, utcnow(), lifetime)
    log.info("discount code for %s at %s%%: valid until %s", store.domain, percent, code.ends_at)


@job(SYNC_KIND)
def sync_collection(db: Session, event: InboxEvent) -> None:
    """Read a collection's products from the platform and keep them for pin triggers."""
    body = _body(event)
    store = _store(db, event)
    collection_id = body.get("collection_id")
    if not isinstance(collection_id, str) or not collection_id:
        raise PayloadError(f"inbox {event.id}: collection_id is missing")
    with _permanent_when_refused(store):
        members = collection_product_ids(db, store, collection_id)
    count = replace_members(db, store, collection_id, members, utcnow())
    log.info("collection %s of %s: %d products", collection_id, store.domain, count)


def _body(event: InboxEvent) -> dict[str, Any]:
    try:
        body = json.loads(event.body)
    except json.JSONDecodeError as exc:
        raise PayloadError(f"inbox {event.id}: body is not JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise PayloadError(f"inbox {event.id}: body must be a JSON object")
    return body


def _store(db: Session, event: InboxEvent) -> Store:
    store = db.get(Store, event.store_id) if event.store_id is not None else None
    if store is None or not store.is_installed:
        raise PayloadError(f"inbox {event.id}: its store is gone or uninstalled")
    return store


@contextmanager
def _permanent_when_refused(store: Store) -> Iterator[None]:
    """Turn a refusal no retry can fix into a dead letter with the platform's own words."""
    try:
        yield
    except ShopifyAuthError as exc:
        raise PayloadError(f"{store.domain}: {exc}") from exc
    except ShopifyApiError as exc:
        if exc.code in PERMANENT_SHOPIFY_CODES:
            raise PayloadError(f"{store.domain}: {exc}") from exc
        raise
    except WooCommerceApiError as exc:
        refused = exc.status is not None and 400 <= exc.status < 500 and exc.status != 429
        if refused or exc.code in PERMANENT_WOOCOMMERCE_CODES:
            raise PayloadError(f"{store.domain}: {exc}") from exc
        raise
