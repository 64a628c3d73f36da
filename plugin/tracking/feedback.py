"""A shopper's rating after delivery: 1 to 5 stars and a comment, one per order."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from plugin.models import Order
from plugin.tracking.tables import Feedback

MAX_COMMENT = 2000


class FeedbackError(ValueError):
    """The rating or comment is not acceptable; the message says why."""


def read_rating(value: Any) -> int:
    try:
        rating = int(str(value).strip())
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise FeedbackError("Choose a rating from 1 to 5 stars.")
    return rating


def read_comment(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FeedbackError("The comment must be text.")
    text = value.strip()
    if len(text) > MAX_COMMENT:
        raise FeedbackError(f"Keep the comment under {MAX_COMMENT} characters.")
    return text or None


def feedback_of(db: Session, order: Order) -> Feedback | None:
    return db.scalar(select(Feedback).where(Feedback.order_id == order.id))


def record_feedback(
    db: Session, order: Order, rating: Any, comment: Any = None
) -> tuple[Feedback, bool]:
    """Store the order's feedback and commit; (feedback, False) when it had some already."""
    stars, text = read_rating(rating), read_comment(comment)
    existing = feedback_of(db, order)
    if existing is not None:
        return existing, False
    feedback = Feedback(store_id=order.store_id, order_id=order.id, rating=stars, comment=text)
    db.add(feedback)
    try:
        db.commit()
    except IntegrityError:  # the same order's feedback arrived twice at once
        db.rollback()
        found = feedback_of(db, order)
        assert found is not None
        return found, False
    return feedback, True
