"""The bundled order history: one CSV row per line item, read into plain rows."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

BUNDLED_ORDERS = Path(__file__).resolve().parent / "data" / "grocery_orders_dev.csv.gz"
COLUMNS = (
    "order_id",
    "user_id",
    "order_number",
    "days_since_prior_order",
    "product_id",
    "add_to_cart_order",
)


@dataclass(frozen=True)
class OrderLine:
    """One product in one shopper's order, as the data gives it (ids only)."""

    order_id: str
    user_id: str
    order_number: int  # the order's place in this shopper's history, from 1
    days_since_prior: float | None  # empty for a shopper's first order
    product_id: str
    add_to_cart_order: int


def read_order_lines(path: Path = BUNDLED_ORDERS, max_orders: int | None = None) -> list[OrderLine]:
    """Read the CSV (gzipped or plain); `max_orders` keeps only the first orders of the file."""
    lines: list[OrderLine] = []
    seen: set[str] = set()
    for row in _rows(path):
        if row["order_id"] not in seen:
            if max_orders is not None and len(seen) >= max_orders:
                break
            seen.add(row["order_id"])
        lines.append(_order_line(row))
    return lines


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open("rb") as raw:
        # Tests write small plain CSVs; the bundled file is gzipped. Sniff, don't trust names.
        gzipped = raw.read(2) == b"\x1f\x8b"
    with _open_text(path, gzipped) as text:
        reader = csv.DictReader(text)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path.name} lacks the column(s) {', '.join(missing)}")
        yield from reader


def _open_text(path: Path, gzipped: bool) -> TextIO:
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def _order_line(row: dict[str, str]) -> OrderLine:
    gap = row["days_since_prior_order"].strip()
    return OrderLine(
        order_id=row["order_id"].strip(),
        user_id=row["user_id"].strip(),
        order_number=int(row["order_number"]),
        days_since_prior=float(gap) if gap else None,
        product_id=row["product_id"].strip(),
        add_to_cart_order=int(row["add_to_cart_order"]),
    )


def count_products(lines: Iterable[OrderLine]) -> Counter[str]:
    """How many order lines name each product."""
    return Counter(line.product_id for line in lines)
