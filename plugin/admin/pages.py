"""The admin's pages: dashboard, offers, branding, notifications, health, export.

Pages are rendered on the server; forms save through `/admin/api/...` (see `api.py`) with a
few lines of script, so the same validation answers the page and any API client.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, render_template, request
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from plugin.admin import charts, previews
from plugin.admin.access import current_principal, store_for, stores_of
from plugin.admin.blueprint import admin_url, bp
from plugin.admin.health import health_report
from plugin.admin.periods import requested_period
from plugin.admin.settings_schema import CHANNELS, MILESTONES, SURFACES
from plugin.admin.settings_view import effective_settings
from plugin.analytics.dashboard import Dashboard, build_dashboard
from plugin.analytics.exports import EXPORTS
from plugin.analytics.period import PRESETS
from plugin.db import session
from plugin.models import Product, Store, utcnow
from plugin.tracking.progress import LABELS, as_tracking_status


def _store(store_id: str) -> Store:
    return store_for(session(), current_principal(), store_id)


def _render(template: str, store: Store, **context: Any) -> str:
    return render_template(
        template,
        store=store,
        stores=stores_of(session(), current_principal()),
        page=request.endpoint,
        **context,
    )


@bp.get("/")
def home() -> BaseResponse | str:
    stores = stores_of(session(), current_principal())
    if len(stores) == 1:
        return redirect(admin_url("admin.dashboard", store_id=stores[0].public_id))
    return render_template("admin/stores.html", stores=stores, store=None)


@bp.get("/stores/<store_id>/")
def dashboard(store_id: str) -> str:
    store = _store(store_id)
    now = utcnow()
    period = requested_period(request.args, store, now)
    figures = build_dashboard(session(), store, period, now)
    return _render(
        "admin/dashboard.html",
        store,
        figures=figures,
        presets=list(PRESETS),
        charts=_charts(figures),
        status_label=lambda status: LABELS[as_tracking_status(status)],
    )


def _charts(figures: Dashboard) -> dict[str, Any]:
    days = [day.day for day in figures.offers.daily]
    deliveries = figures.deliveries
    feedback = figures.feedback
    holdout = figures.holdout.interval
    return {
        "engagement": charts.line_chart(
            days,
            [
                (
                    "Impressions",
                    "series-impressions",
                    [d.impressions for d in figures.offers.daily],
                ),
                ("Clicks", "series-clicks", [d.clicks for d in figures.offers.daily]),
            ],
        ),
        "revenue": charts.line_chart(
            days,
            [
                (
                    "Attributed revenue",
                    "series-revenue",
                    [float(d.revenue) for d in figures.offers.daily],
                )
            ],
        ),
        "shipments": charts.horizontal_bars(
            [
                (LABELS[as_tracking_status(status)], count, f"{count:,}", f"status-{status}")
                for status, count in deliveries.by_status.items()
            ]
        ),
        "stars": charts.horizontal_bars(
            [
                (f"{star} ★", count, f"{count:,}", "stars")
                for star, count in sorted(feedback.stars.items(), reverse=True)
            ]
        )
        if feedback is not None
        else [],
        "interval": charts.interval_marks(holdout.low, holdout.high, holdout.difference)
        if holdout is not None
        else None,
    }


@bp.get("/stores/<store_id>/offers")
def offers(store_id: str) -> str:
    store = _store(store_id)
    settings = effective_settings(store, float(current_app.config["HOLDOUT_SHARE"]))
    named = {p["product_id"] for p in settings["pinned_offers"]} | set(
        settings["excluded_product_ids"]
    )
    for pin in settings["pinned_offers"]:
        named.update(pin.get("trigger_product_ids") or [])
    return _render(
        "admin/offers.html",
        store,
        settings=settings,
        surfaces=SURFACES,
        product_titles=_titles(store, named),
    )


def _titles(store: Store, product_ids: set[str]) -> dict[str, str]:
    if not product_ids:
        return {}
    rows = session().execute(
        select(Product.platform_product_id, Product.title).where(
            Product.store_id == store.id, Product.platform_product_id.in_(product_ids)
        )
    )
    return {str(product_id): str(title) for product_id, title in rows}


@bp.get("/stores/<store_id>/branding")
def branding(store_id: str) -> str:
    store = _store(store_id)
    settings = effective_settings(store, float(current_app.config["HOLDOUT_SHARE"]))
    preview = previews.branding_preview(session(), store, dict(store.settings or {}))
    return _render("admin/branding.html", store, settings=settings, preview=preview)


@bp.get("/stores/<store_id>/notifications")
def notifications(store_id: str) -> str:
    store = _store(store_id)
    settings = effective_settings(store, float(current_app.config["HOLDOUT_SHARE"]))
    config = current_app.config
    return _render(
        "admin/notifications.html",
        store,
        settings=settings,
        channels=CHANNELS,
        milestones=MILESTONES,
        defaults=previews.default_templates(),
        variables=previews.template_variables(),
        configured={
            "email": bool(config.get("SMTP_HOST") and config.get("MAIL_FROM")),
            "sms": bool(config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_FROM")),
        },
    )


@bp.get("/stores/<store_id>/health")
def health(store_id: str) -> str:
    store = _store(store_id)
    report = health_report(session(), store, utcnow(), current_app.config)
    return _render("admin/health.html", store, report=report)


@bp.get("/stores/<store_id>/export")
def export(store_id: str) -> str:
    store = _store(store_id)
    period = requested_period(request.args, store, utcnow())
    return _render(
        "admin/export.html", store, exports=EXPORTS, period=period, presets=list(PRESETS)
    )
