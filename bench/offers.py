"""Offers engine cost at volume: learning per order, choosing offers, memory.

Builds the same store as bench/storefront.py (10k products, 100k orders of 20k shoppers,
bulk-inserted), then teaches the recommender every order through the real
`recommender.learning.learn_order` (timed per order), rebuilds the co-purchase neighbours (the
background job), and asks `pick_offers` for offers for 2,000 orders (timed per call). Prints
figures; asserts nothing. Run: `.venv/bin/python bench/offers.py [--orders N]`.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.storefront import build_store, percentile
from plugin import create_app
from plugin.models import Order, Store
from plugin.offers.recommender.learning import learn_order
from plugin.offers.recommender.neighbours import refresh_neighbours
from plugin.offers.recommender.tables import ProductPair, ShopperProduct
from plugin.offers.selection import pick_offers

CHUNK = 1_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--asks", type=int, default=2_000, help="offer selections timed")
    args = parser.parse_args()
    rng = random.Random(11)

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "JOBS_BACKEND": "inline",
                "ENCRYPTION_KEY": Fernet.generate_key().decode(),
                "SECRET_KEY": "bench",
            }
        )
        engine = app.extensions["encore_db"].engine
        print(f"Building a store: {args.products:,} products, {args.orders:,} orders (SQLite)")
        store_id = build_store(engine, args.products, args.orders, rng)

        with app.app_context():
            db = app.extensions["encore_db"].session()
            store = db.get_one(Store, store_id)
            learn_ms: list[float] = []
            print("Teaching the recommender every order (learn_order, one at a time)")
            for start in range(1, args.orders + 1, CHUNK):
                orders = db.scalars(
                    select(Order)
                    .where(Order.id >= start, Order.id < start + CHUNK)
                    .order_by(Order.id)
                    .options(selectinload(Order.line_items))
                ).all()
                for order in orders:
                    t0 = time.perf_counter()
                    learn_order(db, store, order)
                    learn_ms.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                db.commit()
                commit_ms = (time.perf_counter() - t0) * 1000
                learn_ms[-1] += commit_ms  # a job commits each order; here one per chunk
                db.expunge_all()
                store = db.get_one(Store, store_id)
                print(f"\r  learned {len(learn_ms):,}/{args.orders:,}", end="", flush=True)
            print()

            t0 = time.perf_counter()
            rebuilt = refresh_neighbours(db, store)
            db.commit()
            neighbours_s = time.perf_counter() - t0

            asked = rng.sample(range(1, args.orders + 1), min(args.asks, args.orders))
            ask_ms: list[float] = []
            shown = 0
            for order_id in asked:
                order = db.get_one(Order, order_id)
                products = {
                    i.platform_product_id for i in order.line_items if i.platform_product_id
                }
                t0 = time.perf_counter()
                offers = pick_offers(db, store, products, order.customer)
                ask_ms.append((time.perf_counter() - t0) * 1000)
                shown += len(offers)
                db.rollback()  # nothing to keep; starts each ask with a clean session
            pairs = db.scalar(select(func.count()).select_from(ProductPair))
            habits = db.scalar(select(func.count()).select_from(ShopperProduct))
        size_mb = Path(f"{tmp}/bench.db").stat().st_size / 1e6

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nRecommender state: {habits:,} shopper-product rows, {pairs:,} product pairs")
    print(f"{'figure':<44}{'value':>12}")
    print(f"{'learn one order, mean (ms)':<44}{statistics.mean(learn_ms):>12.2f}")
    print(
        f"{'learn one order, p50 / p95 (ms)':<44}"
        f"{statistics.median(learn_ms):>6.2f} /{percentile(learn_ms, 0.95):>5.2f}"
    )
    print(f"{'rebuild neighbours of all products (s)':<44}{neighbours_s:>12.1f}")
    print(f"{'products rebuilt':<44}{rebuilt:>12,}")
    print(f"{'choose offers (pick_offers), p50 (ms)':<44}{statistics.median(ask_ms):>12.2f}")
    print(f"{'choose offers (pick_offers), p95 (ms)':<44}{percentile(ask_ms, 0.95):>12.2f}")
    print(f"{'choose offers (pick_offers), p99 (ms)':<44}{percentile(ask_ms, 0.99):>12.2f}")
    print(f"{'offers shown per ask (mean)':<44}{shown / len(asked):>12.2f}")
    print(f"{'peak memory of this process (MB)':<44}{peak_mb:>12.0f}")
    print(f"{'database file (MB)':<44}{size_mb:>12.0f}")


if __name__ == "__main__":
    main()
