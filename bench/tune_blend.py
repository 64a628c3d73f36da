"""Tune the recommender's blend on a validation split, without looking at the test orders.

Validation task: for every shopper with at least four orders, predict the products of their
second-to-last order that are not in the order before it, from the orders before it. All
store-wide counts (rebuy rates, pairs, popularity) come from orders before each shopper's
second-to-last one, so nothing of the validation or test orders leaks in. The last orders,
which `encore eval` scores, are never read here. The blend is computed by the same functions
the service uses (`plugin.offers.recommender.blend`); the counting is done in memory so a
grid of a few hundred settings runs in minutes.

Run: `.venv/bin/python bench/tune_blend.py [ORDERS.csv]`. Prints the best settings by HR@3.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugin.demo.history import BUNDLED_ORDERS, read_order_lines
from plugin.offers.recommender.blend import (
    NEIGHBOURS_KEPT,
    POPULAR_CONSIDERED,
    WEIGHTS,
    BlendWeights,
    Evidence,
    history_weight,
    rebuy_rate,
    relevance,
    together_score,
)

Basket = frozenset[str]


def histories(path: Path) -> dict[str, list[Basket]]:
    orders: dict[tuple[str, int], set[str]] = defaultdict(set)
    for line in read_order_lines(path):
        orders[(line.user_id, line.order_number)].add(line.product_id)
    by_shopper: dict[str, list[Basket]] = defaultdict(list)
    for user_id, number in sorted(orders):
        by_shopper[user_id].append(frozenset(orders[(user_id, number)]))
    return by_shopper


class StoreCounts:
    """Store-wide counts over the training orders, as learning.learn_order keeps them."""

    def __init__(self, training: dict[str, list[Basket]]) -> None:
        self.orders: Counter[str] = Counter()
        self.firsts: Counter[str] = Counter()
        self.repeats: Counter[str] = Counter()
        self.pairs: dict[str, Counter[str]] = defaultdict(Counter)
        for baskets in training.values():
            seen: set[str] = set()
            for basket in baskets:
                for product in basket:
                    self.orders[product] += 1
                    if product in seen:
                        self.repeats[product] += 1
                    else:
                        self.firsts[product] += 1
                    for other in basket:
                        if other != product:
                            self.pairs[product][other] += 1
                seen |= basket
        ranked = sorted(self.orders.items(), key=lambda kv: (-kv[1], kv[0]))
        self.popular = {p: 1 - rank / POPULAR_CONSIDERED for rank, (p, _) in enumerate(ranked[:50])}
        self.neighbours = {
            product: {
                other: together_score(both, self.orders[product], self.orders[other])
                for other, both in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[
                    :NEIGHBOURS_KEPT
                ]
            }
            for product, found in self.pairs.items()
        }


def rank(history: list[Basket], counts: StoreCounts, weights: BlendWeights) -> list[str]:
    just_placed = history[-1]
    orders = len(history)
    total = history_weight(orders, weights)
    habit: Counter[str] = Counter()
    for age, basket in enumerate(reversed(history)):
        for product in basket:
            habit[product] += weights.recency**age / total
    together: Counter[str] = Counter()
    for product in just_placed:
        for other, score in counts.neighbours.get(product, {}).items():
            together[other] += score / len(just_placed)
    candidates = (set(habit) | set(together) | set(counts.popular)) - just_placed
    scored = [
        (
            relevance(
                Evidence(
                    product,
                    habit=habit[product],
                    rebuy_rate=rebuy_rate(counts.firsts[product], counts.repeats[product], weights),
                    together=together[product],
                    popular=counts.popular.get(product, 0.0),
                ),
                weights,
            ),
            product,
        )
        for product in candidates
    ]
    scored.sort(key=lambda entry: (-entry[0], entry[1]))
    return [product for _, product in scored[:3]]


def score(
    cases: list[tuple[list[Basket], Basket]], counts: StoreCounts, weights: BlendWeights
) -> tuple[float, float]:
    hits = ndcg = 0.0
    for history, wanted in cases:
        gains = [1.0 if p in wanted else 0.0 for p in rank(history, counts, weights)]
        hits += 1.0 if any(gains) else 0.0
        ideal = sum(1 / math.log2(i + 2) for i in range(min(3, len(wanted))))
        ndcg += sum(g / math.log2(i + 2) for i, g in enumerate(gains)) / ideal
    return hits / len(cases), ndcg / len(cases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("orders_csv", nargs="?", type=Path, default=BUNDLED_ORDERS)
    args = parser.parse_args()
    shoppers = histories(args.orders_csv)
    # Each shopper's last order is the test set: drop it before anything else.
    visible = {user: baskets[:-1] for user, baskets in shoppers.items()}
    training = {user: baskets[:-1] for user, baskets in visible.items()}
    cases = [
        (baskets[:-1], baskets[-1] - baskets[-2])
        for baskets in visible.values()
        if len(baskets) >= 3 and baskets[-1] - baskets[-2]
    ]
    counts = StoreCounts(training)
    print(f"validation: {len(cases)} shoppers (their second-to-last order)")
    grid = itertools.product(
        (0.8, 0.85, 0.9),  # recency
        ((1.0, 1.0), (2.0, 2.0), (1.0, 3.0), (0.5, 0.5)),  # rebuy prior (repeats, firsts)
        (0.0, 0.05, 0.2),  # together
        (0.0, 0.001),  # popular
    )
    results = []
    for recency, (repeats, firsts), together, popular in grid:
        weights = replace(
            WEIGHTS,
            recency=recency,
            rebuy_prior_repeats=repeats,
            rebuy_prior_firsts=firsts,
            together=together,
            popular=popular,
        )
        results.append((score(cases, counts, weights), weights))
        print(f"\r  {len(results)} settings tried", end="", flush=True)
    print()
    results.sort(key=lambda entry: (-entry[0][0], -entry[0][1]))
    print(f"{'HR@3':>7}{'NDCG@3':>8}  recency  rebuy prior  together  popular")
    for (hr, ndcg), w in results[:10]:
        print(
            f"{hr:>7.3f}{ndcg:>8.3f}  {w.recency:>7}  "
            f"{w.rebuy_prior_repeats:>4}/{w.rebuy_prior_firsts:<6}  {w.together:>8}  {w.popular:>7}"
        )
    hr, ndcg = score(cases, counts, WEIGHTS)
    print(
        f"shipped blend (WEIGHTS in plugin/offers/recommender/blend.py): "
        f"HR@3 {hr:.3f}, NDCG@3 {ndcg:.3f}"
    )


if __name__ == "__main__":
    main()
