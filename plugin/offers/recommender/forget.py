"""Forget a shopper's purchase habits when they ask to be erased (customers/redact).

Store-wide counts (pairs, rebuy rates) keep the shopper's orders as anonymous numbers, like
the merchant's revenue figures; the per-shopper rows are what could describe a person.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from plugin.offers.recommender.tables import ShopperProduct, ShopperProfile


def forget_shopper(db: Session, customer_id: int) -> int:
    """Delete the shopper's learned history; returns how many rows went (the caller commits)."""
    removed = 0
    for model in (ShopperProduct, ShopperProfile):
        result = db.execute(delete(model).where(model.customer_id == customer_id))
        removed += int(getattr(result, "rowcount", 0) or 0)
    return removed
