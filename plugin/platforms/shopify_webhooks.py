"""Per-shop webhook subscriptions through Admin GraphQL: create only what is missing.

Compliance topics are app-wide and declared in shopify.app.toml; everything Encore works from
is subscribed per shop here, so a self-hosted install needs no `shopify app deploy` to work.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models import Platform, Store, StoreStatus, WebhookSubscription, utcnow
from plugin.platforms.shopify_admin import (
    ShopifyAdminClient,
    admin_client_for,
    raise_user_errors,
)

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/shopify"
WEBHOOK_TOPICS: tuple[str, ...] = (
    "ORDERS_CREATE",
    "ORDERS_UPDATED",
    "ORDERS_CANCELLED",
    "CHECKOUTS_CREATE",
    "CHECKOUTS_UPDATE",
    "FULFILLMENTS_CREATE",
    "FULFILLMENTS_UPDATE",
    "PRODUCTS_CREATE",
    "PRODUCTS_UPDATE",
    "PRODUCTS_DELETE",
    "APP_UNINSTALLED",
)

LIST_SUBSCRIPTIONS = """
query EncoreWebhookSubscriptions($after: String) {
  webhookSubscriptions(first: 100, after: $after) {
    nodes { id topic uri }
    pageInfo { hasNextPage endCursor }
  }
}
"""

CREATE_SUBSCRIPTION = """
mutation EncoreWebhookSubscriptionCreate(
  $topic: WebhookSubscriptionTopic!
  $webhookSubscription: WebhookSubscriptionInput!
) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}
"""

# Pagination guard: a shop with more pages than this is misconfigured, not worth looping on.
MAX_PAGES = 20


def webhook_uri(app_url: str | None = None) -> str:
    base = app_url if app_url is not None else current_app.config["APP_URL"]
    return base.rstrip("/") + WEBHOOK_PATH


def list_subscriptions(client: ShopifyAdminClient) -> list[dict[str, Any]]:
    """Every webhook subscription this app has on the shop (`id`, `topic`, `uri`)."""
    nodes: list[dict[str, Any]] = []
    after: str | None = None
    for _page in range(MAX_PAGES):
        data = client.execute(LIST_SUBSCRIPTIONS, {"after": after})
        connection = data.get("webhookSubscriptions") or {}
        nodes.extend(n for n in connection.get("nodes") or [] if isinstance(n, dict))
        page_info = connection.get("pageInfo") or {}
        after = page_info.get("endCursor")
        if not page_info.get("hasNextPage") or not after:
            break
    return nodes


def register_webhooks(
    db: Session, store: Store, client: ShopifyAdminClient, app_url: str | None = None
) -> list[str]:
    """Subscribe the shop to every topic not yet sent to us; return the topics created.

    Each topic ends up recorded once in WebhookSubscription. The caller commits.
    """
    uri = webhook_uri(app_url)
    existing = {
        node.get("topic"): node
        for node in list_subscriptions(client)
        if _same_uri(node.get("uri"), uri)
    }
    created: list[str] = []
    for topic in WEBHOOK_TOPICS:
        node = existing.get(topic)
        if node is None:
            data = client.execute(
                CREATE_SUBSCRIPTION, {"topic": topic, "webhookSubscription": {"uri": uri}}
            )
            result = data.get("webhookSubscriptionCreate") or {}
            raise_user_errors(result, f"the {topic} webhook subscription for {store.domain}")
            node = result.get("webhookSubscription") or {}
            created.append(topic)
        _record(db, store, topic, node.get("id"), uri)
    db.flush()
    if created:
        log.info("%s: created webhook subscriptions %s", store.domain, ", ".join(created))
    return created


def _same_uri(found: Any, wanted: str) -> bool:
    return isinstance(found, str) and found.rstrip("/") == wanted.rstrip("/")


def _record(db: Session, store: Store, topic: str, platform_id: Any, uri: str) -> None:
    row = db.scalar(
        select(WebhookSubscription).where(
            WebhookSubscription.store_id == store.id, WebhookSubscription.topic == topic
        )
    )
    if row is None:
        row = WebhookSubscription(store_id=store.id, topic=topic, uri=uri)
        db.add(row)
    row.uri = uri
    row.platform_subscription_id = str(platform_id) if platform_id else row.platform_subscription_id
    row.status = "active"
    row.checked_at = utcnow()


def sync_all_shops() -> Iterator[str]:
    """Re-check every installed Shopify shop; one line per shop, errors included, never a crash."""
    from plugin.db import session

    db = session()
    shops = db.scalars(
        select(Store)
        .where(Store.platform == Platform.SHOPIFY, Store.status == StoreStatus.INSTALLED)
        .order_by(Store.domain)
    ).all()
    if not shops:
        yield "No installed Shopify shops."
        return
    for store in shops:
        domain = store.domain
        try:
            created = register_webhooks(db, store, admin_client_for(db, store))
            db.commit()
        except Exception as exc:  # one shop's trouble must not stop the others
            db.rollback()
            log.warning("%s: webhook sync failed: %s", domain, exc)
            yield f"{domain}: error: {exc}"
            continue
        yield f"{domain}: {len(WEBHOOK_TOPICS)} topics, created {len(created)}"
