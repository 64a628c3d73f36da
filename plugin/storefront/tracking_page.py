"""`GET /t/<token>`: Encore's branded tracking page, the link in shipping emails and texts.

The token is the only credential (unguessable, one per order). The page is self-contained: no
external stylesheet, script or font, so it loads fast on a phone and leaks nothing to others.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from plugin.db import session
from plugin.errors import ApiError
from plugin.http.bodies import json_body
from plugin.models import Order, Store, Surface
from plugin.notifications.optouts import opt_out
from plugin.notifications.planning import recipient_of
from plugin.notifications.settings import HelpLinks, feedback_enabled
from plugin.schemas import FeedbackSchema
from plugin.storefront import presentation
from plugin.storefront.branding import Branding
from plugin.storefront.orders import load_order_by_tracking_token
from plugin.storefront.rendering import render_html
from plugin.storefront.stores import installed_store_by_id
from plugin.storefront.surface import answer, compute_facts, remember_facts, remembered_facts
from plugin.tracking.feedback import FeedbackError, feedback_of, record_feedback
from plugin.tracking.tables import Channel

bp = Blueprint("storefront_tracking_page", __name__)

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _page_headers(response: Response, nonce: str | None = None) -> Response:
    # The token is in the URL: never send it on as a Referer (e.g. to the shop's cart).
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    script = f"'nonce-{nonce}'" if nonce else "'none'"
    # Styles stay inline-only (a nonce would make browsers ignore style attributes).
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; "
        f"script-src {script}; connect-src 'self'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )
    return response


def not_found_page() -> Response:
    return _page_headers(Response(render_html("storefront/not_found.html"), status=404))


def _order_and_store(token: str) -> tuple[Order, Store] | None:
    db = session()
    order = load_order_by_tracking_token(db, token) if TOKEN_SHAPE.fullmatch(token) else None
    store = installed_store_by_id(db, order.store_id) if order is not None else None
    return (order, store) if order is not None and store is not None else None


@bp.get("/t/<token>")
def tracking_page(token: str) -> Response:
    db = session()
    found = _order_and_store(token)
    if found is None:
        return not_found_page()
    order, store = found

    facts = remembered_facts(store, Surface.TRACKING_PAGE, order.platform_order_id)
    if facts is None:
        facts = compute_facts(
            db, store, order=order, platform_order_id=order.platform_order_id, with_tracking=True
        )
        remember_facts(store, Surface.TRACKING_PAGE, order.platform_order_id, facts)
    body = answer(db, store, Surface.TRACKING_PAGE, facts)

    nonce = secrets.token_urlsafe(16)
    html = render_html(
        "storefront/tracking_page.html",
        answer=body,
        order=order,
        brand=Branding.of(store),
        clock=presentation.Clock(store.timezone),
        fmt=presentation,
        events_url=url_for("storefront_events.offer_event"),
        tracking_token=token,
        nonce=nonce,
        help=HelpLinks.of(store),
        feedback=_feedback_view(order, store, body),
    )
    return _page_headers(Response(html, mimetype="text/html"), nonce)


def _feedback_view(order: Order, store: Store, body: dict[str, Any]) -> dict[str, Any] | None:
    """The feedback form's state on the page: None when it is not shown."""
    tracking = body.get("tracking") or {}
    if not feedback_enabled(store) or tracking.get("status") != "delivered":
        return None
    given = feedback_of(session(), order)
    rating = request.args.get("rating", "")
    return {
        "given": given,
        "thanks": request.args.get("feedback") == "thanks",
        "error": request.args.get("feedback_error"),
        "preselected": int(rating) if rating in {"1", "2", "3", "4", "5"} else None,
        "action": url_for("storefront_tracking_page.feedback_form", token=order.tracking_token),
    }


@bp.post("/t/<token>/feedback")
def feedback_form(token: str) -> Response:
    """The tracking page's form; answers with the page again (303), thanked or with the error."""
    found = _order_and_store(token)
    if found is None:
        return not_found_page()
    order, store = found
    target = url_for("storefront_tracking_page.tracking_page", token=token)
    if not feedback_enabled(store):
        return _see_other(target)
    try:
        record_feedback(session(), order, request.form.get("rating"), request.form.get("comment"))
    except FeedbackError as exc:
        back = url_for(
            "storefront_tracking_page.tracking_page", token=token, feedback_error=str(exc)
        )
        return _see_other(back + "#feedback")
    return _see_other(target + "?feedback=thanks#feedback")


def _see_other(location: str) -> Response:
    return _page_headers(Response(status=303, headers={"Location": location}))


@bp.post("/api/storefront/feedback/<token>")
@json_body
def feedback_api(token: str) -> tuple[Response, int]:
    """The order-status block's form: JSON `{"rating": 1-5, "comment": "..."}`.

    The tracking token in the path is the credential (the block got it from the order-status
    answer). 201 the first time, 200 `{"status": "duplicate"}` after: one per order.
    """
    found = _order_and_store(token)
    if found is None:
        raise ApiError(404, "not_found", "No order has this tracking link.")
    order, store = found
    if not feedback_enabled(store):
        raise ApiError(403, "feedback_disabled", "This store does not collect feedback.")
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_input", "Send a JSON object with rating and comment.")
    wanted = FeedbackSchema().load(payload)
    try:
        feedback, created = record_feedback(session(), order, wanted["rating"], wanted["comment"])
    except FeedbackError as exc:
        raise ApiError(400, "invalid_input", str(exc), {"rating": [str(exc)]}) from exc
    body = {"status": "recorded" if created else "duplicate", "rating": feedback.rating}
    return jsonify(body), 201 if created else 200


@bp.route("/t/<token>/unsubscribe/<channel>", methods=["GET", "POST"])
def unsubscribe(token: str, channel: str) -> Response:
    """One-click unsubscribe (RFC 8058): mail clients POST; a person sees a confirm button."""
    found = _order_and_store(token)
    if found is None or channel not in {c.value for c in Channel}:
        return not_found_page()
    order, store = found
    done = False
    if request.method == "POST":
        recipient = recipient_of(order, Channel(channel))
        if recipient:
            opt_out(session(), store, channel, recipient)
            session().commit()
        done = True
    html = render_html(
        "storefront/unsubscribe.html",
        brand=Branding.of(store),
        channel=channel,
        done=done,
        action=url_for("storefront_tracking_page.unsubscribe", token=token, channel=channel),
        back=url_for("storefront_tracking_page.tracking_page", token=token),
    )
    return _page_headers(Response(html, mimetype="text/html"))
