"""Retry delays grow exponentially, are spread by jitter and never pass the cap."""

from __future__ import annotations

import random

from plugin.jobs.queue import RetryPolicy


def test_delays_double_with_each_attempt_within_jitter():
    policy = RetryPolicy(max_attempts=8, base_seconds=5, max_seconds=3600)
    rng = random.Random(7)
    for attempt, nominal in [(1, 5), (2, 10), (3, 20), (6, 160)]:
        delay = policy.delay(attempt, rng)
        assert nominal * 0.5 <= delay <= nominal * 1.5


def test_jitter_spreads_retries_of_the_same_attempt():
    policy = RetryPolicy(base_seconds=5)
    delays = {round(policy.delay(3, random.Random(seed)), 3) for seed in range(20)}
    assert len(delays) > 10


def test_delay_never_exceeds_the_cap():
    policy = RetryPolicy(base_seconds=5, max_seconds=60)
    assert all(policy.delay(attempt) <= 60 for attempt in range(1, 30))
