"""Is a store's pipeline healthy: webhooks, the job inbox, dead letters, token, reconciliation,
and the background tasks every store relies on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from plugin.admin.background_tasks import BackgroundTask, background_tasks
from plugin.admin.shopify_embedded import has_usable_token
from plugin.analytics.sources import optional
from plugin.models import InboxEvent, InboxStatus, Platform, Store, WebhookSubscription

DEAD_LETTERS_SHOWN = 50


@dataclass(frozen=True)
class TokenStatus:
    state: str  # ok | refresh_due | missing | uninstalled | not_needed
    detail: str
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    scopes: str | None = None


@dataclass(frozen=True)
class HealthReport:
    webhooks: list[WebhookSubscription]
    missing_topics: list[str]
    inbox: dict[str, int]
    oldest_waiting_at: datetime | None
    dead_letters: list[InboxEvent]
    token: TokenStatus
    reconciles: bool  # WooCommerce stores are reconciled against the store's REST API
    last_reconciliation: datetime | None
    woocommerce_webhooks: list[WooCommerceWebhook] | None
    background_tasks: list[BackgroundTask]  # shared by every store


def of_store(store: Store) -> ColumnElement[bool]:
    """Inbox rows of this store (a webhook row may only know the shop's domain)."""
    return or_(InboxEvent.store_id == store.id, InboxEvent.shop_domain == store.domain)


def health_report(
    db: Session, store: Store, now: datetime, config: Mapping[str, Any]
) -> HealthReport:
    counts = {status.value: 0 for status in InboxStatus}
    for status, count in db.execute(
        select(InboxEvent.status, func.count()).where(of_store(store)).group_by(InboxEvent.status)
    ):
        counts[str(status)] = int(count)
    oldest = db.scalar(
        select(func.min(InboxEvent.received_at)).where(
            of_store(store), InboxEvent.status.in_([InboxStatus.PENDING, InboxStatus.RUNNING])
        )
    )
    webhooks = list(
        db.scalars(
            select(WebhookSubscription)
            .where(WebhookSubscription.store_id == store.id)
            .order_by(WebhookSubscription.topic)
        )
    )
    return HealthReport(
        webhooks=webhooks,
        missing_topics=_missing_topics(store, webhooks),
        inbox=counts,
        oldest_waiting_at=oldest,
        dead_letters=dead_letters(db, store),
        token=token_status(store, now),
        reconciles=store.platform == Platform.WOOCOMMERCE,
        last_reconciliation=_last_reconciliation(db, store),
        woocommerce_webhooks=_woocommerce_webhooks(db, store),
        background_tasks=background_tasks(db, config, now),
    )


def dead_letters(db: Session, store: Store, limit: int = DEAD_LETTERS_SHOWN) -> list[InboxEvent]:
    return list(
        db.scalars(
            select(InboxEvent)
            .where(of_store(store), InboxEvent.status == InboxStatus.DEAD)
            .order_by(InboxEvent.finished_at.desc(), InboxEvent.id.desc())
            .limit(limit)
        )
    )


def dead_letter_ids(db: Session, store: Store) -> list[int]:
    return list(
        db.scalars(
            select(InboxEvent.id).where(of_store(store), InboxEvent.status == InboxStatus.DEAD)
        )
    )


def _missing_topics(store: Store, webhooks: list[WebhookSubscription]) -> list[str]:
    if store.platform != Platform.SHOPIFY:
        return []
    from plugin.platforms.shopify_webhooks import WEBHOOK_TOPICS

    have = {webhook.topic for webhook in webhooks}
    return [topic for topic in WEBHOOK_TOPICS if topic not in have]


def token_status(store: Store, now: datetime) -> TokenStatus:
    if store.platform == Platform.DEMO:
        return TokenStatus("not_needed", "The demo store calls no platform API.")
    if not store.is_installed:
        return TokenStatus("uninstalled", "Encore is uninstalled from this store.")
    credential = store.credential
    if store.platform == Platform.WOOCOMMERCE:
        if credential is None or not credential.consumer_key_sealed:
            return TokenStatus("missing", "No REST API keys: connect the store again.")
        return TokenStatus("ok", "REST API keys are stored (encrypted).")
    if credential is None or not credential.access_token_sealed:
        return TokenStatus("missing", "No access token: open Encore from the Shopify admin.")
    expires = credential.access_expires_at
    if not has_usable_token(store, now):
        state, detail = "missing", "Expired, and it cannot be refreshed: open Encore from Shopify."
    elif expires is not None and expires <= now:
        state, detail = "refresh_due", "Expired; refreshed on the next Shopify call."
    else:
        state, detail = "ok", "Valid access token."
    return TokenStatus(
        state,
        detail,
        expires_at=expires,
        refresh_expires_at=credential.refresh_expires_at,
        scopes=credential.scopes,
    )


@dataclass(frozen=True)
class WooCommerceWebhook:
    topic: str
    status: str
    delivery_url: str
    checked_at: datetime | None


def _woocommerce_webhooks(db: Session, store: Store) -> list[WooCommerceWebhook] | None:
    """The WooCommerce integration's last look at the store's webhooks (None elsewhere)."""
    report = optional("plugin.platforms.woocommerce_health", "webhook_health")
    if store.platform != Platform.WOOCOMMERCE or report is None:
        return None
    return [
        WooCommerceWebhook(
            topic=str(getattr(row, "topic", "")),
            status=str(getattr(row, "status", "")),
            delivery_url=str(getattr(row, "delivery_url", "")),
            checked_at=getattr(row, "checked_at", None),
        )
        for row in report(db, store)
    ]


def _last_reconciliation(db: Session, store: Store) -> datetime | None:
    report = optional("plugin.platforms.woocommerce_health", "last_reconciliation")
    if store.platform != Platform.WOOCOMMERCE or report is None:
        return None
    found = report(db, store)
    return found if isinstance(found, datetime) else None
