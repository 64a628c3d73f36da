"""What the offers engine learns from each saved order, called once per order change by ingest.

One entry point keeps ingest unaware of the engine's parts: popularity, the recommender's
precomputed state and attribution each learn here, inside the job's transaction, so a retried
job either learned everything or nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from plugin.models import Order, Store
from plugin.offers import attribution, popularity
from plugin.offers.recommender import learning as recommender


def learn_from_order(db: Session, store: Store, order: Order, *, created: bool) -> None:
    """Update what the engine knows after `order` was created (or updated); the caller commits."""
    if created:
        # Counted once, when the order first arrives: updates and replays never count again.
        popularity.record_order(db, store, order)
        recommender.learn_order(db, store, order)
    attribution.attribute_order(db, store, order)  # new orders convert; updates bring refunds
