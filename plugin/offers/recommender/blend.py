"""How the recommender's signals add up to one relevance score (pure arithmetic, no database).

The blend was tuned on ../shared/data (bench/tune_blend.py prints the grid): each shopper's
second-to-last order was predicted from the orders before it, and the weights chosen there were
then checked once on the last orders (`encore eval`). The strongest signal is the shopper's own
habit (purchases with a recency decay) weighted by how often shoppers at this store buy that
product again at all: a habit on a product people rebuy (milk) beats one on a product nobody
rebuys (a birthday candle). Co-purchase with the order just placed, the merchant's own product
links and store popularity break ties and carry shoppers without a history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class BlendWeights:
    # Weight of an order k orders ago is recency**k.
    recency: float = 0.85
    # Beta prior on "a purchase of this product is a repeat purchase": (hits, misses).
    rebuy_prior_repeats: float = 2.0
    rebuy_prior_firsts: float = 2.0
    together: float = 0.05
    linked: float = 0.05
    popular: float = 0.001


WEIGHTS = BlendWeights()

# Neighbours kept per product, and popular products considered, by the offer strategy.
NEIGHBOURS_KEPT = 20
POPULAR_CONSIDERED = 50


@dataclass(frozen=True)
class Evidence:
    """What the recommender knows about one candidate product for one shopper and order."""

    platform_product_id: str
    habit: float = 0.0  # share of the shopper's (decayed) orders that had it, in [0, 1]
    rebuy_rate: float = 0.0  # smoothed share of this store's purchases of it that were repeats
    together: float = 0.0  # mean co-purchase score with the order's products, in [0, 1]
    linked: bool = False  # the merchant links it to a product of the order (upsell/cross-sell)
    popular: float = 0.0  # 1 for the best seller, falling to 0 at POPULAR_CONSIDERED


def history_weight(orders: int, weights: BlendWeights = WEIGHTS) -> float:
    """Total weight of a shopper's `orders` orders: the denominator of `habit`."""
    if orders <= 0:
        return 0.0
    r = weights.recency
    return float(orders) if r == 1 else (1 - r**orders) / (1 - r)


def aged(
    decayed: float, last_bought_at: int, orders: int, weights: BlendWeights = WEIGHTS
) -> float:
    """A decayed count stored at the shopper's order `last_bought_at`, as of order `orders`."""
    return decayed * weights.recency ** max(orders - last_bought_at, 0)


def rebuy_rate(
    first_purchases: int, repeat_purchases: int, weights: BlendWeights = WEIGHTS
) -> float:
    """How likely a purchase of this product is a repeat, smoothed for products seldom sold."""
    repeats = repeat_purchases + weights.rebuy_prior_repeats
    return repeats / (repeats + first_purchases + weights.rebuy_prior_firsts)


def together_score(both: int, orders_a: int, orders_b: int) -> float:
    """Co-purchase normalised against popularity (cosine of the two products' order sets)."""
    if both <= 0 or orders_a <= 0 or orders_b <= 0:
        return 0.0
    return min(1.0, both / math.sqrt(orders_a * orders_b))


def relevance(evidence: Evidence, weights: BlendWeights = WEIGHTS) -> float:
    """The blended score used to rank candidates, in [0, 1]."""
    score = (
        evidence.habit * evidence.rebuy_rate
        + weights.together * evidence.together
        + (weights.linked if evidence.linked else 0.0)
        + weights.popular * evidence.popular
    )
    return min(1.0, score)


def strongest_reason(evidence: Evidence, weights: BlendWeights = WEIGHTS) -> str:
    """Which signal carried the candidate, as a key the strategy turns into shopper text."""
    parts = {
        "habit": evidence.habit * evidence.rebuy_rate,
        "together": weights.together * evidence.together,
        "linked": weights.linked if evidence.linked else 0.0,
        "popular": weights.popular * evidence.popular,
    }
    return max(parts, key=lambda key: parts[key])
