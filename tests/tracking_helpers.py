"""Arranging parcels and catching messages for the tracking and notification tests.

`MailServer` is a real SMTP server (aiosmtpd) on a free local port: Encore talks SMTP to it
exactly as to a real one, and the test reads what arrived.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin import ingest
from plugin.models import Order, Shipment, Store, utcnow
from plugin.platforms.base import (
    CustomerRecord,
    LineItemRecord,
    OrderRecord,
    ShipmentEventRecord,
    ShipmentRecord,
)
from plugin.tracking.tables import Notification
from tests.conftest import FIXTURES

CARRIER_FIXTURES = FIXTURES / "carriers"
SHOPPER_EMAIL = "maya.chen@example.com"
SHOPPER_PHONE = "+15125550143"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class CapturingHandler:
    """Keeps each accepted message; `refuse` answers the next DATA commands with these codes."""

    received: list[EmailMessage] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return self.refuse.pop(0)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self) -> None:
        self.handler = CapturingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received

    def refuse_next(self, *replies: str) -> None:
        self.handler.refuse.extend(replies)

    def config(self) -> dict[str, Any]:
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": self.port,
            "SMTP_STARTTLS": False,
            "SMTP_SSL": False,
            "MAIL_FROM": "shipping@fresh-grocer.example",
            "SMTP_TIMEOUT_SECONDS": 5.0,
        }


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.controller.start()
    try:
        yield server
    finally:
        server.controller.stop()


def parcel(
    order_id: str,
    status: str,
    *,
    number: str = "1Z5R89390357567127",
    carrier: str | None = "UPS",
    fulfillment_id: str = "7001",
    shipped_at: datetime | None = None,
    updated_at: datetime | None = None,
    events: tuple[tuple[datetime, str], ...] = (),
    delivered_at: datetime | None = None,
    estimated: datetime | None = None,
    service: str | None = None,
    region: str | None = None,
) -> ShipmentRecord:
    shipped = shipped_at or utcnow() - timedelta(hours=2)
    return ShipmentRecord(
        platform_fulfillment_id=fulfillment_id,
        platform_order_id=order_id,
        tracking_number=number,
        carrier=carrier,
        status=status,
        shipped_at=shipped,
        delivered_at=delivered_at,
        estimated_delivery=estimated,
        updated_at=updated_at or utcnow(),
        service=service,
        destination_region=region,
        events=tuple(ShipmentEventRecord(at=at, status=s) for at, s in events),
    )


def place_order(
    db: Session,
    store: Store,
    order_id: str = "820982911946154508",
    *,
    email: str | None = SHOPPER_EMAIL,
    phone: str | None = None,
    shipments: tuple[ShipmentRecord, ...] = (),
    placed_at: datetime | None = None,
    name: str = "#1042",
) -> Order:
    ingest.upsert_order(
        db,
        store,
        OrderRecord(
            platform_order_id=order_id,
            placed_at=placed_at or utcnow() - timedelta(hours=5),
            currency="USD",
            total_price=Decimal("24.00"),
            status="paid",
            name=name,
            email=email,
            customer=CustomerRecord(
                platform_customer_id="207119551", email=email, phone=phone, first_name="Maya"
            ),
            line_items=(
                LineItemRecord(
                    title="Oat milk", quantity=2, price=Decimal("12.00"), platform_product_id="1001"
                ),
            ),
            shipments=shipments,
        ),
    )
    db.commit()
    order = db.scalar(select(Order).where(Order.platform_order_id == order_id))
    assert order is not None
    return order


def update_parcel(db: Session, store: Store, record: ShipmentRecord) -> Shipment:
    """A fulfillment update for an order we have, committed as its job would."""
    ingest.upsert_shipment(db, store, record)
    db.commit()
    found = db.scalar(
        select(Shipment).where(
            Shipment.platform_fulfillment_id == record.platform_fulfillment_id,
            Shipment.tracking_number == record.tracking_number,
        )
    )
    assert found is not None
    return found


def notifications(db: Session) -> list[Notification]:
    db.expire_all()
    return list(db.scalars(select(Notification).order_by(Notification.id)))


def by_key(db: Session) -> dict[tuple[str, str], Notification]:
    return {(n.milestone, n.channel): n for n in notifications(db)}
