"""`encore eval`: replay an order history through the service's own code and score the offers.

Protocol (issue 4): for every shopper with at least three orders, every order before their last
one is replayed through `ingest.upsert_order` (which learns exactly as an order webhook does)
into a throwaway SQLite database; the second-to-last order is "the order just placed". The
offers asked for it are scored against the products of the last order that are not in the
order just placed; shoppers for whom that set is empty are skipped. Global popularity is
scored in the same run, from the same replayed state.
"""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from plugin import ingest
from plugin.db import Database
from plugin.demo.history import OrderLine, read_order_lines
from plugin.models import Customer, Platform, Product, Store
from plugin.offers.eligibility import offerable_variant
from plugin.offers.recommender.neighbours import refresh_neighbours
from plugin.offers.strategies import (
    OfferContext,
    Strategy,
    learned_for_shopper,
    popular_at_store,
)
from plugin.platforms.base import (
    CustomerRecord,
    LineItemRecord,
    OrderRecord,
    ProductRecord,
    VariantRecord,
)

Progress = Callable[[str], None]
OFFERS = 3
RECALL_DEPTH = 10
BATCH = 500
# Every product gets the same price in the replay: the data has none, and the eval measures
# relevance, not the price rules.
PRICE = Decimal("4.99")
START = datetime(2017, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Scores:
    """One method's figures over the evaluated shoppers."""

    shoppers: int
    hit_rate_at_3: float
    ndcg_at_3: float
    recall_at_10: float
    coverage: float  # distinct products offered (top 3) / products in the data


@dataclass(frozen=True)
class EvalReport:
    orders_replayed: int
    products: int
    shoppers_evaluated: int
    shoppers_skipped: int
    learned: Scores
    popularity: Scores


@dataclass(frozen=True)
class _Case:
    customer_id: str
    just_placed: frozenset[str]
    next_order: frozenset[str]  # the last order minus the order just placed


def run_eval(csv_path: Path, progress: Progress = print) -> EvalReport:
    """Replay `csv_path` into a temporary database and score learned offers vs popularity."""
    progress(f"Reading {csv_path.name}…")
    histories = _histories(read_order_lines(csv_path))
    products = sorted({p for orders in histories.values() for order in orders for p in order})
    with tempfile.TemporaryDirectory(prefix="encore-eval-") as workdir:
        database = Database(f"sqlite:///{Path(workdir) / 'eval.db'}")
        try:
            database.create_schema()
            with database.new_session() as db:
                store = Store(
                    platform=Platform.DEMO,
                    domain="eval.encore.invalid",
                    name="Eval store",
                    currency="USD",
                )
                db.add(store)
                db.commit()
                _write_products(db, store, products, progress)
                replayed, cases = _replay(db, store, histories, progress)
                progress("Ranking co-purchase neighbours…")
                refresh_neighbours(db, store)
                db.commit()
                catalogue = len(products)
                learned = _score(db, store, cases, learned_for_shopper, catalogue, progress)
                popularity = _score(db, store, cases, popular_at_store, catalogue, progress)
        finally:
            database.dispose()
    evaluable = sum(1 for orders in histories.values() if len(orders) >= 3)
    return EvalReport(
        orders_replayed=replayed,
        products=len(products),
        shoppers_evaluated=len(cases),
        shoppers_skipped=evaluable - len(cases),
        learned=learned,
        popularity=popularity,
    )


def _histories(lines: Sequence[OrderLine]) -> dict[str, list[frozenset[str]]]:
    """Each shopper's orders (sets of product ids) in their own order."""
    orders: dict[tuple[str, int], set[str]] = defaultdict(set)
    for line in lines:
        orders[(line.user_id, line.order_number)].add(line.product_id)
    histories: dict[str, list[frozenset[str]]] = defaultdict(list)
    for user_id, number in sorted(orders, key=lambda key: (key[0], key[1])):
        histories[user_id].append(frozenset(orders[(user_id, number)]))
    return dict(histories)


def _write_products(db: Session, store: Store, products: list[str], progress: Progress) -> None:
    for start in range(0, len(products), BATCH):
        for product_id in products[start : start + BATCH]:
            ingest.upsert_product(
                db,
                store,
                ProductRecord(
                    platform_product_id=product_id,
                    title=f"Product {product_id}",
                    status="active",
                    variants=(VariantRecord(platform_variant_id=f"v{product_id}", price=PRICE),),
                ),
            )
        db.commit()
    progress(f"{len(products):,} products")


def _replay(
    db: Session,
    store: Store,
    histories: dict[str, list[frozenset[str]]],
    progress: Progress,
) -> tuple[int, list[_Case]]:
    """Replay every order but each shopper's last; collect the shoppers to evaluate."""
    replay: list[tuple[int, str, frozenset[str]]] = []
    cases: list[_Case] = []
    for user_id, orders in histories.items():
        for number, order in enumerate(orders[:-1]):
            replay.append((number, user_id, order))
        if len(orders) >= 3 and orders[-1] - orders[-2]:
            cases.append(_Case(user_id, orders[-2], orders[-1] - orders[-2]))
    # Shoppers' orders interleave as they would in a real store: first orders first.
    replay.sort(key=lambda entry: (entry[0], entry[1]))
    for index, (number, user_id, order) in enumerate(replay, start=1):
        ingest.upsert_order(db, store, _order_record(user_id, number, order))
        if index % BATCH == 0 or index == len(replay):
            db.commit()
            progress(f"replayed {index:,}/{len(replay):,} orders")
    return len(replay), cases


def _order_record(user_id: str, number: int, products: frozenset[str]) -> OrderRecord:
    lines = tuple(
        LineItemRecord(
            title=f"Product {product_id}",
            quantity=1,
            price=PRICE,
            platform_product_id=product_id,
            platform_variant_id=f"v{product_id}",
        )
        for product_id in sorted(products)
    )
    return OrderRecord(
        platform_order_id=f"{user_id}-{number + 1}",
        placed_at=START + timedelta(days=number),
        currency="USD",
        total_price=PRICE * len(lines),
        status="open",
        line_items=lines,
        customer=CustomerRecord(platform_customer_id=user_id),
    )


def _score(
    db: Session,
    store: Store,
    cases: list[_Case],
    strategy: Strategy,
    catalogue: int,
    progress: Progress,
) -> Scores:
    name = getattr(strategy, "__name__", "strategy")
    progress(f"Asking {name} for offers for {len(cases):,} shoppers…")
    customers = {
        c.platform_customer_id: c
        for c in db.scalars(select(Customer).where(Customer.store_id == store.id))
    }
    hits = ndcg = recall = 0.0
    offered: set[str] = set()
    for case in cases:
        ranked = offers_for(db, store, case.just_placed, customers.get(case.customer_id), strategy)
        top = ranked[:OFFERS]
        offered.update(top)
        gains = [1.0 if product_id in case.next_order else 0.0 for product_id in top]
        hits += 1.0 if any(gains) else 0.0
        ideal = sum(1 / math.log2(i + 2) for i in range(min(OFFERS, len(case.next_order))))
        ndcg += sum(g / math.log2(i + 2) for i, g in enumerate(gains)) / ideal
        recall += len(set(ranked[:RECALL_DEPTH]) & case.next_order) / len(case.next_order)
    count = max(len(cases), 1)
    return Scores(
        shoppers=len(cases),
        hit_rate_at_3=hits / count,
        ndcg_at_3=ndcg / count,
        recall_at_10=recall / count,
        coverage=len(offered) / catalogue if catalogue else 0.0,
    )


def offers_for(
    db: Session,
    store: Store,
    just_placed: frozenset[str],
    customer: Customer | None,
    strategy: Strategy,
    depth: int = RECALL_DEPTH,
) -> list[str]:
    """The strategy's ranking after the same eligibility rules the storefront applies."""
    context = OfferContext(order_product_ids=just_placed, customer=customer)
    candidates = strategy(db, store, context, depth * 3)
    products = {
        p.platform_product_id: p
        for p in db.scalars(
            select(Product)
            .where(
                Product.store_id == store.id,
                Product.platform_product_id.in_([c.platform_product_id for c in candidates]),
            )
            .options(joinedload(Product.variants))
        ).unique()
    }
    eligible = [
        c.platform_product_id
        for c in candidates
        if c.platform_product_id in products
        and offerable_variant(products[c.platform_product_id], just_placed) is not None
    ]
    return eligible[:depth]


def format_report(report: EvalReport) -> str:
    """The side-by-side table `encore eval` prints (Markdown, so it pastes into README)."""
    rows = [
        ("HR@3", report.learned.hit_rate_at_3, report.popularity.hit_rate_at_3),
        ("NDCG@3", report.learned.ndcg_at_3, report.popularity.ndcg_at_3),
        ("Recall@10", report.learned.recall_at_10, report.popularity.recall_at_10),
        ("Coverage", report.learned.coverage, report.popularity.coverage),
    ]
    lines = [
        f"{report.orders_replayed:,} orders replayed, {report.products:,} products; "
        f"{report.shoppers_evaluated:,} shoppers evaluated "
        f"({report.shoppers_skipped:,} skipped: nothing new in their last order).",
        "",
        "| metric | Encore (learned) | global popularity |",
        "|---|---|---|",
        *(f"| {name} | {learned:.3f} | {popular:.3f} |" for name, learned, popular in rows),
    ]
    return "\n".join(lines)
