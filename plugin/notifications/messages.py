"""What a shipping message says: subject and body (merchant-editable Jinja, sandboxed), laid
out as branded HTML and plain text, or as one short text message.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Any

from flask import current_app, render_template
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from plugin.models import Order, Shipment, Store
from plugin.notifications.settings import (
    HelpLinks,
    email_template,
    feedback_enabled,
    sender_name,
)
from plugin.storefront.branding import Branding
from plugin.storefront.presentation import Clock, money, status_label
from plugin.tracking.tables import Milestone

log = logging.getLogger(__name__)

DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    Milestone.SHIPPED: (
        "Your order {{ order_name }} is on its way",
        "Hi {{ first_name or 'there' }},\n\nGood news: your order {{ order_name }} from "
        "{{ store_name }} has shipped{% if carrier %} with {{ carrier }}{% endif %}."
        "{% if eta %} It should arrive {{ eta }}.{% endif %}",
    ),
    Milestone.OUT_FOR_DELIVERY: (
        "Your order {{ order_name }} is out for delivery",
        "Hi {{ first_name or 'there' }},\n\nYour order {{ order_name }} is out for delivery "
        "today{% if carrier %} with {{ carrier }}{% endif %}. Keep an eye out for it!",
    ),
    Milestone.DELIVERED: (
        "Your order {{ order_name }} was delivered",
        "Hi {{ first_name or 'there' }},\n\nYour order {{ order_name }} has been delivered. "
        "We hope you enjoy it!",
    ),
    Milestone.DELAYED: (
        "An update on your order {{ order_name }}",
        "Hi {{ first_name or 'there' }},\n\nYour order {{ order_name }} is taking longer "
        "than expected{% if carrier %}: {{ carrier }} reports {{ status | lower }}{% endif %}. "
        "We're keeping an eye on it and you can follow every step on the tracking page.",
    ),
}
SMS_TEXT: dict[str, str] = {
    Milestone.SHIPPED: "{store}: your order {order} has shipped{eta}. Track it: {url}",
    Milestone.OUT_FOR_DELIVERY: "{store}: your order {order} is out for delivery today. "
    "Track it: {url}",
    Milestone.DELIVERED: "{store}: your order {order} was delivered. Details: {url}",
    Milestone.DELAYED: "{store}: your order {order} is delayed. Latest news: {url}",
}

_SANDBOX = ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined)


def render_merchant_text(source: str, context: dict[str, Any]) -> str:
    """A merchant template in the sandbox: no attribute tricks, no unknown variables."""
    return _SANDBOX.from_string(source).render(**context).strip()


def paragraphs_html(text: str) -> Markup:
    """Plain text as escaped HTML paragraphs (blank lines split, single newlines break)."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return Markup("".join(f"<p>{escape(p)}</p>".replace("\n", "<br>") for p in parts))


@dataclass
class MessageFacts:
    """Everything a message may say about one order and parcel."""

    store: Store
    milestone: str
    order_name: str
    first_name: str | None
    tracking_url: str  # Encore's /t/<token> page
    unsubscribe_url: str | None
    carrier: str | None = None
    tracking_number: str | None = None
    carrier_url: str | None = None
    status: str | None = None
    eta: str | None = None
    offer: dict[str, Any] | None = None
    feedback_urls: list[str] = field(default_factory=list)

    @property
    def template_context(self) -> dict[str, Any]:
        return {
            "first_name": self.first_name,
            "order_name": self.order_name,
            "store_name": sender_name(self.store),
            "carrier": self.carrier,
            "tracking_number": self.tracking_number,
            "tracking_url": self.tracking_url,
            "status": status_label(self.status) if self.status else "",
            "eta": self.eta,
        }


