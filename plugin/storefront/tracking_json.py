"""An order's parcels and their timelines, in the shape every surface receives (CONTRACT.md).

Beyond the contract's fields (which keep their shape), each answer carries what the block
and page show after issue 6: each parcel's delivery window and problem, the store's returns
and support links, and whether the shopper can still leave feedback.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, fields
from sqlalchemy.orm import object_session

from plugin.models import Order, Shipment, Store, utcnow
from plugin.notifications.settings import HelpLinks, feedback_enabled
from plugin.schemas import UtcTime, tracking_out
from plugin.storefront.safe_urls import web_url
from plugin.tracking.eta import store_zone
from plugin.tracking.exceptions import exception_of
from plugin.tracking.feedback import feedback_of
from plugin.tracking.progress import as_tracking_status, order_tracking_status
from plugin.tracking.status import TrackingStatus


class EstimateOutSchema(Schema):
    earliest = UtcTime()
    likely = UtcTime()
    latest = UtcTime()
    source = fields.String()


estimate_out = EstimateOutSchema()


def _estimate(shipment: Shipment) -> dict[str, Any] | None:
    if shipment.eta_likely is None:
        return None
    return dict(
        estimate_out.dump(
            {
                "earliest": shipment.eta_earliest,
                "likely": shipment.eta_likely,
                "latest": shipment.eta_latest,
                "source": shipment.eta_source,
            }
        )
    )


def tracking_of(order: Order | None) -> dict[str, Any]:
    """`{"status", "shipments": [...]}`; an order we have not received yet is just "ordered"."""
    if order is None:
        return dict(tracking_out.dump({"status": TrackingStatus.ORDERED.value, "shipments": []}))
    shipments = list(order.shipments)
    status = order_tracking_status(order.status, [s.status for s in shipments])
    answer = dict(
        tracking_out.dump(
            {
                "status": status.value,
                "shipments": [
                    {
                        "carrier": shipment.carrier,
                        "tracking_number": shipment.tracking_number or None,
                        "tracking_url": web_url(shipment.tracking_url),
                        "status": as_tracking_status(shipment.status).value,
                        # The carrier's own date when it gave one, else Encore's likely day.
                        "estimated_delivery": shipment.estimated_delivery or shipment.eta_likely,
                        "events": [
                            {
                                "at": event.at,
                                "status": as_tracking_status(event.status).value,
                                "message": event.message,
                                "location": event.location,
                            }
                            for event in shipment.events
                        ],
                    }
                    for shipment in shipments
                ],
            }
        )
    )
    store = _store_of(order)
    if store is not None:
        _add_aftercare(answer, order, store, shipments, status)
    return answer


def _store_of(order: Order) -> Store | None:
    db = object_session(order)
    return db.get(Store, order.store_id) if db is not None else None


def _add_aftercare(
    answer: dict[str, Any],
    order: Order,
    store: Store,
    shipments: list[Shipment],
    status: TrackingStatus,
) -> None:
    now = utcnow()
    zone = store_zone(store)
    for shown, shipment in zip(answer["shipments"], shipments, strict=True):
        shown["estimate"] = _estimate(shipment)
        problem = exception_of(shipment, shipment.events, now, zone)
        shown["exception"] = problem[0] if problem else None
    links = HelpLinks.of(store)
    answer["help"] = links.as_json() if links.any else None
    app_url = current_app.config["APP_URL"]
    answer["tracking_page_url"] = f"{app_url}/t/{order.tracking_token}"
    db = object_session(order)
    given = feedback_of(db, order) if db is not None else None
    answer["feedback"] = {
        "enabled": feedback_enabled(store) and status is TrackingStatus.DELIVERED,
        "submitted": given is not None,
        "rating": given.rating if given is not None else None,
        "url": f"{app_url}/api/storefront/feedback/{order.tracking_token}",
    }
