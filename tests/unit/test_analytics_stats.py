"""The interval behind "revenue per order vs holdout", checked against numbers worked by hand."""

from __future__ import annotations

import math

import pytest

from plugin.analytics.stats import Sample, welch_interval


def test_sample_has_mean_and_sample_variance() -> None:
    sample = Sample.of([10.0, 0.0, 20.0, 30.0])
    assert sample.n == 4
    assert sample.mean == 15.0
    # squared deviations 25 + 225 + 25 + 225 = 500, over n - 1 = 3
    assert sample.variance == pytest.approx(500 / 3)


def test_welch_interval_of_two_small_groups() -> None:
    treatment = Sample.of([10.0, 0.0, 20.0, 30.0])  # mean 15, variance 500/3
    control = Sample.of([0.0, 10.0, 5.0])  # mean 5, variance 25
    interval = welch_interval(treatment, control)
    assert interval is not None
    # SE = sqrt(500/3/4 + 25/3) = sqrt(41.667 + 8.333) = sqrt(50)
    assert interval.difference == 10.0
    assert interval.standard_error == pytest.approx(math.sqrt(50))
    assert interval.low == pytest.approx(10 - 1.959964 * math.sqrt(50), abs=1e-4)
    assert interval.high == pytest.approx(10 + 1.959964 * math.sqrt(50), abs=1e-4)
    assert (round(interval.low, 3), round(interval.high, 3)) == (-3.859, 23.859)
    assert not interval.excludes_zero
    # Welch-Satterthwaite: 50² / (41.667²/3 + 8.333²/2) = 2500 / (578.70 + 34.72)
    assert interval.degrees_of_freedom == pytest.approx(
        2500 / (41.6667**2 / 3 + 8.3333**2 / 2), rel=1e-4
    )


def test_a_clear_difference_excludes_zero() -> None:
    interval = welch_interval(Sample.of([20.0, 22.0, 24.0]), Sample.of([1.0, 2.0, 3.0]))
    assert interval is not None
    assert interval.excludes_zero
    assert interval.low > 0


def test_no_interval_until_each_group_has_two_orders() -> None:
    assert welch_interval(Sample.of([5.0]), Sample.of([1.0, 2.0])) is None
    assert welch_interval(Sample.of([5.0, 6.0]), Sample.of([])) is None


def test_a_90_percent_interval_is_narrower() -> None:
    treatment, control = Sample.of([10.0, 0.0, 20.0, 30.0]), Sample.of([0.0, 10.0, 5.0])
    wide, narrow = welch_interval(treatment, control), welch_interval(treatment, control, 0.90)
    assert wide is not None and narrow is not None
    assert narrow.high - narrow.low == pytest.approx(2 * 1.644854 * math.sqrt(50), abs=1e-4)
    assert narrow.high - narrow.low < wide.high - wide.low
