"""An order's parcels and their timelines, in the shape every surface receives (CONTRACT.md)."""

from __future__ import annotations

from typing import Any

from plugin.models import Order
from plugin.schemas import tracking_out
from plugin.storefront.safe_urls import web_url
from plugin.tracking.progress import as_tracking_status, order_tracking_status
from plugin.tracking.status import TrackingStatus


def tracking_of(order: Order | None) -> dict[str, Any]:
    """`{"status", "shipments": [...]}`; an order we have not received yet is just "ordered"."""
    if order is None:
        return dict(tracking_out.dump({"status": TrackingStatus.ORDERED.value, "shipments": []}))
    shipments = list(order.shipments)
    status = order_tracking_status(order.status, [s.status for s in shipments])
    return dict(
        tracking_out.dump(
            {
                "status": status.value,
                "shipments": [
                    {
                        "carrier": shipment.carrier,
                        "tracking_number": shipment.tracking_number or None,
                        "tracking_url": web_url(shipment.tracking_url),
                        "status": as_tracking_status(shipment.status).value,
                        "estimated_delivery": shipment.estimated_delivery,
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
