"""Small statistics for comparing two groups of shoppers, with no dependency beyond stdlib.

Method (documented in docs/admin.md): Welch's unequal-variance standard error,
SE = sqrt(s_t²/n_t + s_c²/n_c), with the sample variances (n - 1 in the denominator), and a
normal-approximation interval: difference ± z·SE, z = 1.95996 for 95 %. The Welch-Satterthwaite
degrees of freedom are reported so a reader can judge how far the normal approximation is from
the t interval: with fewer than about 30 shoppers per group the interval is somewhat too narrow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist


@dataclass(frozen=True)
class Sample:
    """Count, mean and sample variance of one group's outcomes."""

    n: int
    mean: float
    variance: float  # sample variance (n - 1); 0.0 when n < 2

    @classmethod
    def of(cls, values: Sequence[float]) -> Sample:
        n = len(values)
        if n == 0:
            return cls(0, 0.0, 0.0)
        mean = math.fsum(values) / n
        if n < 2:
            return cls(n, mean, 0.0)
        variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
        return cls(n, mean, variance)


@dataclass(frozen=True)
class DifferenceInterval:
    """treatment mean - control mean, with its standard error and confidence interval."""

    difference: float
    standard_error: float
    low: float
    high: float
    confidence: float
    degrees_of_freedom: float | None

    @property
    def excludes_zero(self) -> bool:
        """The data say the groups differ (at this confidence), one way or the other."""
        return self.low > 0 or self.high < 0


def welch_interval(
    treatment: Sample, control: Sample, confidence: float = 0.95
) -> DifferenceInterval | None:
    """The interval for the difference of means; None when a group has fewer than 2 values."""
    if treatment.n < 2 or control.n < 2:
        return None
    share_t = treatment.variance / treatment.n
    share_c = control.variance / control.n
    standard_error = math.sqrt(share_t + share_c)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    difference = treatment.mean - control.mean
    return DifferenceInterval(
        difference=difference,
        standard_error=standard_error,
        low=difference - z * standard_error,
        high=difference + z * standard_error,
        confidence=confidence,
        degrees_of_freedom=_welch_satterthwaite(treatment, control),
    )


def _welch_satterthwaite(treatment: Sample, control: Sample) -> float | None:
    share_t = treatment.variance / treatment.n
    share_c = control.variance / control.n
    denominator = share_t**2 / (treatment.n - 1) + share_c**2 / (control.n - 1)
    if denominator == 0:
        return None  # both groups constant: the interval is a point, df says nothing
    return float((share_t + share_c) ** 2 / denominator)
