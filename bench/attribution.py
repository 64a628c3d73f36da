"""Attribution's cost per order job: loading the bundled demo history, then again with offers shown.

Every order job runs `attribution.attribute_order` (created and updated orders). This loads the
demo history (8,533 orders through the same ingest code as webhooks) with the call timed, then
shows three offers to every shopper before each of their orders and attributes every order
again, as an update would. Prints figures; asserts nothing.
Run: `.venv/bin/python bench/attribution.py`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin import create_app
from plugin.demo.loader import load_demo_store
from plugin.models import Order, Store, Surface
from plugin.offers import attribution
from plugin.offers.selection import Offer
from plugin.offers.tables import OfferConversion
from plugin.storefront.impressions import record_impression


def offer_of(product_id: str, price: Decimal) -> Offer:
    return Offer(
        offer_id=f"popular:{product_id}",
        platform_product_id=product_id,
        platform_variant_id=product_id,
        title=product_id,
        image_url=None,
        price=price,
        compare_at_price=None,
        currency="USD",
        discount_percent=0,
        discount_code=None,
        reason="bench",
        strategy="popular",
    )


def main() -> None:
    real = attribution.attribute_order
    spent: list[float] = []

    def timed(db: Session, store: Store, order: Order) -> list[OfferConversion]:
        started = time.perf_counter()
        result = real(db, store, order)
        spent.append((time.perf_counter() - started) * 1000)
        return result

    attribution.attribute_order = timed
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "JOBS_BACKEND": "inline",
                "ENCRYPTION_KEY": Fernet.generate_key().decode(),
                "SECRET_KEY": "bench",
            }
        )
        with app.app_context():
            load_demo_store(progress=lambda _message: None)
            db = app.extensions["encore_db"].session()
            store = db.scalars(select(Store)).one()
            orders = list(
                db.scalars(
                    select(Order)
                    .where(Order.store_id == store.id)
                    .options(selectinload(Order.line_items), selectinload(Order.customer))
                    .order_by(Order.placed_at)
                )
            )
            print(f"Demo history: {len(orders):,} orders")
            report("attribute a new order, no offers shown yet", spent)

            # Before each order, its shopper saw three offers: two it then bought, one not.
            for order in orders:
                if order.customer is None:
                    continue
                bought = [i for i in order.line_items if i.platform_product_id][:2]
                shown = [offer_of(str(i.platform_product_id), i.price) for i in bought]
                shown.append(offer_of("never-bought", bought[0].price if bought else Decimal(1)))
                record_impression(
                    db,
                    store,
                    Surface.THANK_YOU,
                    order_id=None,
                    platform_order_id=f"before-{order.platform_order_id}",
                    platform_customer_id=order.customer.platform_customer_id,
                    in_holdout=False,
                    offers=shown,
                    at=order.placed_at - timedelta(hours=1),
                )
            spent.clear()
            for order in orders:
                timed(db, store, order)
            db.commit()
            report("attribute an order after offers were shown", spent)
            conversions = db.scalar(select(func.count()).select_from(OfferConversion))
            print(f"{'conversions recorded':<48}{conversions:>10,}")


def report(what: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    print(f"{what + ', mean / p95 (ms)':<48}{statistics.fmean(samples):>5.2f} / {p95:.2f}")


if __name__ == "__main__":
    main()