def facts_for(
    db: Session, store: Store, order: Order, shipment: Shipment | None, milestone: str
) -> MessageFacts:
    app_url = current_app.config["APP_URL"]
    page = f"{app_url}/t/{order.tracking_token}"
    clock = Clock((store.settings or {}).get("timezone") or store.timezone)
    eta_time = None
    if shipment is not None and milestone in (Milestone.SHIPPED, Milestone.DELAYED):
        eta_time = shipment.estimated_delivery or shipment.eta_likely
    feedback = milestone == Milestone.DELIVERED and feedback_enabled(store)
    return MessageFacts(
        store=store,
        milestone=milestone,
        order_name=order.name or f"#{order.platform_order_id}",
        first_name=order.customer.first_name if order.customer else None,
        tracking_url=page,
        unsubscribe_url=f"{page}/unsubscribe/email",
        carrier=shipment.carrier if shipment else None,
        tracking_number=(shipment.tracking_number or None) if shipment else None,
        carrier_url=shipment.tracking_url if shipment else None,
        status=shipment.status if shipment else None,
        eta=f"by {clock.day(eta_time)}" if eta_time else None,
        offer=one_offer(db, store, order),
        feedback_urls=[f"{page}?rating={n}#feedback" for n in range(1, 6)] if feedback else [],
    )


def one_offer(db: Session, store: Store, order: Order) -> dict[str, Any] | None:
    """One offer from the offers engine, or none: a message never fails over an offer."""
    try:
        from plugin.models import Surface
        from plugin.offers.selection import pick_offers
        from plugin.platforms.cart_links import cart_url

        products = {i.platform_product_id for i in order.line_items if i.platform_product_id}
        try:
            offers = pick_offers(
                db, store, products, order.customer, limit=1, surface=Surface.TRACKING_PAGE
            )
        except TypeError:  # an engine without the `surface` keyword
            offers = pick_offers(db, store, products, order.customer, limit=1)
        if not offers:
            return None
        offer = offers[0]
        return {
            "title": offer.title,
            "price": money(offer.price, offer.currency),
            "image_url": offer.image_url,
            "discount_percent": offer.discount_percent if offer.discount_code else 0,
            "cart_url": cart_url(
                store, offer.platform_product_id, offer.platform_variant_id, offer.discount_code
            ),
        }
    except Exception:
        # Messages are composed before anything of theirs is written: a rollback loses nothing.
        log.warning("no offer for a notification of store %s", store.id, exc_info=True)
        db.rollback()
        return None


def subject_and_body(facts: MessageFacts) -> tuple[str, str]:
    """The merchant's template where it renders, else the built-in one."""
    default_subject, default_body = DEFAULT_TEMPLATES[facts.milestone]
    subject_source, body_source = email_template(facts.store, facts.milestone)
    context = facts.template_context
    rendered = []
    for source, fallback in ((subject_source, default_subject), (body_source, default_body)):
        text = None
        if source is not None:
            try:
                text = render_merchant_text(source, context)
            except TemplateError as exc:
                log.warning(
                    "store %s: email template fails (%s); using the built-in one",
                    facts.store.id,
                    exc,
                )
        rendered.append(text or render_merchant_text(fallback, context))
    subject, body = rendered
    return " ".join(subject.split())[:200], body


def build_email(
    facts: MessageFacts, recipient: str, message_id: str, mail_from: str
) -> EmailMessage:
    subject, body = subject_and_body(facts)
    brand = Branding.of(facts.store)
    help_links = HelpLinks.of(facts.store) if facts.milestone == Milestone.DELIVERED else None
    context = {
        "facts": facts,
        "brand": brand,
        "body_text": body,
        "body_html": paragraphs_html(body),
        "help": help_links if help_links and help_links.any else None,
        "subject": subject,
    }
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = formataddr((sender_name(facts.store), mail_from))
    message["To"] = recipient
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    if facts.unsubscribe_url:
        # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to this URL.
        message["List-Unsubscribe"] = f"<{facts.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(render_template("notifications/email.txt", **context))
    message.add_alternative(render_template("notifications/email.html", **context), subtype="html")
    return message


def build_sms(facts: MessageFacts) -> str:
    eta = f", arriving {facts.eta}" if facts.eta else ""
    return SMS_TEXT[facts.milestone].format(
        store=sender_name(facts.store)[:40], order=facts.order_name, url=facts.tracking_url, eta=eta
    )
