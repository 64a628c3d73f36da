"""Every figure of the admin dashboard for one store and period, computed from the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from plugin.analytics.aftercare import (
    FeedbackFigures,
    NotificationFigures,
    ParcelToActOn,
    TrackingPageViews,
    feedback_figures,
    notification_figures,
    parcels_to_act_on,
    tracking_page_views,
)
from plugin.analytics.deliveries import DeliveryFigures, delivery_figures
from plugin.analytics.holdout import HoldoutComparison, revenue_per_order_vs_holdout
from plugin.analytics.offers import OfferFigures, offer_figures
from plugin.analytics.period import Period
from plugin.models import Store


@dataclass(frozen=True)
class Dashboard:
    period: Period
    currency: str
    offers: OfferFigures
    holdout: HoldoutComparison
    deliveries: DeliveryFigures
    tracking_page: TrackingPageViews
    notifications: NotificationFigures | None  # None: not recorded by this installation yet
    feedback: FeedbackFigures | None
    to_act_on: list[ParcelToActOn] | None


def build_dashboard(db: Session, store: Store, period: Period, now: datetime) -> Dashboard:
    return Dashboard(
        period=period,
        currency=store.currency,
        offers=offer_figures(db, store, period),
        holdout=revenue_per_order_vs_holdout(db, store, period),
        deliveries=delivery_figures(db, store, period),
        tracking_page=tracking_page_views(db, store, period),
        notifications=notification_figures(db, store, period),
        feedback=feedback_figures(db, store, period),
        to_act_on=parcels_to_act_on(db, store, now),
    )
