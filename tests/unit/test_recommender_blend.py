"""The blend's arithmetic: decayed habits, smoothed rebuy rates, popularity-normalised pairs."""

from __future__ import annotations

import math

from plugin.offers.recommender.blend import (
    WEIGHTS,
    Evidence,
    aged,
    history_weight,
    rebuy_rate,
    relevance,
    strongest_reason,
    together_score,
)


def test_history_weight_sums_the_decayed_weights_of_every_order() -> None:
    assert history_weight(0) == 0.0
    assert math.isclose(history_weight(3), 1 + 0.85 + 0.85**2)


def test_a_stored_decayed_count_ages_with_each_later_order() -> None:
    assert aged(1.85, last_bought_at=2, orders=2) == 1.85
    assert math.isclose(aged(1.85, last_bought_at=2, orders=4), 1.85 * 0.85**2)


def test_rebuy_rate_is_smoothed_towards_a_half_for_products_seldom_sold() -> None:
    assert rebuy_rate(0, 0) == 0.5
    assert math.isclose(rebuy_rate(1, 1), 3 / 6)
    assert math.isclose(rebuy_rate(100, 0), 2 / 104)
    assert rebuy_rate(10, 90) > rebuy_rate(90, 10)


def test_together_score_discounts_products_bought_with_everything() -> None:
    assert together_score(0, 10, 10) == 0.0
    assert together_score(5, 10, 10) == 0.5
    assert together_score(5, 10, 1000) < together_score(5, 10, 10)


def test_a_habit_on_a_rebought_product_outranks_one_nobody_rebuys() -> None:
    milk = Evidence("milk", habit=0.5, rebuy_rate=0.8)
    candle = Evidence("candle", habit=0.6, rebuy_rate=0.05)
    assert relevance(milk) > relevance(candle)
    assert strongest_reason(milk) == "habit"


def test_without_history_co_purchase_and_links_outrank_popularity() -> None:
    paired = Evidence("salsa", together=0.4)
    linked = Evidence("case", linked=True)
    best_seller = Evidence("bananas", popular=1.0)
    assert relevance(paired) > relevance(best_seller)
    assert relevance(linked) > relevance(best_seller)
    assert strongest_reason(paired) == "together"
    assert strongest_reason(best_seller) == "popular"
    assert 0.0 <= relevance(Evidence("x", 1.0, 1.0, 1.0, True, 1.0), WEIGHTS) <= 1.0
