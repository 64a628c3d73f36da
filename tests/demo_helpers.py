"""A small grocery history in the bundled file's format, for fast demo-store tests."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

from plugin.demo.history import COLUMNS

RARE_ONLY_ORDER = "990001"  # an order of products bought once: it has no catalog product


def write_small_history(path: Path, shoppers: int = 8, orders_each: int = 4) -> Path:
    """Shoppers with a few orders each of a 70-product pool, plus an order of rare products."""
    rng = random.Random(7)
    pool = [str(1000 + 37 * n) for n in range(70)]
    rows: list[list[object]] = []
    order_id = 500000
    for shopper in range(1, shoppers + 1):
        for number in range(1, orders_each + 1):
            order_id += 1
            gap = "" if number == 1 else float(rng.choice([0, 3, 7, 14, 30]))
            for position, product in enumerate(rng.sample(pool, 8), start=1):
                rows.append([order_id, shopper, number, gap, product, position])
    rows.append([RARE_ONLY_ORDER, 1, orders_each + 1, 2.0, "880001", 1])
    rows.append([RARE_ONLY_ORDER, 1, orders_each + 1, 2.0, "880002", 2])
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def expected_catalog_ids(path: Path) -> set[str]:
    with path.open(newline="") as handle:
        counts = Counter(row["product_id"] for row in csv.DictReader(handle))
    return {product_id for product_id, n in counts.items() if n >= 3}


def expected_orders(path: Path) -> set[str]:
    """Orders with at least one catalog product."""
    kept = expected_catalog_ids(path)
    with path.open(newline="") as handle:
        return {row["order_id"] for row in csv.DictReader(handle) if row["product_id"] in kept}
