"""Views, clicks and dismissals of shown offers: each counted once per impression and offer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin.errors import ApiError
from plugin.models import Impression, OfferEvent


def find_impression(db: Session, public_id: str) -> Impression | None:
    return db.scalar(select(Impression).where(Impression.public_id == public_id))


def impression_not_found() -> ApiError:
    return ApiError(404, "impression_not_found", "No such impression for this store.")


def record_offer_event(db: Session, impression: Impression, offer_id: str, kind: str) -> bool:
    """Store the event; False when it was already stored (a retry or a double click)."""
    if offer_id not in {shown.get("offer_id") for shown in impression.offers or []}:
        raise ApiError(
            400,
            "invalid_input",
            "Some fields are not valid.",
            {"offer_id": ["This offer was not shown in this impression."]},
        )
    already = db.scalar(
        select(OfferEvent.id).where(
            OfferEvent.impression_id == impression.id,
            OfferEvent.offer_id == offer_id,
            OfferEvent.type == kind,
        )
    )
    if already is not None:
        return False
    db.add(OfferEvent(impression_id=impression.id, offer_id=offer_id, type=kind))
    try:
        db.commit()
    except IntegrityError:
        db.rollback()  # the same event, sent twice at once: the other request stored it
        return False
    return True
