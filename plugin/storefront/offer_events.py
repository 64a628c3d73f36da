"""Views, clicks and dismissals of shown offers: each counted once per impression and offer."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin.errors import ApiError
from plugin.models import Impression, OfferEvent, OfferEventType
from plugin.offers import bandit
from plugin.offers.tables import OfferConversion


def find_impression(db: Session, public_id: str) -> Impression | None:
    return db.scalar(select(Impression).where(Impression.public_id == public_id))


def impression_not_found() -> ApiError:
    return ApiError(404, "impression_not_found", "No such impression for this store.")


def record_offer_event(db: Session, impression: Impression, offer_id: str, kind: str) -> bool:
    """Store the event; False when it was already stored (a retry or a double click).

    A first click also feeds the bandit, in the same transaction as the event it counts.
    """
    shown = {offer.get("offer_id"): offer for offer in impression.offers or []}
    if offer_id not in shown:
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
    if kind == OfferEventType.CLICK and not impression.in_holdout:
        _count_click(db, impression, offer_id, str(shown[offer_id].get("strategy") or "unknown"))
    try:
        db.commit()
    except IntegrityError:
        db.rollback()  # the same event, sent twice at once: the other request stored it
        return False
    return True


def _count_click(db: Session, impression: Impression, offer_id: str, strategy: str) -> None:
    """A success for the offer's strategy, unless the offer already converted (counted then)."""
    converted = db.scalar(
        select(OfferConversion.id).where(
            OfferConversion.impression_id == impression.id, OfferConversion.offer_id == offer_id
        )
    )
    bandit.count_click(
        db, impression.store_id, impression.surface, strategy, first=converted is None
    )
