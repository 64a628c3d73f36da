"""The bandit's arithmetic: posteriors move with evidence, sampling is reproducible when seeded."""

from __future__ import annotations

import random
from collections import Counter

from plugin.offers.bandit import Posterior, strategy_order


def test_no_evidence_is_a_uniform_prior():
    prior = Posterior()
    assert (prior.alpha, prior.beta, prior.mean) == (1.0, 1.0, 0.5)


def test_successes_raise_the_posterior_and_failures_lower_it():
    assert Posterior(successes=8, failures=2).mean > Posterior().mean > Posterior(1, 9).mean
    assert Posterior(successes=9, failures=1).mean == 10 / 12


def test_the_same_seed_gives_the_same_order():
    evidence = {"learned": Posterior(3, 30), "popular": Posterior(2, 25), "together": Posterior()}
    arms = ["popular", "learned", "together"]
    first = [strategy_order(arms, evidence, random.Random(7)) for _ in range(20)]
    assert first == [strategy_order(arms, evidence, random.Random(7)) for _ in range(20)]
    assert sorted(first[0]) == sorted(arms)


def test_the_order_in_which_arms_are_named_does_not_matter():
    evidence = {"learned": Posterior(3, 30), "popular": Posterior(2, 25)}
    assert strategy_order(["learned", "popular"], evidence, random.Random(11)) == strategy_order(
        ["popular", "learned"], evidence, random.Random(11)
    )


def test_strong_evidence_puts_the_better_strategy_first_almost_always():
    rng = random.Random(2024)
    evidence = {"learned": Posterior(120, 880), "popular": Posterior(30, 970)}
    firsts = Counter(strategy_order(["learned", "popular"], evidence, rng)[0] for _ in range(1000))
    assert firsts["learned"] > 990


def test_thin_evidence_still_lets_the_weaker_strategy_go_first_sometimes():
    rng = random.Random(2024)
    evidence = {"learned": Posterior(3, 17), "popular": Posterior(2, 18)}
    firsts = Counter(strategy_order(["learned", "popular"], evidence, rng)[0] for _ in range(1000))
    assert 100 < firsts["popular"] < 500 < firsts["learned"]


def test_a_strategy_never_shown_is_explored():
    rng = random.Random(5)
    evidence = {"learned": Posterior(5, 95)}  # 5% click rate, well measured
    firsts = Counter(strategy_order(["learned", "rebuy"], evidence, rng)[0] for _ in range(1000))
    assert firsts["rebuy"] > 800  # a uniform prior beats 5% most of the time


def test_a_new_store_fills_slots_with_learned_offers_first_and_still_explores() -> None:
    from plugin.offers.bandit import _with_prior

    evidence = {"learned": _with_prior("learned", 0, 0), "popular": _with_prior("popular", 0, 0)}
    rng = random.Random(5)
    firsts = [strategy_order(evidence, evidence, rng)[0] for _ in range(1_000)]

    assert 900 < firsts.count("learned") < 1_000  # mostly learned, popularity still tried
    assert _with_prior("pinned", 2, 3) == Posterior(2, 3)  # unmeasured strategies: uniform
