"""The store's webhooks to Encore: created once with a secret each, repaired when they break.

WooCommerce never retries a delivery and disables a webhook after about five failures in a
row, so Encore lists its webhooks on every health check: a disabled one is switched back on, a
missing one is created again (with a new secret), and strays that point at this store's
delivery path but are not the ones Encore knows the secret of are deleted, because their
deliveries could never be verified.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.crypto import seal
from plugin.models import Store, WebhookSubscription, utcnow
from plugin.platforms.woocommerce_client import WooCommerceApiError, WooCommerceClient

log = logging.getLogger(__name__)

TOPICS: tuple[str, ...] = (
    "order.created",
    "order.updated",
    "order.deleted",
    "product.created",
    "product.updated",
    "product.deleted",
)
WEBHOOK_PATH = "/webhooks/woocommerce/"
MISSING = "missing"


@dataclass
class WebhookRepair:
    """What one check found and did."""

    created: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    paused: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{label} {', '.join(topics)}"
            for label, topics in (
                ("created", self.created),
                ("re-activated", self.reactivated),
                ("removed strays", self.removed),
                ("paused by the merchant", self.paused),
            )
            if topics
        ]
        return "; ".join(parts) or "all webhooks active"


def delivery_url(store: Store, app_url: str | None = None) -> str:
    base = app_url if app_url is not None else current_app.config["APP_URL"]
    return f"{base.rstrip('/')}{WEBHOOK_PATH}{store.public_id}"


def _points_at_store(hook: dict[str, Any], store: Store) -> bool:
    """Any Encore address for this store, also an old APP_URL: the path names the store."""
    url = str(hook.get("delivery_url") or "").rstrip("/")
    return url.endswith(f"{WEBHOOK_PATH}{store.public_id}")


def _is_usable(hook: dict[str, Any], row: WebhookSubscription, url: str) -> bool:
    """The store's webhook is the one on record: same topic, current address, secret known."""
    return (
        hook.get("topic") == row.topic
        and bool(row.secret_sealed)
        and str(hook.get("delivery_url") or "").rstrip("/") == url
    )


def subscriptions(db: Session, store: Store) -> dict[str, WebhookSubscription]:
    rows = db.scalars(select(WebhookSubscription).where(WebhookSubscription.store_id == store.id))
    return {row.topic: row for row in rows}


def ensure_webhooks(db: Session, store: Store, client: WooCommerceClient) -> WebhookRepair:
    """Make the store's webhooks match TOPICS. Commits after each change on the store, so a
    secret is on record before the first delivery signed with it can arrive."""
    url = delivery_url(store)
    ours = [
        hook
        for hook in client.iterate("webhooks", {"status": "all"})
        if _points_at_store(hook, store)
    ]
    by_id = {str(hook.get("id")): hook for hook in ours}
    rows = subscriptions(db, store)
    repair = WebhookRepair()
    kept: set[str] = set()
    now = utcnow()

    # First write down what the store says, so the health page is true even if a repair fails.
    found: dict[str, dict[str, Any]] = {}
    for topic, row in rows.items():
        hook = by_id.get(row.platform_subscription_id or "")
        if hook is not None and _is_usable(hook, row, url):
            found[topic] = hook
        row.status = str(found[topic].get("status") or MISSING) if topic in found else MISSING
        row.checked_at = now
    db.commit()

    for topic in TOPICS:
        hook = found.get(topic)
        if hook is None:
            hook = _create(db, store, client, topic, url)
            repair.created.append(topic)
        elif hook.get("status") == "disabled":
            hook = client.put(f"webhooks/{hook['id']}", {"status": "active"})
            rows[topic].status = str(hook.get("status") or "active")
            db.commit()
            repair.reactivated.append(topic)
        elif hook.get("status") == "paused":
            repair.paused.append(topic)  # the merchant's choice: reported, not overridden
        kept.add(str(hook.get("id")))

    for hook_id, hook in by_id.items():
        if hook_id not in kept:
            client.delete(f"webhooks/{hook_id}", {"force": "true"})
            repair.removed.append(str(hook.get("topic") or hook_id))
    if repair.created or repair.reactivated or repair.removed:
        log.info("WooCommerce store %s webhooks: %s", store.id, repair.summary())
    return repair


def _create(
    db: Session, store: Store, client: WooCommerceClient, topic: str, url: str
) -> dict[str, Any]:
    secret = secrets.token_urlsafe(32)
    hook = client.post(
        "webhooks",
        {
            "name": f"Encore {topic}",
            "topic": topic,
            "delivery_url": url,
            "secret": secret,
            "status": "active",
        },
    )
    if not isinstance(hook, dict) or not hook.get("id"):
        raise WooCommerceApiError(f"Creating the {topic} webhook answered no webhook id.")
    _record(db, store, topic, hook, secret, url)
    return hook


def _record(
    db: Session, store: Store, topic: str, hook: dict[str, Any], secret: str, url: str
) -> None:
    row = db.scalar(
        select(WebhookSubscription).where(
            WebhookSubscription.store_id == store.id, WebhookSubscription.topic == topic
        )
    )
    if row is None:
        row = WebhookSubscription(store_id=store.id, topic=topic, uri=url)
        db.add(row)
    row.uri = url
    row.platform_subscription_id = str(hook["id"])
    row.secret_sealed = seal(secret)
    row.status = str(hook.get("status") or "active")
    row.checked_at = utcnow()
    db.commit()
