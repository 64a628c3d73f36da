"""Live previews: the storefront block and tracking page with unsaved branding, and a shipping
email with an unsaved template, drawn by the same templates and code shoppers get.

Nothing is recorded: previews compute offers and tracking without logging an impression, and
roll back anything the offers engine might have staged.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import render_template, url_for
from jinja2 import TemplateError
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.errors import ApiError
from plugin.models import LineItem, Order, Store, utcnow
from plugin.storefront import presentation
from plugin.storefront.branding import Branding
from plugin.storefront.rendering import render_html
from plugin.storefront.surface import compute_facts

SAMPLE_ORDERS_TRIED = 8
PREVIEW_TOKEN = "admin-preview-not-a-real-link"


def draft_store(store: Store, settings: dict[str, Any]) -> Store:
    """A detached copy of the store wearing unsaved settings; never added to the session."""
    return Store(
        id=store.id,
        public_id=store.public_id,
        platform=store.platform,
        domain=store.domain,
        name=store.name,
        currency=store.currency,
        timezone=store.timezone,
        status=store.status,
        settings=settings,
    )


def branding_preview(db: Session, store: Store, settings: dict[str, Any]) -> dict[str, str]:
    """`{"block_html", "tracking_page_html"}` for the store as these settings would show it."""
    draft = draft_store(store, settings)
    order, body = _sample(db, store)
    brand = Branding.of(draft)
    clock = presentation.Clock(settings.get("timezone") or store.timezone)
    help_links = _help_links(draft)
    if body.get("tracking") and help_links is not None:
        # The sample's tracking carries the saved help links: show the draft's instead.
        tracking = {**body["tracking"], "help": help_links.as_json() if help_links.any else None}
        body = {**body, "tracking": tracking}
    block = render_template(
        "admin/preview_block.html", answer=body, brand=brand, fmt=presentation, clock=clock
    )
    page = render_html(
        "storefront/tracking_page.html",
        answer=body,
        order=order,
        brand=brand,
        clock=clock,
        fmt=presentation,
        events_url=url_for("storefront_events.offer_event"),
        tracking_token=PREVIEW_TOKEN,
        nonce="admin-preview",
        help=help_links,
        feedback=None,
    )
    return {"block_html": block, "tracking_page_html": page}


def _help_links(store: Store) -> Any:
    try:
        from plugin.notifications.settings import HelpLinks
    except ImportError:
        return None
    return HelpLinks.of(store)


def _sample(db: Session, store: Store) -> tuple[Order, dict[str, Any]]:
    """A recent order of the store with offers and a parcel, as its shopper would see it."""
    recent = db.scalars(
        select(Order)
        .where(Order.store_id == store.id)
        .order_by(Order.shipments.any().desc(), Order.placed_at.desc(), Order.id.desc())
        .limit(SAMPLE_ORDERS_TRIED)
    ).all()
    fallback: tuple[Order, dict[str, Any]] | None = None
    for order in recent:
        facts = compute_facts(
            db, store, order=order, platform_order_id=order.platform_order_id, with_tracking=True
        )
        body = {
            "impression_id": "preview",
            "offers": list(facts.offers_json),
            "tracking": facts.tracking,
        }
        if body["offers"]:
            db.rollback()
            return order, body
        fallback = fallback or (order, body)
    db.rollback()
    return fallback or _made_up_order(store)


def _made_up_order(store: Store) -> tuple[Order, dict[str, Any]]:
    """A store without orders yet still gets a preview: one parcel on its way, no offers."""
    now = utcnow()
    order = Order(
        store_id=store.id,
        platform_order_id="1001",
        name="#1001",
        currency=store.currency,
        total_price=Decimal("42.00"),
        placed_at=now - timedelta(days=2),
    )
    order.line_items = [LineItem(title="Sample product", quantity=2, price=Decimal("21.00"))]
    tracking = {
        "status": "in_transit",
        "shipments": [
            {
                "carrier": "UPS",
                "tracking_number": "1Z999AA10123456784",
                "tracking_url": None,
                "status": "in_transit",
                "estimated_delivery": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "events": [
                    {
                        "at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "status": "in_transit",
                        "message": "Departed facility",
                        "location": None,
                    }
                ],
            }
        ],
    }
    return order, {"impression_id": "preview", "offers": [], "tracking": tracking}


def notification_preview(
    store: Store, settings: dict[str, Any], milestone: str, subject: str, body: str
) -> dict[str, str]:
    """`{"subject", "html", "text"}` of the email this template would send, on a sample order."""
    try:
        from plugin.notifications import sample_facts
        from plugin.notifications.messages import build_email, render_merchant_text
    except ImportError as exc:
        raise ApiError(
            503, "notifications_unavailable", "Notifications are not part of this installation."
        ) from exc
    templates = dict(settings.get("email_templates") or {})
    templates[milestone] = {"subject": subject, "body": body}
    draft = draft_store(store, {**settings, "email_templates": templates})
    facts = sample_facts(draft, milestone)
    errors: dict[str, list[str]] = {}
    for name, source in (("subject", subject), ("body", body)):
        try:
            render_merchant_text(source, facts.template_context)
        except TemplateError as exc:
            errors[name] = [f"This template does not render: {exc}."]
    if errors:
        raise ApiError(400, "invalid_template", "The template has an error.", errors)
    email = build_email(
        facts, "shopper@example.com", "<preview@encore.invalid>", "store@example.com"
    )
    html_part, text_part = email.get_body(("html",)), email.get_body(("plain",))
    return {
        "subject": str(email["Subject"]),
        "html": html_part.get_content() if html_part is not None else "",
        "text": text_part.get_content() if text_part is not None else "",
    }


def template_variables() -> list[str]:
    """The names a merchant's template may use (those the notifications code provides)."""
    try:
        from plugin.notifications import sample_facts
    except ImportError:
        return []
    return sorted(sample_facts(Store(name="Shop", domain="shop"), "shipped").template_context)


def default_templates() -> dict[str, tuple[str, str]]:
    try:
        from plugin.notifications.messages import DEFAULT_TEMPLATES
    except ImportError:
        return {}
    return {str(milestone): pair for milestone, pair in DEFAULT_TEMPLATES.items()}
